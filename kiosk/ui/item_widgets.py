"""Widgets for questionnaire items, chosen by item type and itemControl.

Each widget shows one item and sends its answers to the intake session; it never
decides what is enabled or required (the engine does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.questionnaire import AnswerValue, Item
from kiosk.session import IntakeSession
from kiosk.strings import Catalogue
from kiosk.ui.date_field import DateField
from kiosk.ui.touch import ChoiceButton, button, label

MAX_SCALE_BUTTONS = 11


class ItemWidget(QWidget):
    """One item: its text, its control, its error line, and its nested items."""

    answered = Signal(str, object)  # linkId, set of linkIds whose enabled state changed

    def __init__(self, item: Item, session: IntakeSession, t: Catalogue) -> None:
        super().__init__()
        self.item = item
        self.session = session
        self.t = t
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 8, 0, 8)
        self.layout_.setSpacing(10)
        self.error = label("", "Error")
        self.error.hide()

    def commit(self, values: list[AnswerValue]) -> None:
        changed = self.session.answer(self.item.link_id, values)
        self.clear_error()
        self.sync()
        self.answered.emit(self.item.link_id, changed)

    def sync(self) -> None:
        """Show the session's current answer (after exclusive options, a reset, a revisit)."""

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.hide()

    def focus_target(self) -> QWidget:
        return self


def _question_text(item: Item, t: Catalogue) -> str:
    text = f"{item.prefix} {item.text}".strip() if item.prefix else item.text
    return text or item.link_id


class QuestionWidget(ItemWidget):
    """Common frame for questions: label, hint, control, error."""

    def __init__(self, item: Item, session: IntakeSession, t: Catalogue) -> None:
        super().__init__(item, session, t)
        self.question = label(_question_text(item, t), "Question")
        self.question.setAccessibleName(item.text)
        self.layout_.addWidget(self.question)
        if item.repeats and item.options:
            self.layout_.addWidget(label(t("choose_all"), "Muted"))
        self.build_control()
        self.layout_.addWidget(self.error)
        self.sync()

    def build_control(self) -> None:
        """Subclasses add their answer control to ``layout_`` here."""


class BooleanWidget(QuestionWidget):
    def build_control(self) -> None:
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: dict[bool, ChoiceButton] = {}
        for value, text in ((True, self.t("yes")), (False, self.t("no"))):
            choice = ChoiceButton(text)
            choice.setAccessibleDescription(self.item.text)
            choice.clicked.connect(lambda checked, v=value: self.commit([v] if checked else []))
            self.buttons[value] = choice
            row.addWidget(choice)
        self.layout_.addLayout(row)

    def sync(self) -> None:
        current = self.session.answers.get(self.item.link_id)
        for value, choice in self.buttons.items():
            choice.setChecked(value in current)


class ChoiceWidget(QuestionWidget):
    """Radio or check-box rows for answerOption lists (two columns when the list is long)."""

    def build_control(self) -> None:
        grid = QGridLayout()
        grid.setSpacing(10)
        self.buttons: list[tuple[AnswerValue, ChoiceButton]] = []
        options = self.item.options
        columns = 2 if len(options) > 3 else 1
        for index, option in enumerate(options):
            choice = ChoiceButton(option.display)
            choice.setAccessibleDescription(self.item.text)
            choice.clicked.connect(lambda checked, v=option.value: self._on_clicked(v, checked))
            self.buttons.append((option.value, choice))
            grid.addWidget(choice, index // columns, index % columns)  # reading order
        self.layout_.addLayout(grid)
        if not options:
            self.layout_.addWidget(label(self.t("type_here"), "Muted"))

    def _on_clicked(self, value: AnswerValue, checked: bool) -> None:
        current = self.session.answers.get(self.item.link_id)
        if self.item.repeats:
            current = [v for v in current if v != value] + ([value] if checked else [])
        else:
            current = [value] if checked else []
        self.commit(current)

    def sync(self) -> None:
        current = self.session.answers.get(self.item.link_id)
        for value, choice in self.buttons:
            choice.setChecked(value in current)


class ScaleWidget(QuestionWidget):
    """An integer from a short range (a 0-10 pain score) as a row of number buttons."""

    def build_control(self) -> None:
        low, high = int(self.item.min_value or 0), int(self.item.max_value or 10)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.buttons: dict[int, QPushButton] = {}
        for number in range(low, high + 1):
            key = button(str(number), "Number", accessible=f"{number}")
            key.setCheckable(True)
            key.clicked.connect(lambda checked, n=number: self.commit([n] if checked else []))
            self.buttons[number] = key
            row.addWidget(key)
        self.layout_.addLayout(row)
        anchors = QHBoxLayout()
        for child in self.item.items:
            if child.type == "display" and child.item_control in ("lower", "upper"):
                anchor = label(child.text, "Muted")
                if child.item_control == "upper":
                    anchor.setAlignment(Qt.AlignmentFlag.AlignRight)
                anchors.addWidget(anchor)
        self.layout_.addLayout(anchors)

    def sync(self) -> None:
        current = self.session.answers.get(self.item.link_id)
        for number, key in self.buttons.items():
            key.setChecked(number in current)


class TextWidget(QuestionWidget):
    """Free text or a number, typed on the on-screen keyboard."""

    def build_control(self) -> None:
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.t("type_here"))
        self.edit.setAccessibleName(self.item.text)
        if self.item.max_length:
            self.edit.setMaxLength(int(self.item.max_length))
        self._convert: Callable[[str], AnswerValue] = str
        if self.item.type == "integer":
            self.edit.setValidator(QIntValidator(self.edit))
            self.edit.setProperty("digitsOnly", True)
            self._convert = int
        elif self.item.type == "decimal":
            self.edit.setValidator(QDoubleValidator(self.edit))
            self._convert = float
        self.edit.textChanged.connect(self._on_text_changed)
        self.layout_.addWidget(self.edit)

    def _on_text_changed(self, text: str) -> None:
        text = text.strip()
        try:
            values = [self._convert(text)] if text else []
        except ValueError:
            values = []
        changed = self.session.answer(self.item.link_id, values)
        self.clear_error()
        self.answered.emit(self.item.link_id, changed)

    def sync(self) -> None:
        current = self.session.answers.get(self.item.link_id)
        text = str(current[0]) if current else ""
        if self.edit.text() != text:
            self.edit.blockSignals(True)
            self.edit.setText(text)
            self.edit.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self.edit


