"""Confirm: the patient's statement, a signature, and the button that sends the answers
(shown by the flow in the footer, where Next always is).

The signature is drawn on the pad with a finger, or — for anyone who cannot draw (no sight,
switch access, a tremor) — given by typing the full name and choosing "I agree — this is
my signature" ("Type my name instead", reachable without a pointer).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.intake.service import IntakeService
from kiosk.intake.session import NAME_MAX_LENGTH
from kiosk.ui import accessibility
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import ChoiceButton, MessageLine, button, label
from kiosk.ui.widgets.signature_pad import SignaturePad


class ConfirmScreen(Screen):
    confirmed = Signal()

    def on_signed(self) -> None:
        self.service.sign(None if self.pad.is_empty() else self.pad.png())
        if not self.pad.is_empty():
            self.error.hide()
            self.refresh_banner()

    def on_typed(self) -> None:
        self.service.sign_typed(self.typed_name.text(), self.agree.isChecked())
        accessibility.count_activity(self)  # text set through the accessibility tree too
        if self.typed_name.text().strip():
            self.typed_name_error.hide()
        if self.agree.isChecked():
            self.agree_error.hide()
        self.refresh_banner()

    def on_switch_tapped(self) -> None:
        session = self.service.session
        self.set_mode("drawn" if session.signature_mode == "typed" else "typed")

    def set_mode(self, mode: str) -> None:
        """Show the pad or the typed-name signature; the intake keeps the one shown."""
        self.service.set_signature_mode(mode)
        typed = mode == "typed"
        for widget in (self.sign_label, self.clear, self.pad):
            widget.setVisible(not typed)
        self.typed_box.setVisible(typed)
        self.error.hide()
        self.typed_name_error.hide()
        self.agree_error.hide()
        self.refresh_banner()
        key = "drawn_signature_switch" if typed else "typed_signature_switch"
        self.switch.setText(self.t(key))
        self.switch.setAccessibleName(self.t(key))

    def show_problems(self, problems):
        super().show_problems(problems)
        first: QWidget | None = None
        for field, line, widget in (("signature", self.error, self.pad),
                                    ("typed_name", self.typed_name_error, self.typed_name),
                                    ("typed_agree", self.agree_error, self.agree)):
            shown = [p for p in problems if p.field == field]
            line.setText(self.message(shown[0]) if shown else "")
            line.setVisible(bool(shown))
            widget.setAccessibleDescription(line.text())
            widget.setProperty("invalid", bool(shown))
            if shown and first is None:
                first = widget
        return first

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
        self.sign_label = label(t("sign_here"), "FieldLabel")
        sign_row.addWidget(self.sign_label, 1)
        sign_row.addWidget(self.clear)
        self.body.addLayout(sign_row)
        self.body.addWidget(self.pad)
        self.error = MessageLine()
        self.error.hide()
        self.body.addWidget(self.error)

        # without a pointer: the full name typed, and an explicit agreement
        self.typed_box = QWidget()
        self._typed_column(t, QVBoxLayout(self.typed_box))
        self.body.addWidget(self.typed_box)
        self.switch = button(t("typed_signature_switch"), "Quiet")
        self.switch.setAccessibleDescription(t("typed_signature_switch_description"))
        self.switch.clicked.connect(self.on_switch_tapped)
        self.body.addWidget(self.switch)
        # in the footer, bottom right where Next always is: never below the fold (12.5)
        self.confirm_button = button(t("confirm_button"), "Primary")
        self.confirm_button.clicked.connect(self.confirmed)
        # the screen's until the flow puts it in the footer (so it goes with a screen that
        # was readied and never shown); hidden: not at the screen's corner meanwhile
        self.confirm_button.setParent(self)
        self.confirm_button.hide()
        self.footer_action = self.confirm_button
        self.finish_layout()
        session = service.session
        # the signature as given so far, shown before the fields report changes: building
        # the screen changes nothing (it may be built while the patient reads the review)
        self.typed_name.setText(session.typed_name)
        self.agree.show_answer(session.typed_agreed)
        self.typed_name.textChanged.connect(self.on_typed)
        self.set_mode(session.signature_mode)

    def _typed_column(self, t: Catalogue, column: QVBoxLayout) -> None:
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(label(t("typed_signature_name"), "FieldLabel"))
        self.typed_name = QLineEdit()
        self.typed_name.setAccessibleName(t("typed_signature_name"))
        self.typed_name.setMaxLength(NAME_MAX_LENGTH * 2)
        self.typed_name.setProperty("capitalizeWords", True)
        self.typed_name.setPlaceholderText(t("type_here"))
        self.typed_name.editingFinished.connect(self.service.leave_field)
        column.addWidget(self.typed_name)
        self.typed_name_error = label("", "Error")
        self.typed_name_error.hide()
        column.addWidget(self.typed_name_error)
        self.agree = ChoiceButton(t("typed_signature_agree"))
        accessibility.set_role(self.agree, QAccessible.Role.CheckBox)
        self.agree.chosen.connect(lambda _=False: self.on_typed())
        column.addWidget(self.agree)
        self.agree_error = label("", "Error")
        self.agree_error.hide()
        column.addWidget(self.agree_error)


if __name__ == "__main__":
    from kiosk.ui.preview import preview_screen

    preview_screen(lambda service, t: ConfirmScreen(service, t), answered=True)
