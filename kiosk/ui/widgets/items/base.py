"""The frame every item widget shares: text, control, error line, and how answers are
recorded. Widgets never decide what is enabled or valid."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.questionnaire import AnswerValue, Coding, Item
from kiosk.questionnaire.answering import Answerer
from kiosk.questionnaire.instances import Path
from kiosk.ui.touch import MessageLine, label


class ItemWidget(QWidget):
    """One item: its text, its control, its error line, and its nested items."""

    answered = Signal(str, object)  # linkId, set of linkIds whose enabled state changed

    def __init__(self, item: Item, answers: Answerer, t: Catalogue, path: Path = ()) -> None:
        super().__init__()
        self.item = item
        self.answers = answers  # every answer goes through it (see kiosk.questionnaire.answering)
        self.sheet = answers.sheet  # read only
        self.t = t
        self.path = path  # the instance of the repeating groups around the item
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 8, 0, 8)
        self.layout_.setSpacing(10)
        self.error = MessageLine()
        self.error.hide()

    def commit(self, values: list[AnswerValue], resync: bool = True, typed: bool = False) -> None:
        """Give the answer to the answerer (``typed``: from a key, written a moment later)."""
        changed = self.answers.record(self.item.link_id, values, self.path, typed)
        self.clear_error()
        if resync:
            self.sync()
        self.answered.emit(self.item.link_id, changed)

    def current(self) -> list[AnswerValue]:
        return self.sheet.get(self.item.link_id, self.path)

    def sync(self) -> None:
        """Show the sheet's current answer (after exclusive options, a revisit)."""

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.hide()


class QuestionWidget(ItemWidget):
    """Common frame for questions: label, hint, control, error."""

    def __init__(self, item: Item, answers: Answerer, t: Catalogue, path: Path = ()) -> None:
        super().__init__(item, answers, t, path)
        text = f"{item.prefix} {item.text}".strip() if item.prefix else item.text
        self.question = label(text or item.fhir_link_id, "Question")
        self.question.setAccessibleName(text or item.fhir_link_id)
        self.layout_.addWidget(self.question)
        if item.repeats and item.options:
            self.layout_.addWidget(label(t("choose_all"), "Muted"))
        self.build_control()
        for edit in self.findChildren(QLineEdit):  # leaving a field writes what was typed
            edit.editingFinished.connect(self.answers.leave_field)
        self.layout_.addWidget(self.error)
        self.sync()
        if item.read_only or item.calculated_expression:  # the form fills these in
            for child in self.findChildren(QWidget):
                if child is not self.question:
                    child.setEnabled(False)
            for edit in self.findChildren(QLineEdit):  # a value shown, not a field to tap
                edit.setReadOnly(True)
                edit.setPlaceholderText("—")
                edit.setProperty("readOnlyValue", True)
                edit.setAccessibleDescription(t("filled_in_by_form"))

    def build_control(self) -> None:
        """Subclasses add their answer control to ``layout_`` here."""


def _plain(value: AnswerValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Coding):
        return value.display or value.code
    return str(value)
