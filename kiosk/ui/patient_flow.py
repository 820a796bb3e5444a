"""The patient's path through the kiosk: header, the current screen, keyboard, Back and Next.

A new PatientFlow is made for each patient and destroyed at the end, so no widget can
carry one patient's answers to the next. It changes the intake only through its
:class:`~kiosk.intake.service.IntakeService`; the writer's news reaches it through
:meth:`on_write_outcome` (on this thread). A step is shown once what led to it is on disk;
when a write fails, a calm screen says so, every answer stays in memory, and the write is
tried again (Try again, or by itself) — nothing turns autosave off.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kiosk.intake.records import Step, StepKind
from kiosk.intake.service import IntakeService
from kiosk.intake.writer import WriteOutcome
from kiosk.ui.keyboard.dock import KeyboardDock
from kiosk.ui.keyboard.kiosk_keyboard import OnScreenKeyboard
from kiosk.ui.keyboard.qt_keyboard import SystemKeyboardDock
from kiosk.ui.overlay import Overlay
from kiosk.ui.read_aloud import ReadAloud
from kiosk.ui.screens.base import Screen, ScreenHost
from kiosk.ui.screens.confirm import ConfirmScreen
from kiosk.ui.screens.steps import STEP_SCREENS
from kiosk.ui.screens.thanks import storage_error_screen
from kiosk.ui.theme import tinted_icon
from kiosk.ui.touch import HeadingLabel, button, label
from kiosk.ui.widgets.step_progress import StepProgressBar

log = logging.getLogger(__name__)

#: once a screen is up (or an answer given) and the patient has been still this long, the
#: screen Next most likely leads to is built, hidden, so Next only has to show it
READY_AFTER_MS = 30
FOOTER_GAP = 16  # between Back, Read aloud and Next: never read as one block
HEADER_GAP = 8  # between the header's controls (touch targets 8 px apart)
#: a readied screen is built a slice at a time, at most about this long each, between
#: turns of the event loop: a tap meanwhile waits for one slice, not for a whole screen
SLICE_MS = 6
#: steps whose screens are readied: every step Next can lead to (check-in comes first, and
#: the thank-you follows the submit, not Next)
_READIED = frozenset({StepKind.QUESTIONS, StepKind.LEARN, StepKind.TEACH_BACK,
                      StepKind.REVIEW, StepKind.CONFIRM})


class PatientFlow(QWidget):
    finished = Signal()  # the patient tapped Done after submitting
    cancelled = Signal()  # the patient chose to start over
    screen_shown = Signal(object)  # Step, after the new screen is in place
    submitted = Signal(int)  # intake id
    language_requested = Signal(str)  # the patient tapped another language
    keyboard_unavailable = Signal()  # Qt Virtual Keyboard did not show: the kiosk's own now
    staff_requested = Signal()  # staff tapped the error screen's staff button
    storage_trouble = Signal(bool)  # True: answers only in memory (error shown); False: saved

    def __init__(self, service: IntakeService, read_aloud: ReadAloud | None = None,
                 keyboard: str = "kiosk") -> None:
        super().__init__()
        self.service = service
        self.session = session = service.session  # read only: changes go through the service
        self.read_aloud = read_aloud or ReadAloud("off", self)
        self.t = session.content.strings(session.language)
        t = self.t

        header = QWidget()
        header.setObjectName("Header")
        # Its controls' widths never widen the window past the screen (the window grew to
        # 805 px on an 800 px screen, and on the kiosk, which cannot grow, the bar was
        # squeezed): _fit_header rearranges it to fit instead. The footer likewise.
        header.setMinimumWidth(1)
        # one row, or two when the progress bar would not keep its width beside the
        # buttons (see _fit_header): the bar then has a row of its own above them
        self.header_rows = QVBoxLayout(header)
        self.header_rows.setContentsMargins(24, 8, 16, 8)
        self.header_rows.setSpacing(8)
        header_row = QHBoxLayout()
        header_row.setContentsMargins(0, 0, 0, 0)
        header_row.setSpacing(HEADER_GAP)
        self.header_rows.addLayout(header_row)
        self.header_row = header_row
        self.progress = StepProgressBar()  # "Step 3 of 18" inside the bar: saves width
        self.progress.setAccessibleName(t("progress_name"))
        self.start_over = button(t("start_over"), "Quiet")
        self.start_over.clicked.connect(self.on_start_over_tapped)
        header_row.addWidget(self.progress, 1)
        self.language_buttons: list[QWidget] = []
        for code, catalogue in session.content.catalogues.items():
            if code == session.language:
                continue
            other = button(catalogue.language_name, "Quiet",
                           accessible=f"{catalogue.language_name} ({code})")
            other.clicked.connect(lambda _=False, c=code: self.language_requested.emit(c))
            header_row.addWidget(other)
            self.language_buttons.append(other)
        header_row.addWidget(self.start_over)

        self.host = ScreenHost(keep_replaced=True)
        self.screen: Screen | None = None

        self.keyboard: QWidget
        self.dock: KeyboardDock
        if keyboard == "qt":  # Qt Virtual Keyboard: room at the bottom while it is up
            self.keyboard = QWidget()
            self.dock = SystemKeyboardDock(self, self.keyboard, self._reveal,
                                           self.t.keyboard_locale)
            self.dock.failed.connect(self._use_kiosk_keyboard)
        else:
            self.keyboard, self.dock = self._kiosk_keyboard()

        self.footer = QWidget()
        self.footer.setObjectName("Footer")
        self.footer.setMinimumWidth(1)  # as the header: _fit_footer makes it fit
        footer_row = QHBoxLayout(self.footer)
        footer_row.setContentsMargins(24, 12, 24, 12)
        # never collapses: when Back, Read aloud and Next do not fit a row their words
        # go on two lines instead (see _fit_footer)
        footer_row.setSpacing(FOOTER_GAP)
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
        self.footer_row = footer_row
        self.footer_action: QWidget | None = None  # the screen's own action, where Next is

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
        self.storage_failed = False  # the error screen is up
        self._then: Callable[[], None] | None = None  # shown once the writes are on disk

        # The next step's screen, built while the patient reads this one: (step, what it was
        # built from, screen). Used by Next only while both still match.
        self._ready: tuple[Step, tuple[object, ...], Screen] | None = None
        self._ready_timer = QTimer(self)
        self._ready_timer.setSingleShot(True)
        self._ready_timer.setInterval(READY_AFTER_MS)
        self._ready_timer.timeout.connect(self._ready_next_screen)
        # the readied screen's building, a slice per turn of the event loop
        self._building: Iterator[None] | None = None
        self._slicer = QTimer(self)
        self._slicer.setInterval(0)
        self._slicer.timeout.connect(self._build_slice)

        self.confirm_restart = Overlay(self, t("start_over_question"))
        no = self.confirm_restart.add_button(t("start_over_no"))
        yes = self.confirm_restart.add_button(t("start_over_yes"), "Danger")
        no.clicked.connect(self.confirm_restart.hide)
        yes.clicked.connect(self.cancelled)

        self.show_step()

    # -- navigation -------------------------------------------------------------------------
    @property
    def waiting(self) -> bool:
        """A step waits for the writes that lead to it (tests wait for this to end)."""
        return self._then is not None

    def show_step(self, screen: Screen | None = None) -> None:
        """Show the session's current step (``screen``: already built for it)."""
        self.storage_failed = False
        self.header_controls(True)
        step = self.session.current
        if screen is None:
            screen = self._build_screen(step)
        # The progress bar first: setValue repaints it at once (with the new screen in
        # place that repaint would paint the whole unlaid-out screen as well); with its
        # updates off it is painted with the rest of the window instead, once.
        position, total = self.session.progress()
        self.progress.setUpdatesEnabled(False)
        self.progress.setRange(0, total)
        self.progress.setValue(position)
        self.progress.setFormat(self.t("progress", n=position, total=total))
        self.progress.setUpdatesEnabled(True)
        self.progress.setAccessibleDescription(self.progress.format())
        self._replace_screen(screen)
        self.dock.watch(screen)
        for edit in screen.findChildren(QLineEdit):
            edit.returnPressed.connect(self.on_enter_pressed)
        self.hide_keyboard()
        self._order_focus(screen, screen.tab_stops)
        kind = STEP_SCREENS[step.kind]
        self.next_button.setVisible(kind.next_button)
        self.read_aloud.stop()  # a new screen: the old one's words stop
        readable = kind.readable
        self.read_button.setVisible(
            readable and self.read_aloud.offered and self.read_button.isEnabled())
        self.footer.setVisible(kind.footer)
        self.start_over.setVisible(kind.start_over)
        self._fit_header()
        self._fit_footer()
        self._focus_heading(screen)
        screen.changed.connect(self._on_screen_changed)
        self._ready_timer.start()
        self.screen_shown.emit(step)

    def _order_focus(self, screen: Screen, inside: list[QWidget] | None = None) -> None:
        """Tab goes header, then the screen top to bottom, then Back, Read aloud, Next
        (a new screen is made after the footer: left alone, its controls would come last).
        ``inside``: the screen's own Tab stops, when found while the patient read."""
        if inside is None:
            inside = self._tab_stops(screen)
        else:  # still its own (Confirm's action has moved to the footer since)
            inside = [w for w in inside if screen.isAncestorOf(w)]
        chain = [*self.language_buttons, self.start_over, *inside,
                 self.back_button, self.read_button, self.next_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    @staticmethod
    def _tab_stops(screen: Screen) -> list[QWidget]:
        """The screen's widgets that Tab stops at, in focus-chain order (a walk over the
        whole window's chain: some 2,000 widgets with the keyboard's keys)."""
        inside, widget = [], screen.nextInFocusChain()
        while widget is not screen and len(inside) < 2000:
            if screen.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                inside.append(widget)
            widget = widget.nextInFocusChain()
        return inside

    def _focus_heading(self, screen: Screen) -> None:
        """A new page: focus on its heading, so a screen reader starts reading there
        (not on the last button tapped, or the language button)."""
        heading = next((h for h in screen.findChildren(HeadingLabel)
                        if h.isVisibleTo(screen) and h.text().strip()), None)
        if heading is not None:
            heading.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build_screen(self, step: Step, sliced: bool = False) -> Screen:
        return STEP_SCREENS[step.kind].build(self.service, self.t, step, self, sliced)

    def _on_screen_changed(self) -> None:
        """An answer: a screen being readied from the answers before it goes (parts of it
        would show older answers), and the next one is readied once the patient is still."""
        if self._building is not None:
            self._drop_ready()
        self._ready_timer.start()

    def on_finished(self) -> None:
        self.finished.emit()

    def on_next_tapped(self) -> None:
        if self.waiting or self.storage_failed:
            return
        changes = self.service.next()
        if changes.problems:
            assert self.screen is not None
            first = self.screen.show_problems(changes.problems)
            if first is not None:
                self.screen.reveal(first)
                self.screen.convey(first, changes.problems)  # focus and announcement
            return
        # Readied while the patient read, or built while the writer thread puts the answers
        # on disk; shown once they are there.
        step = self.session.current
        screen = self._take_ready(step) or self._build_screen(step)
        self._when_written(lambda: self._show_built(step, screen))

    @property
    def readied(self) -> Step | None:
        """The step whose screen is built and waiting for Next, if any."""
        return self._ready[0] if self._ready is not None else None

    @property
    def building(self) -> bool:
        """The readied screen is still being built (a slice at a time)."""
        return self._building is not None

    @property
    def readied_screen(self) -> Screen | None:
        return self._ready[2] if self._ready is not None else None

    def _ready_next_screen(self) -> None:
        """Build the screen Next most likely leads to, hidden (the patient is reading)."""
        self.host.clear()  # and the screens left behind go (on the next turn of the loop)
        if self.waiting or self.storage_failed or self.screen is None:
            return
        step = self.session.step_after()
        if step is None or step.kind not in _READIED:
            self._drop_ready()
            return
        state = self.session.screen_state(step)
        if self._ready is not None and self._ready[:2] == (step, state):
            return  # still right
        self._drop_ready()
        screen = self._build_screen(step, sliced=True)
        self._ready = (step, state, screen)
        self._building = self._readying(step, state, screen)
        self._slicer.start()

    def _readying(self, step: Step, state: tuple[object, ...],
                  screen: Screen) -> Iterator[None]:
        """Build ``screen`` hidden in the holder a part at a time; then style it whole
        and lay it out at its width, and find its Tab stops (each a slice of its own)."""
        self.host.adopt(screen)
        for added in screen.build_slices():
            added.ensurePolished()  # styled now, in its place: not all at once on Next
            yield
        yield
        screen.ensurePolished()  # the rest: the screen's frame, headings, follow-ups
        yield
        self.host.lay_out(screen)
        yield
        screen.tab_stops = self._tab_stops(screen)  # the walk now, not on Next
        if self.session.screen_state(step) != state and self._ready is not None:
            self._ready = None  # changed while it was being built: it goes
            self._discard(screen)

    def _build_slice(self) -> None:
        """One turn's share of the readying: slices until SLICE_MS has gone."""
        building = self._building
        if building is None:
            self._slicer.stop()
            return
        until = time.perf_counter() + SLICE_MS / 1000
        for _ in building:
            if time.perf_counter() >= until:
                return  # the rest on the next turn (taps and paints go first)
        if self._building is building:
            self._building = None
        self._slicer.stop()

    def _finish_building(self) -> None:
        """Next came before the readied screen was whole: the rest now."""
        building, self._building = self._building, None
        self._slicer.stop()
        if building is not None:
            for _ in building:
                pass

    def _take_ready(self, step: Step) -> Screen | None:
        """The readied screen if it is for ``step`` and built from what is true now (never
        one an answer since has made out of date); else None, and it goes."""
        self._finish_building()
        ready, self._ready = self._ready, None
        if ready is None:
            return None
        if ready[:2] == (step, self.session.screen_state(step)):
            return ready[2]
        self._discard(ready[2])
        return None

    def _drop_ready(self) -> None:
        if self._building is not None:
            self._building.close()
            self._building = None
            self._slicer.stop()
        if self._ready is not None:
            self._discard(self._ready[2])
            self._ready = None

    @staticmethod
    def _discard(screen: Screen) -> None:
        """A readied screen that will not be shown goes."""
        screen.deleteLater()

    def _show_built(self, step: Step, screen: Screen) -> None:
        if self.session.current != step:  # moved on meanwhile: that screen is out of date
            screen.deleteLater()
            self.show_step()
            return
        self.show_step(screen)

    def _when_written(self, then: Callable[[], None]) -> None:
        """Do ``then`` once every write so far is on disk: now, or when the writer says so."""
        if self.service.committed() or self.service.wait_committed():
            then()  # on disk already, or within 2 ms: no turn of the event loop needed
            return
        self._then = then
        self.next_button.setEnabled(False)

    def on_write_outcome(self, outcome: WriteOutcome) -> None:
        """The writer's news about this intake, on this thread."""
        if outcome.job.uid != self.session.uid:
            return
        if not outcome.ok:
            if not self.storage_failed:
                log.error("intake not saved: %s", outcome.error)
                self._show_storage_error()
            return
        was_failed = self.storage_failed
        if outcome.job.kind == "submit":
            self.submitted_id = int(outcome.result)
            log.info("intake submitted (id %s)", self.submitted_id)
            self._then = None
            self.service.finish()
            self.show_step()
            self.submitted.emit(self.submitted_id)
        elif self.service.committed():
            then, self._then = self._then, None
            self.next_button.setEnabled(True)
            if then is not None:
                then()
            elif was_failed:
                self.show_step()  # saved at last: back where the patient was
        else:
            return
        if was_failed:
            self.storage_trouble.emit(False)

    def on_enter_pressed(self) -> None:
        """Enter (the keyboard's ⏎) on a text field: on to the next field below it, or,
        on the last one, as Next (issue 12.7)."""
        edit = self.sender()
        if not isinstance(edit, QLineEdit) or self.screen is None:
            return
        screen = self.screen

        def place(w: QWidget) -> tuple[int, int]:
            at = w.mapTo(screen, w.rect().topLeft())
            return at.y(), at.x()

        fields = sorted((e for e in screen.findChildren(QLineEdit)
                         if e.isVisible() and e.isEnabled() and not e.isReadOnly()), key=place)
        later = [e for e in fields if place(e) > place(edit)]
        if later:
            later[0].setFocus()  # the keyboard follows the focus
            return
        self.hide_keyboard()
        if self.next_button.isVisible():
            self.on_next_tapped()

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
        self._fit_footer()

    def on_back_tapped(self) -> None:
        if self.waiting or self.storage_failed:
            return
        if self.service.back().step:
            self.show_step()
        else:
            self.on_start_over_tapped()  # Back on the first screen offers to leave

    def on_edit_requested(self, step: Step) -> None:
        self.service.edit(step)
        self.show_step()

    def on_start_over_tapped(self) -> None:
        self.confirm_restart.open()

    def on_confirmed(self) -> None:
        if self.service.submitting:
            return  # one tap sends once
        changes = self.service.submit()
        if changes.problems:
            if self.screen is not None:
                first = self.screen.show_problems(changes.problems)
                if first is not None:
                    self.screen.reveal(first)
                    self.screen.convey(first, changes.problems)
            return
        if isinstance(self.screen, ConfirmScreen):
            self.screen.confirm_button.setEnabled(False)
            self.screen.confirm_button.setText(self.t("sending"))
        self._then = lambda: None  # the thank-you step follows the submit's outcome

    # -- storage trouble --------------------------------------------------------------------
    def _show_storage_error(self) -> None:
        """The answers could not be written: say so calmly. They stay in memory and the
        writer keeps trying; Try again tries now; staff can step in with their PIN."""
        self.storage_failed = True
        error = storage_error_screen(self.t)
        error.acted.connect(self.on_try_again)
        staff = button(self.t("error_storage_staff"), "Quiet")
        staff.clicked.connect(self.staff_requested)
        error.body.insertWidget(error.body.count() - 1, staff, 0,
                                Qt.AlignmentFlag.AlignHCenter)
        error.staff_button = staff
        self.hide_keyboard()
        self._replace_screen(error)
        self.footer.hide()  # no Back, no Next: nothing may leave the unsaved answers
        self.header_controls(False)
        self.storage_trouble.emit(True)

    def on_try_again(self) -> None:
        self.service.retry()

    def header_controls(self, shown: bool) -> None:
        """Start over and the language buttons (hidden while answers wait to be written)."""
        self.start_over.setVisible(shown)
        for other in self.language_buttons:
            other.setVisible(shown)
        self._fit_header()

    def discard(self) -> None:
        """The patient left before confirming: their answers go."""
        self.service.discard()

    def _replace_screen(self, screen: Screen) -> None:
        if self.footer_action is not None:  # the old screen's: it goes with its screen
            self.footer_row.removeWidget(self.footer_action)
            self.footer_action.hide()
            self.footer_action.deleteLater()
            self.footer_action = None
        self.host.show_screen(screen)
        self.screen = screen
        action = screen.footer_action
        if action is not None:
            self.footer_row.addWidget(action)
            action.show()  # now, not on the layout's queued show
            self.footer_action = action
        self._fit_footer()

    def _row_width(self, row: QHBoxLayout) -> int:
        """The width ``row`` needs for its shown widgets at their preferred widths (the
        stretches between them take nothing)."""
        widgets = [row.itemAt(i).widget() for i in range(row.count())]
        shown = [w for w in widgets if w is not None and not w.isHidden()]
        margins = row.contentsMargins()
        return (margins.left() + margins.right() + row.spacing() * max(len(shown) - 1, 0)
                + sum(max(w.sizeHint().width(), w.minimumWidth()) for w in shown))

    def _fit_footer(self) -> None:
        """Back, Read aloud and Next (or the screen's action) on one row, each whole and
        FOOTER_GAP apart: a button whose words do not fit goes on two lines (Spanish at
        the largest text in portrait), Read aloud first. A button's text never wraps by
        itself, and squeezed buttons would touch."""
        buttons = [self.read_button]
        if isinstance(self.footer_action, QPushButton):
            buttons.append(self.footer_action)
        for widget in buttons:
            widget.ensurePolished()  # the theme's font, not the default one
            widget.setText(widget.text().replace("\n", " "))
        for widget in buttons:
            if widget.isHidden() or self._row_width(self.footer_row) <= self.width():
                continue
            widget.setText(two_lines(widget.text()))

    def _fit_header(self) -> None:
        """The progress bar beside Start over and the language buttons while it keeps its
        width there (StepProgressBar.MIN_WIDTH at least), else on a row of its own above
        them (Spanish at the largest text in portrait, on fonts a little wider than the
        test machine's)."""
        in_row = self.header_row.indexOf(self.progress) >= 0
        margins = self.header_rows.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        needed = self._row_width(self.header_row)  # the bar's at least MIN_WIDTH
        if not in_row:  # as it would be, back in the row
            needed += self.header_row.spacing() + self.progress.sizeHint().width()
        if in_row and needed > room:
            self.header_row.removeWidget(self.progress)
            self.header_rows.insertWidget(0, self.progress)
            self.header_row.insertStretch(0, 1)  # the buttons stay on the right
        elif not in_row and needed <= room:
            self.header_rows.removeWidget(self.progress)
            self.header_row.takeAt(0)  # the stretch
            self.header_row.insertWidget(0, self.progress, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_header()
        self._fit_footer()

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
        """Disconnect from the application before the flow is destroyed (nothing more is
        readied for this patient)."""
        self._ready_timer.stop()
        self._drop_ready()
        self.dock.dispose()


def two_lines(text: str) -> str:
    """``text`` broken once: after its first sentence if it has two, else at the space
    nearest its middle (a button's text never wraps by itself)."""
    if ". " in text:
        return text.replace(". ", ".\n", 1)
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return text
    middle = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:middle] + "\n" + text[middle + 1:]
