"""The kiosk's one window: Welcome, the patient flow, staff mode, and the idle guard.

The window owns the kiosk's one :class:`~kiosk.intake.writer.IntakeWriter` (a thread that
writes intakes in order); its news is handed to this thread by :class:`WriterNews`. An
intake whose answers are only in memory (storage failing) is never dropped: an idle reset
then shows a hold screen with no patient data, and staff can step in with their PIN.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from kiosk.content.library import ContentLibrary
from kiosk.intake.appointments import AppointmentSource
from kiosk.intake.records import Step, StepKind
from kiosk.intake.service import IntakeService
from kiosk.intake.session import IntakeSession
from kiosk.intake.writer import IntakeWriter, WriteOutcome
from kiosk.storage import Store
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.overlay import Overlay
from kiosk.ui.patient_flow import PatientFlow
from kiosk.ui.read_aloud import ReadAloud
from kiosk.ui.screens.thanks import MessageScreen
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.staff.area import StaffArea
from kiosk.ui.theme import apply_theme

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowSettings:
    idle_ms: int
    warning_ms: int
    staff_idle_ms: int
    exports_dir: Path
    thanks_ms: int = 20_000
    demo: bool = False  # an unencrypted database: marked "not for patient data"
    staff_only: bool = False  # the front-desk PC: sign-in again instead of Welcome
    speech_engine: str | None = None  # see KioskConfig.speech_engine
    keyboard: str = "kiosk"  # "kiosk" or "qt" (resolved from KioskConfig.keyboard)


class WriterNews(QObject):
    """The writer's outcomes, re-emitted as a signal: delivered on the window's thread."""

    outcome = Signal(object)  # WriteOutcome


class KioskWindow(QMainWindow):
    patient_reset = Signal()  # the screen is back at Welcome with no patient data

    def __init__(self, content: ContentLibrary, store: Store, settings: WindowSettings) -> None:
        super().__init__()
        self.setObjectName("KioskWindow")
        self.setWindowTitle(f"Intake Kiosk — {content.clinic.clinic_name}")
        self.content = content
        self.store = store
        self.settings = settings
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.welcome = WelcomeScreen(content, demo=settings.demo)
        self.welcome.start_requested.connect(self.start_patient)
        self.welcome.staff_requested.connect(self.open_staff)
        self.welcome.display_requested.connect(self.on_display_requested)
        self.stack.addWidget(self.welcome)
        self.flow: PatientFlow | None = None
        self.appointments: AppointmentSource | None = None  # today's list, if fed
        self.staff: StaffArea | None = None
        self.writer = IntakeWriter(store)
        self.news = WriterNews(self)
        self.writer.listeners.append(self.news.outcome.emit)
        self.news.outcome.connect(self.on_write_outcome)
        self.held: IntakeService | None = None  # unsaved intake behind the hold screen
        self.hold_screen: MessageScreen | None = None
        self.read_aloud = ReadAloud(settings.speech_engine, self)  # engine starts on first use

        t = content.strings("en")
        self.idle = IdleWatcher(settings.idle_ms, settings.warning_ms, self)
        self.idle.watch(QApplication.instance())
        self.idle_overlay = Overlay(self, t("idle_heading"))
        self.still_here = self.idle_overlay.add_button(t("idle_continue"), "Primary")
        self.still_here.clicked.connect(self.on_still_here)
        self.idle.warn.connect(self.on_idle_warning)
        self.idle.tick.connect(self.on_idle_tick)
        self.idle.expired.connect(self.on_idle_expired)
        self.idle.resumed.connect(self.idle_overlay.hide)

        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.timeout.connect(self.end_patient)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, activated=self.open_staff)

    # -- patient ----------------------------------------------------------------------------
    def start_patient(self, language: str) -> None:
        if self.settings.staff_only:
            return
        session = IntakeSession(self.content, language, appointments=self.appointments)
        self._show_flow(IntakeService(session, self.writer))
        self.idle.idle_ms = self.settings.idle_ms
        self.idle.arm()
        log.info("patient session started")

    def switch_language(self, language: str) -> None:
        """The patient changed language mid-intake: same session, every screen redrawn."""
        if self.flow is None:
            return
        old, service = self.flow, self.flow.service
        service.set_language(language)
        old.dispose()
        self.stack.removeWidget(old)
        old.setParent(None)
        old.deleteLater()
        self._show_flow(service)
        if old.submitted_id is not None:  # Thank-you in the new language, still submitted
            self.flow.submitted_id = old.submitted_id

    def _show_flow(self, service: IntakeService) -> None:
        self.flow = PatientFlow(service, self.read_aloud, self.settings.keyboard)
        self.flow.staff_requested.connect(self.open_staff)
        self.flow.language_requested.connect(self.switch_language)
        self.flow.keyboard_unavailable.connect(self.on_keyboard_unavailable)
        self.flow.finished.connect(self.end_patient)
        self.flow.cancelled.connect(self.end_patient)
        self.flow.screen_shown.connect(self.on_step_shown)
        self.stack.addWidget(self.flow)
        self.stack.setCurrentWidget(self.flow)

    def on_keyboard_unavailable(self) -> None:
        self.settings = dataclasses.replace(self.settings, keyboard="kiosk")

    def on_step_shown(self, step: Step) -> None:
        if step.kind is StepKind.DONE:
            self.idle.disarm()
            self.thanks_timer.start(self.settings.thanks_ms)

    def end_patient(self) -> None:
        """Destroy the patient's widgets and session, and show Welcome. A patient who
        left before confirming has their answers discarded."""
        self.thanks_timer.stop()
        self.idle.disarm()
        self.idle_overlay.hide()
        self.read_aloud.forget()
        self._drop_hold()
        if self.flow is not None:
            flow, self.flow = self.flow, None
            flow.discard()
            flow.service.close()
            flow.dispose()
            self.stack.removeWidget(flow)
            flow.setParent(None)
            flow.deleteLater()
        self.welcome.set_language("en")
        self.welcome.reset_display()
        apply_theme(QApplication.instance())
        self.stack.setCurrentWidget(self.welcome)
        log.info("patient session ended")
        self.patient_reset.emit()

    def on_display_requested(self, text_size: float, high_contrast: bool) -> None:
        """Larger text or high contrast, everywhere, at once."""
        apply_theme(QApplication.instance(), text_size, high_contrast)

    def shut_down(self) -> None:
        """The kiosk is closing: what is waiting is written (a few seconds at most), then
        storage closes. A draft that could not be written is lost only with the process."""
        if not self.writer.wait_idle(5.0):
            log.error("closing with intake writes still waiting")
        self.writer.stop(1.0)
        self.store.close()

    # -- unsaved answers ---------------------------------------------------------------------
    def on_write_outcome(self, outcome: WriteOutcome) -> None:
        if self.flow is not None:
            self.flow.on_write_outcome(outcome)
        if self.staff is not None:
            self.staff.on_write_outcome()
        if self.held is not None and not self.held.unsaved() and self.staff is None:
            self.end_patient()  # written at last (an interrupted draft, or the intake)

    def hold(self) -> None:
        """The patient went quiet while their answers could not be saved: hide them behind
        a screen with no patient data until storage works again or staff step in."""
        assert self.flow is not None
        flow, self.flow = self.flow, None
        self.held = flow.service
        flow.dispose()
        self.stack.removeWidget(flow)
        flow.setParent(None)
        flow.deleteLater()
        self.read_aloud.forget()
        t = self.content.strings("en")
        self.hold_screen = MessageScreen(t, t("hold_heading"), t("hold_body"),
                                         t("error_storage_staff"))
        self.hold_screen.acted.connect(self.open_staff)
        self.stack.addWidget(self.hold_screen)
        self.stack.setCurrentWidget(self.hold_screen)
        log.info("unsaved intake held for staff")

    def _drop_hold(self) -> None:
        if self.held is not None:
            self.held.close()
            self.held = None
        if self.hold_screen is not None:
            self.stack.removeWidget(self.hold_screen)
            self.hold_screen.deleteLater()
            self.hold_screen = None

    def pending(self) -> IntakeService | None:
        """The tablet's intake whose answers are only in memory, if any."""
        for service in (self.flow.service if self.flow else None, self.held):
            if service is not None and service.unsaved():
                return service
        return None

    # -- staff ------------------------------------------------------------------------------
    def open_staff(self) -> None:
        if self.staff is not None:
            return
        pending = self.pending()
        if self.flow is not None and not (self.flow.storage_failed and pending is not None):
            return  # never from inside a patient's session, unless its answers are stuck
        self.idle_overlay.hide()
        self.staff = StaffArea(self.store, self.content, self.settings.exports_dir, pending,
                               self.appointments)
        self.staff.left.connect(self.close_staff)
        self.staff.pending_return.connect(self.close_staff)
        self.staff.pending_discarded.connect(self.on_pending_discarded)
        self.stack.addWidget(self.staff)
        self.stack.setCurrentWidget(self.staff)
        self.idle.idle_ms = self.settings.staff_idle_ms
        self.idle.arm()

    def close_staff(self) -> None:
        self.idle.disarm()
        self.idle_overlay.hide()
        if self.staff is not None:
            staff, self.staff = self.staff, None
            self.stack.removeWidget(staff)
            staff.setParent(None)
            staff.deleteLater()
        if self.settings.staff_only:
            self.open_staff()  # the front desk never shows patient screens
            return
        if self.flow is not None:  # staff stepped in from the patient's error screen
            self.stack.setCurrentWidget(self.flow)
            self.idle.idle_ms = self.settings.idle_ms
            self.idle.arm()
            return
        if self.held is not None:
            if self.held.unsaved():
                self.stack.setCurrentWidget(self.hold_screen)
                return
            self._drop_hold()
        self.stack.setCurrentWidget(self.welcome)

    def on_pending_discarded(self) -> None:
        """Staff dropped the unsaved answers: the tablet is ready for the next patient."""
        log.info("unsaved intake discarded by staff")
        self.close_staff()
        self.end_patient()

    # -- idle -------------------------------------------------------------------------------
    def on_idle_warning(self, seconds: int) -> None:
        t = self.content.strings(self.flow.session.language if self.flow else "en")
        self.idle_overlay.set_heading(t("idle_heading"))  # in the patient's language
        self.still_here.setText(t("idle_continue"))
        self.still_here.setAccessibleName(t("idle_continue"))
        self.on_idle_tick(seconds)
        if self.flow is not None:
            self.flow.hide_keyboard()  # nothing may sit above the question or its button
        self.idle_overlay.open(focus=self.still_here)  # modal, announced, focused

    def on_idle_tick(self, seconds: int) -> None:
        t = self.content.strings(self.flow.session.language if self.flow else "en")
        self.idle_overlay.set_body(t("idle_body", seconds=seconds))

    def on_still_here(self) -> None:
        self.idle_overlay.hide()
        self.idle.still_here()

    def on_idle_expired(self) -> None:
        log.info("idle timeout: resetting")
        self.idle_overlay.hide()  # the question is over (it stayed up over the hold screen)
        if self.staff is not None:
            self.staff.sign_out("idle_sign_out")
            self.close_staff()
        elif self.flow is not None and self.flow.service.unsaved():
            self.hold()  # never drop answers that are only in memory
        else:
            self.end_patient()
