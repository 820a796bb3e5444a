"""Confirm: the patient's statement, and one large button that sends the answers."""

from __future__ import annotations

from PySide6.QtCore import Signal

from kiosk.session import IntakeSession
from kiosk.strings import Catalogue
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import button, label


class ConfirmScreen(Screen):
    confirmed = Signal()

    def __init__(self, session: IntakeSession, t: Catalogue) -> None:
        super().__init__(session, t)
        self.body.addWidget(label(t("confirm_heading"), "Heading"))
        statement = label(t("confirm_statement"), "Statement")
        self.body.addWidget(statement)
        self.body.addWidget(label(t("confirm_note"), "Body"))
        self.confirm_button = button(t("confirm_button"), "Start")
        self.confirm_button.clicked.connect(self.confirmed)
        self.body.addSpacing(24)
        self.body.addWidget(self.confirm_button)
        self.finish_layout()


if __name__ == "__main__":
    from kiosk.ui.preview import preview_screen

    preview_screen(lambda session, t: ConfirmScreen(session, t), answered=True)
