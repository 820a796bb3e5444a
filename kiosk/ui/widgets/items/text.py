"""Typed answers: text, numbers, several typed answers, references."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QIntValidator, QRegularExpressionValidator
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.questionnaire import AnswerValue
from kiosk.questionnaire.presentation import unit_text
from kiosk.ui.touch import button, label
from kiosk.ui.widgets.items.base import QuestionWidget, _plain

# a decimal as typed: digits, then a comma or a point and digits (an optional minus first)
DECIMAL_TEXT = QRegularExpression(r"-?\d*([.,]\d*)?")


def _decimal(text: str) -> float:
    """A typed decimal with either mark: "2,3" and "2.3" are both 2.3."""
    return float(text.replace(",", "."))


class TextWidget(QuestionWidget):
    """Free text or a number, typed on the on-screen keyboard."""

    def build_control(self) -> None:
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.item.entry_format or self.t("type_here"))
        self.edit.setAccessibleName(self.item.text or self.item.fhir_link_id)
        if self.item.max_length:
            self.edit.setMaxLength(int(self.item.max_length))
        self._convert: Callable[[str], AnswerValue] = str
        if self.item.type == "integer":
            self.edit.setValidator(QIntValidator(self.edit))
            self.edit.setProperty("digitsOnly", True)
            self._convert = int
        elif self.item.type == "decimal":
            # the patient's decimal mark (2,3 in Spanish) or a point (the digit pad's)
            self.edit.setValidator(QRegularExpressionValidator(DECIMAL_TEXT, self.edit))
            self.edit.setProperty("digitsOnly", True)
            self.edit.setProperty("decimal", True)
            self._convert = _decimal
        self.edit.textChanged.connect(self._on_text_changed)
        self.row = QHBoxLayout()  # the field, and its unit beside it
        self.row.setSpacing(12)
        self.row.addWidget(self.edit, 1)
        self.layout_.addLayout(self.row)
        if self.item.type in ("decimal", "integer") and self.item.units:
            unit = self.item.units[0]  # questionnaire-unit: the unit the number is in
            self.unit_label = label(unit_text(unit), "Unit", wrap=False)
            self.row.addWidget(self.unit_label)

    def _on_text_changed(self, text: str) -> None:
        text = text.strip()
        try:
            values = [self._convert(text)] if text else []
        except ValueError:
            values = []
        self.commit(values, resync=False, typed=True)

    def sync(self) -> None:
        current = self.current()
        text = _plain(current[0]) if current else ""
        if self.item.type == "decimal":
            text = text.replace(".", self.t("decimal_separator"))
        if self.edit.text() != text:
            self.edit.blockSignals(True)
            self.edit.setText(text)
            self.edit.blockSignals(False)


class RepeatingTextWidget(QuestionWidget):
    """A question that takes several typed answers: one field each, add and remove."""

    def build_control(self) -> None:
        self.rows_layout = QVBoxLayout()
        self.layout_.addLayout(self.rows_layout)
        self.edits: list[QLineEdit] = []
        self.add_button = button(self.t("add_answer"), "Quiet")
        self.add_button.clicked.connect(self.on_add)
        self.layout_.addWidget(self.add_button)

    def _convert(self, text: str) -> AnswerValue | None:
        try:
            if self.item.type == "integer":
                return int(text)
            if self.item.type == "decimal":
                return _decimal(text)
        except ValueError:
            return None
        return text

    def _new_row(self, text: str) -> None:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit(text)
        edit.setPlaceholderText(self.item.entry_format or self.t("type_here"))
        edit.setAccessibleName(self.item.text or self.item.fhir_link_id)
        if self.item.type == "integer":
            edit.setValidator(QIntValidator(edit))
            edit.setProperty("digitsOnly", True)
        elif self.item.type == "decimal":
            edit.setValidator(QRegularExpressionValidator(DECIMAL_TEXT, edit))
            edit.setProperty("digitsOnly", True)
            edit.setProperty("decimal", True)
        if self.item.max_length:
            edit.setMaxLength(int(self.item.max_length))
        edit.textChanged.connect(self._on_text_changed)
        remove = button("✕", "Quiet", accessible=self.t("remove_this"))
        remove.clicked.connect(lambda: self.on_remove(row, edit))
        line.addWidget(edit, 1)
        line.addWidget(remove)
        self.rows_layout.addWidget(row)
        self.edits.append(edit)

    def on_add(self) -> None:
        self._new_row("")
        self.edits[-1].setFocus()

    def on_remove(self, row: QWidget, edit: QLineEdit) -> None:
        if len(self.edits) == 1:
            edit.clear()
            return
        self.edits.remove(edit)
        row.hide()
        row.deleteLater()
        self._on_text_changed()

    def _on_text_changed(self, *_: object) -> None:
        values = [self._convert(e.text().strip()) for e in self.edits if e.text().strip()]
        self.commit([v for v in values if v is not None], resync=False, typed=True)

    def sync(self) -> None:
        if self.edits:
            return  # the fields are the source while they exist
        for value in self.current() or [""]:
            self._new_row(_plain(value) if value != "" else "")


class ReferenceWidget(TextWidget):
    """A reference typed as text, with a line saying that no record look-up happens."""

    def build_control(self) -> None:
        super().build_control()
        self.layout_.addWidget(label(self.t("reference_hint"), "Muted"))
