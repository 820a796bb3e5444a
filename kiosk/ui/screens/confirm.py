"""Confirm: the patient's statement, the signature, and the button that sends the answers
(shown by the flow in the footer)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout

from kiosk.content.catalogue import Catalogue
from kiosk.intake.service import IntakeService
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import MessageLine, button, label
from kiosk.ui.widgets.signature_pad import SignaturePad


class ConfirmScreen(Screen):
    confirmed = Signal()

    def on_signed(self) -> None:
        self.service.sign(None if self.pad.is_empty() else self.pad.png())
        if not self.pad.is_empty():
            self.error.hide()

    def show_problems(self, problems):
        super().show_problems(problems)
        shown = [p for p in problems if p.field == "signature"]
        self.error.setText(self.message(shown[0]) if shown else "")
        self.error.setVisible(bool(shown))
        return self.pad if shown else None

    def __init__(self, service: IntakeService, t: Catalogue) -> None:
        super().__init__(service.session, t)
        self.service = service
        self.body.addWidget(label(t("confirm_heading"), "Heading"))
        statement = label(t("confirm_statement"), "Statement")
        self.body.addWidget(statement)
        self.body.addWidget(label(t("confirm_note"), "Body"))
        self.pad = SignaturePad()
        self.pad.setAccessibleName(t("sign_here"))
        self.pad.changed.connect(self.on_signed)
        self.clear = button(t("clear_signature"), "Quiet")
        self.clear.clicked.connect(self.pad.clear)
        sign_row = QHBoxLayout()  # Clear beside the prompt: the big button stays in view
        sign_row.addWidget(label(t("sign_here"), "FieldLabel"), 1)
        sign_row.addWidget(self.clear)
        self.body.addLayout(sign_row)
        self.body.addWidget(self.pad)
        self.error = MessageLine()
        self.error.hide()
        self.body.addWidget(self.error)
        # in the footer, bottom right where Next always is: never below the fold (12.5)
        self.confirm_button = button(t("confirm_button"), "Primary")
        self.confirm_button.clicked.connect(self.confirmed)
        self.footer_action = self.confirm_button
        self.finish_layout()


if __name__ == "__main__":
    from kiosk.ui.preview import preview_screen

    preview_screen(lambda service, t: ConfirmScreen(service, t), answered=True)
