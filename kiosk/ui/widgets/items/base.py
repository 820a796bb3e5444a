"""The frame every item widget shares: text, control, error line, and how answers are
recorded. Widgets never decide what is enabled or valid."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.questionnaire import AnswerValue, Coding, Item
from kiosk.questionnaire.answering import Answerer
from kiosk.questionnaire.instances import Path
from kiosk.ui import accessibility
from kiosk.ui.touch import MessageLine, label

_OWN_DESCRIPTION = "kioskDescription"  # a control's description without the problem


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
        self.error.setParent(self)  # kinds that never lay it out must still own it

    def commit(self, values: list[AnswerValue], resync: bool = True, typed: bool = False) -> None:
        """Give the answer to the answerer (``typed``: from a key, written a moment later)."""
        changed = self.answers.record(self.item.link_id, values, self.path, typed)
        accessibility.count_activity(self)  # text set through the accessibility tree too
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
        self._describe_problem(text)

    def clear_error(self) -> None:
        if self.error.isVisibleTo(self):
            self.error.hide()
            self._describe_problem("")

    def controls(self) -> list[QWidget]:
        """This item's own answer controls (not those of the items nested in it)."""
        own = []
        for widget in self.findChildren(QWidget):
            if not isinstance(widget, QAbstractButton | QLineEdit):
                continue
            parent = widget.parentWidget()
            while parent is not None and not isinstance(parent, ItemWidget):
                parent = parent.parentWidget()
            if parent is self:
                own.append(widget)
        return own

    def focus_target(self) -> QWidget:
        """Where focus goes when this item has a problem: its first control."""
        shown = [c for c in self.controls() if c.isVisibleTo(self) and c.isEnabled()]
        return shown[0] if shown else self.error

    def _describe_problem(self, text: str) -> None:
        """The problem is part of each control's description, and its state invalid."""
        for control in self.controls():
            own = control.property(_OWN_DESCRIPTION)
            if own is None:
                own = control.accessibleDescription()
                control.setProperty(_OWN_DESCRIPTION, own)
            control.setAccessibleDescription(f"{own} — {text}" if text and own else
                                             text or own)
            control.setProperty("invalid", bool(text))


class QuestionWidget(ItemWidget):
    """Common frame for questions: label, hint, control, error."""

    def __init__(self, item: Item, answers: Answerer, t: Catalogue, path: Path = ()) -> None:
        super().__init__(item, answers, t, path)
        self.question = label("", "Question")
        self.refresh_text()
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

    def refresh_text(self) -> None:
        """Show the question's text as it is now (a form may compute it: cqf-expression)."""
        shown = self.sheet.text_of(self.item)
        text = f"{self.item.prefix} {shown}".strip() if self.item.prefix else shown
        self.question.setText(text or self.item.fhir_link_id)
        self.question.setAccessibleName(text or self.item.fhir_link_id)

    def build_control(self) -> None:
        """Subclasses add their answer control to ``layout_`` here."""


def _plain(value: AnswerValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Coding):
        return value.display or value.code
    return str(value)