class DateWidget(QuestionWidget):
    def build_control(self) -> None:
        today = dt.date.today()
        self.field = DateField(self.t, today.year - 120, today.year + 5)
        self.field.changed.connect(self._on_date)
        self.layout_.addWidget(self.field)

    def _on_date(self, year: int | None, month: int | None, day: int | None) -> None:
        try:
            complete = year and month and day
            values: list[AnswerValue] = [dt.date(year, month, day)] if complete else []
        except ValueError:
            values = []
        changed = self.session.answer(self.item.link_id, values)
        self.answered.emit(self.item.link_id, changed)

    def sync(self) -> None:
        current = self.session.answers.get(self.item.link_id)
        if current and isinstance(current[0], dt.date):
            self.field.blockSignals(True)
            self.field.set_value(current[0].year, current[0].month, current[0].day)
            self.field.blockSignals(False)


class UnsupportedWidget(QuestionWidget):
    """Item types the kiosk cannot take by touch yet: said plainly, never a crash."""

    def build_control(self) -> None:
        self.layout_.addWidget(label(self.t("unsupported_item"), "Notice"))


class DisplayWidget(ItemWidget):
    def __init__(self, item: Item, session: IntakeSession, t: Catalogue) -> None:
        super().__init__(item, session, t)
        self.layout_.addWidget(label(item.text, "Body"))


class GroupWidget(ItemWidget):
    def __init__(self, item: Item, session: IntakeSession, t: Catalogue, top: bool) -> None:
        super().__init__(item, session, t)
        if item.text and not top:
            self.layout_.addWidget(label(item.text, "SubHeading"))


def build_item_widget(
    item: Item, session: IntakeSession, t: Catalogue, top: bool = False
) -> ItemWidget:
    """The widget for ``item`` (its nested items are added by the page)."""
    if item.type == "group":
        return GroupWidget(item, session, t, top)
    if item.type == "display":
        return DisplayWidget(item, session, t)
    if item.type == "boolean":
        return BooleanWidget(item, session, t)
    if item.type in ("choice", "open-choice") and item.options:
        return ChoiceWidget(item, session, t)
    if (
        item.type == "integer"
        and item.min_value is not None
        and item.max_value is not None
        and int(item.max_value) - int(item.min_value) < MAX_SCALE_BUTTONS
    ):
        return ScaleWidget(item, session, t)
    if item.type in ("string", "text", "integer", "decimal", "url", "choice", "open-choice",
                     "time", "dateTime", "question"):
        return TextWidget(item, session, t)
    if item.type == "date":
        return DateWidget(item, session, t)
    return UnsupportedWidget(item, session, t)


def is_anchor(item: Item) -> bool:
    """Display items that a scale shows as its end labels."""
    return item.type == "display" and item.item_control in ("lower", "upper")


