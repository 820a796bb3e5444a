"""The kiosk's one window: Welcome, the patient flow, staff mode, and the idle guard."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from kiosk.content.library import ContentLibrary
from kiosk.intake.records import Step, StepKind
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.overlay import Overlay
from kiosk.ui.patient_flow import PatientFlow
from kiosk.ui.read_aloud import ReadAloud
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
        self.staff: StaffArea | None = None
        self.read_aloud = ReadAloud(settings.speech_engine, self)  # engine starts on first use

        t = content.strings("en")
        self.idle = IdleWatcher(settings.idle_ms, settings.warning_ms, self)
        QApplication.instance().installEventFilter(self.idle)
        self.idle_overlay = Overlay(self, t("idle_heading"))
        self.still_here = self.idle_overlay.add_button(t("idle_continue"), "Primary")
        self.still_here.clicked.connect(self.on_still_here)
        self.idle.warn.connect(self.on_idle_warning)
        self.idle.tick.connect(self.on_idle_tick)
        self.idle.expired.connect(self.on_idle_expired)

        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.timeout.connect(self.end_patient)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, activated=self.open_staff)

    # -- patient ----------------------------------------------------------------------------
    def start_patient(self, language: str) -> None:
        if self.settings.staff_only:
            return
        self._show_flow(IntakeSession(self.content, language))
        self.idle.idle_ms = self.settings.idle_ms
        self.idle.arm()
        log.info("patient session started")

    def switch_language(self, language: str) -> None:
        """The patient changed language mid-intake: same session, every screen redrawn."""
        if self.flow is None:
            return
        old, session = self.flow, self.flow.session
        session.set_language(language)
        old.dispose()
        self.stack.removeWidget(old)
        old.setParent(None)
        old.deleteLater()
        self._show_flow(session)

    def _show_flow(self, session: IntakeSession) -> None:
        self.flow = PatientFlow(session, self.store, self.read_aloud, self.settings.keyboard)
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
        """Destroy the patient's widgets and session, and show Welcome."""
        self.thanks_timer.stop()
        self.idle.disarm()
        self.idle_overlay.hide()
        self.read_aloud.forget()
        if self.flow is not None:
            flow, self.flow = self.flow, None
            flow.discard_draft()
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

    # -- staff ------------------------------------------------------------------------------
    def open_staff(self) -> None:
        if self.flow is not None or self.staff is not None:
            return  # never from inside a patient's session
        self.staff = StaffArea(self.store, self.content, self.settings.exports_dir)
        self.staff.left.connect(self.close_staff)
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
        self.stack.setCurrentWidget(self.welcome)

    # -- idle -------------------------------------------------------------------------------
    def on_idle_warning(self, seconds: int) -> None:
        t = self.content.strings(self.flow.session.language if self.flow else "en")
        self.idle_overlay.heading.setText(t("idle_heading"))  # in the patient's language
        self.still_here.setText(t("idle_continue"))
        self.on_idle_tick(seconds)
        self.idle_overlay.open()

    def on_idle_tick(self, seconds: int) -> None:
        t = self.content.strings(self.flow.session.language if self.flow else "en")
        self.idle_overlay.set_body(t("idle_body", seconds=seconds))

    def on_still_here(self) -> None:
        self.idle_overlay.hide()
        self.idle.still_here()

    def on_idle_expired(self) -> None:
        log.info("idle timeout: resetting")
        if self.staff is not None:
            self.staff.sign_out("idle_sign_out")
            self.close_staff()
        else:
            self.end_patient()
