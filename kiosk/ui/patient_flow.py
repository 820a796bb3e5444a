"""The patient's path through the kiosk: header, the current screen, keyboard, Back and Next.

A new PatientFlow is made for each patient and destroyed at the end, so no widget can
carry one patient's answers to the next.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kiosk.intake.records import Step, StepKind
from kiosk.intake.session import IntakeSession
from kiosk.storage import StorageError, Store
from kiosk.ui.keyboard.dock import KeyboardDock
from kiosk.ui.keyboard.kiosk_keyboard import OnScreenKeyboard
from kiosk.ui.keyboard.qt_keyboard import SystemKeyboardDock
from kiosk.ui.overlay import Overlay
from kiosk.ui.read_aloud import ReadAloud
from kiosk.ui.screens.base import Screen, ScreenHost
from kiosk.ui.screens.check_in import CheckInScreen
from kiosk.ui.screens.confirm import ConfirmScreen
from kiosk.ui.screens.learn import LearnScreen
from kiosk.ui.screens.questions import QuestionScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.teach_back import TeachBackScreen
from kiosk.ui.screens.thanks import storage_error_screen, thanks_screen
from kiosk.ui.theme import tinted_icon
from kiosk.ui.touch import button, label

log = logging.getLogger(__name__)


class PatientFlow(QWidget):
    finished = Signal()  # the patient tapped Done after submitting
    cancelled = Signal()  # the patient chose to start over
    screen_shown = Signal(object)  # Step, after the new screen is in place
    submitted = Signal(int)  # intake id
    language_requested = Signal(str)  # the patient tapped another language
    keyboard_unavailable = Signal()  # Qt Virtual Keyboard did not show: the kiosk's own now

    def __init__(self, session: IntakeSession, store: Store,
                 read_aloud: ReadAloud | None = None, keyboard: str = "kiosk") -> None:
        super().__init__()
        self.session = session
        self.store = store
        self.read_aloud = read_aloud or ReadAloud("off", self)
        self.t = session.content.strings(session.language)
        t = self.t

        header = QWidget()
        header.setObjectName("Header")
        header_row = QHBoxLayout(header)
        header_row.setContentsMargins(24, 8, 16, 8)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)  # "Step 3 of 18" inside the bar: saves width
        self.progress.setAccessibleName("progress")
        self.start_over = button(t("start_over"), "Quiet")
        self.start_over.clicked.connect(self.on_start_over_tapped)
        header_row.addWidget(self.progress, 1)
        for code, catalogue in session.content.catalogues.items():
            if code == session.language:
                continue
            other = button(catalogue.language_name, "Quiet",
                           accessible=f"{catalogue.language_name} ({code})")
            other.clicked.connect(lambda _=False, c=code: self.language_requested.emit(c))
            header_row.addWidget(other)
        header_row.addWidget(self.start_over)

        self.host = ScreenHost()
        self.screen: Screen | None = None

        self.keyboard: QWidget
        self.dock: KeyboardDock
        if keyboard == "qt":  # Qt Virtual Keyboard: room at the bottom while it is up
            self.keyboard = QWidget()
            self.dock = SystemKeyboardDock(self, self.keyboard, self._reveal, session.language)
            self.dock.failed.connect(self._use_kiosk_keyboard)
        else:
            self.keyboard, self.dock = self._kiosk_keyboard()

        self.footer = QWidget()
        self.footer.setObjectName("Footer")
        footer_row = QHBoxLayout(self.footer)
        footer_row.setContentsMargins(24, 12, 24, 12)
        self.back_button = button("‹ " + t("back"), accessible=t("back"))
        self.back_button.setMinimumWidth(160)
        self.next_button = button(t("next") + " ›", "Primary", accessible=t("next"))
        self.back_button.clicked.connect(self.on_back_tapped)
        self.next_button.clicked.connect(self.on_next_tapped)
        # Read aloud: the words of the current page or question, in the patient's language.
        self.read_button = button(t("read_aloud"), accessible=t("read_aloud"))
        self.read_button.setIcon(tinted_icon(QStyle.StandardPixmap.SP_MediaVolume, self))
        self.read_button.setIconSize(QSize(28, 28))
        self.read_button.setAccessibleDescription(t("read_aloud_description"))
        self.read_button.clicked.connect(self.on_read_tapped)
        self.read_note = label("", "Muted")
        self.read_note.hide()
        self.read_aloud.speaking_changed.connect(self._on_speaking_changed)
        footer_row.addWidget(self.back_button)
        footer_row.addStretch(1)
        footer_row.addWidget(self.read_note)
        footer_row.addWidget(self.read_button)
        footer_row.addStretch(1)
        footer_row.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.host, 1)
        if keyboard == "qt":  # Qt's keyboard covers the bottom: Back and Next above it
            layout.addWidget(self.footer)
            layout.addWidget(self.keyboard)
        else:  # the kiosk's own sits between the screen and Back and Next
            layout.addWidget(self.keyboard)
            layout.addWidget(self.footer)

        self.submitted_id: int | None = None
        self.storage_failed = False
        session.listeners.append(self.on_session_changed)

        self.confirm_restart = Overlay(self, t("start_over_question"))
        no = self.confirm_restart.add_button(t("start_over_no"))
        yes = self.confirm_restart.add_button(t("start_over_yes"), "Danger")
        no.clicked.connect(self.confirm_restart.hide)
        yes.clicked.connect(self.cancelled)

        self.show_step()

    # -- navigation -------------------------------------------------------------------------
    def show_step(self) -> None:
        step = self.session.current
        screen = self._build_screen(step)
        self._replace_screen(screen)
        self.dock.watch(screen)
        self.hide_keyboard()
        position, total = self.session.progress()
        self.progress.setRange(0, total)
        self.progress.setValue(position)
        self.progress.setFormat(self.t("progress", n=position, total=total))
        self.progress.setAccessibleDescription(self.progress.format())
        self.next_button.setVisible(step.kind not in (StepKind.CONFIRM, StepKind.DONE))
        self.read_aloud.stop()  # a new screen: the old one's words stop
        readable = step.kind in (StepKind.LEARN, StepKind.TEACH_BACK, StepKind.QUESTIONS)
        self.read_button.setVisible(
            readable and self.read_aloud.offered and self.read_button.isEnabled())
        self.footer.setVisible(step.kind is not StepKind.DONE)
        self.start_over.setVisible(step.kind is not StepKind.DONE)
        self.screen_shown.emit(step)

    def _build_screen(self, step: Step) -> Screen:
        session, t = self.session, self.t
        if step.kind is StepKind.CHECK_IN:
            return CheckInScreen(session, t)
        if step.kind is StepKind.LEARN:
            return LearnScreen(session, t, step.page)
        if step.kind is StepKind.TEACH_BACK:
            return TeachBackScreen(session, t, step.page)
        if step.kind is StepKind.QUESTIONS:
            return QuestionScreen(
                session.answers, t, session.questionnaire.item(step.link_id)
            )
        if step.kind is StepKind.REVIEW:
            review = ReviewScreen(session, t)
            review.edit_requested.connect(self.on_edit_requested)
            return review
        if step.kind is StepKind.CONFIRM:
            confirm = ConfirmScreen(session, t)
            confirm.confirmed.connect(self.on_confirmed)
            return confirm
        thanks = thanks_screen(t)
        thanks.acted.connect(self.finished)
        return thanks

    def on_next_tapped(self) -> None:
        problems = self.session.next()
        if problems:
            assert self.screen is not None
            first = self.screen.show_problems(problems)
            if first is not None:
                self.screen.reveal(first)
                if not isinstance(first, QLineEdit):  # focus on a field would open the keyboard
                    first.setFocus()
            return
        self.show_step()

    def on_read_tapped(self) -> None:
        if self.read_aloud.is_speaking():
            self.read_aloud.stop()
            return
        assert self.screen is not None
        problem = self.read_aloud.speak(self.screen.spoken_text(), self.session.language)
        if problem is not None:  # no engine or no voice: say so, and offer it no more
            self.read_button.setEnabled(False)
            self.read_button.hide()
            self.read_note.setText(self.t(problem))
            self.read_note.show()

    def _on_speaking_changed(self, speaking: bool) -> None:
        text = self.t("read_aloud_stop") if speaking else self.t("read_aloud")
        pixmap = QStyle.StandardPixmap
        icon = pixmap.SP_MediaStop if speaking else pixmap.SP_MediaVolume
        self.read_button.setIcon(tinted_icon(icon, self))
        self.read_button.setText(text)
        self.read_button.setAccessibleName(text)

    def on_back_tapped(self) -> None:
        if self.session.back():
            self.show_step()
        else:
            self.on_start_over_tapped()  # Back on the first screen offers to leave

    def on_edit_requested(self, step: Step) -> None:
        self.session.edit(step)
        self.show_step()

    def on_start_over_tapped(self) -> None:
        self.confirm_restart.open()

    def on_confirmed(self) -> None:
        self.session.confirm(True)
        problems = self.session.problems()
        if problems and self.screen is not None:
            self.session.confirm(False)
            first = self.screen.show_problems(problems)
            if first is not None:
                self.screen.reveal(first)
            return
        try:
            submission = self.session.build_submission()
            intake_id = self.store.submit(submission)
        except StorageError as exc:
            log.error("intake not saved: %s", exc)
            self._show_storage_error(self.on_confirmed)
            return
        log.info("intake submitted (id %s)", intake_id)
        self.submitted_id = intake_id
        self.session.finish()
        self.show_step()
        self.submitted.emit(intake_id)

    # -- autosave ---------------------------------------------------------------------------
    def on_session_changed(self) -> None:
        """Every answer is saved as a draft the moment it is given."""
        if self.submitted_id is not None or self.storage_failed:
            return
        try:
            self.store.save_draft(self.session.uid, self.session.started_at,
                                  self.session.draft_data())
        except StorageError as exc:
            log.error("draft not saved: %s", exc)
            self.storage_failed = True
            self._show_storage_error(self.retry_draft)

    def retry_draft(self) -> None:
        self.storage_failed = False
        self.on_session_changed()
        if not self.storage_failed:
            self.next_button.show()
            self.show_step()

    def discard_draft(self) -> None:
        """The patient left before confirming: their answers go."""
        if self.submitted_id is not None:
            return
        try:
            self.store.discard_draft(self.session.uid)
        except StorageError as exc:
            log.error("draft not discarded: %s", exc)  # staff will see it as interrupted

    def _show_storage_error(self, retry) -> None:
        error = storage_error_screen(self.t)
        error.acted.connect(retry)
        self._replace_screen(error)
        self.next_button.hide()

    def _replace_screen(self, screen: Screen) -> None:
        self.host.show_screen(screen)
        self.screen = screen

    # -- keyboard ---------------------------------------------------------------------------
    def _reveal(self, widget: QWidget) -> None:
        if self.screen is not None and self.screen.isAncestorOf(widget):
            self.screen.reveal(widget)

    def _use_kiosk_keyboard(self, edit: QLineEdit) -> None:
        """Qt Virtual Keyboard cannot show on this machine: the kiosk's own, from now on
        (the window is told too, for the next patients)."""
        layout = self.layout()
        self.dock.dispose()
        layout.removeWidget(self.keyboard)
        self.keyboard.deleteLater()
        self.keyboard, self.dock = self._kiosk_keyboard()
        layout.insertWidget(layout.indexOf(self.footer), self.keyboard)
        if self.screen is not None:
            self.dock.watch(self.screen)
        self.dock.open(edit)
        self.keyboard_unavailable.emit()

    def _kiosk_keyboard(self) -> tuple[OnScreenKeyboard, KeyboardDock]:
        keyboard = OnScreenKeyboard(self.t)
        return keyboard, KeyboardDock(self, keyboard, self._reveal)

    def hide_keyboard(self) -> None:
        self.dock.hide()

    def dispose(self) -> None:
        """Disconnect from the application and the session before the flow is destroyed."""
        self.dock.dispose()
        if self.on_session_changed in self.session.listeners:
            self.session.listeners.remove(self.on_session_changed)
