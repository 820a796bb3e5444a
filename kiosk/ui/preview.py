"""Preview one screen alone with demo data: ``python -m kiosk.ui.screens.review``."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import load_content
from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.ui.screens.base import Screen, ScreenHost
from kiosk.ui.theme import apply_theme


def preview_widget(make: Callable[[], QWidget]) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    widget = make()
    widget.resize(1280, 800)
    widget.show()
    sys.exit(app.exec())


def preview_screen(
    make: Callable[[IntakeSession, Catalogue], Screen], answered: bool = False
) -> None:
    def build() -> QWidget:
        content = load_content()
        session = IntakeSession(content)
        if answered:
            fill_demo_session(session)
        else:
            session.choose_procedure(content.procedures[0].id)
        host = ScreenHost()
        host.show_screen(make(session, content.strings(session.language)))
        return host

    preview_widget(build)
