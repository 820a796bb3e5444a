"""Preview one screen alone with demo data: ``python -m kiosk.ui.screens.review``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import load_content
from kiosk.demo.answers import fill_demo_session
from kiosk.intake.records import SubmittedIntake
from kiosk.intake.service import IntakeService
from kiosk.intake.session import IntakeSession
from kiosk.intake.writer import IntakeWriter
from kiosk.ui.screens.base import Screen, ScreenHost
from kiosk.ui.theme import apply_theme


def preview_widget(make: Callable[[], QWidget]) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    widget = make()
    widget.resize(1280, 800)
    widget.show()
    sys.exit(app.exec())


class _NothingKept:
    """A preview keeps nothing: its writer writes nowhere."""

    def save_draft(self, uid: str, started_at: Any, data: dict[str, Any]) -> None:
        pass

    def discard_draft(self, uid: str) -> None:
        pass

    def submit(self, intake: SubmittedIntake) -> int:
        return 0


def preview_screen(
    make: Callable[[IntakeService, Catalogue], Screen], answered: bool = False
) -> None:
    def build() -> QWidget:
        content = load_content()
        session = IntakeSession(content)
        if answered:
            fill_demo_session(session)
        else:
            session.choose_procedure(content.procedures[0].id)
        service = IntakeService(session, IntakeWriter(_NothingKept()))
        host = ScreenHost()
        host.show_screen(make(service, content.strings(session.language)))
        return host

    preview_widget(build)
