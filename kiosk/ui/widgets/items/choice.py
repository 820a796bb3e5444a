"""Choices: yes/no, answer options (single and multiple), and 0-10 scales."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit

from kiosk.questionnaire import AnswerValue
from kiosk.questionnaire.presentation import present
from kiosk.ui import accessibility
from kiosk.ui.touch import ChoiceButton, KioskButton, button, label
from kiosk.ui.widgets.items.base import QuestionWidget


class BooleanWidget(QuestionWidget):
    def build_control(self) -> None:
        row = QHBoxLayout()
        self.buttons: dict[bool, ChoiceButton] = {}
        for value, text in ((True, self.t("yes")), (False, self.t("no"))):
            choice = ChoiceButton(text)
            choice.setAccessibleDescription(self.item.text)
            accessibility.set_role(choice, QAccessible.Role.RadioButton)
            # ``chosen``: a tap, a key or any accessibility action (not only ``clicked``)
            choice.chosen.connect(lambda checked, v=value: self.commit([v] if checked else []))
            self.buttons[value] = choice
            row.addWidget(choice)
        self.layout_.addLayout(row)

    def sync(self) -> None:
        current = self.current()
        for value, choice in self.buttons.items():
            choice.show_answer(value in current)


class ChoiceWidget(QuestionWidget):
    """answerOption rows (radio or check-box; drop-down and autocomplete too: on a touch
    screen a list of large buttons is the easier control). Open-choice adds a text field."""

    def build_control(self) -> None:
        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        self.buttons: list[tuple[AnswerValue, ChoiceButton]] = []
        self._add_buttons()
        self.layout_.addLayout(self.grid)
        self.other: QLineEdit | None = None
        if present(self.item).kind == "open-choice":
            self.other = QLineEdit()
            self.other.setPlaceholderText(self.t("other_answer"))
            self.other.setAccessibleName(self.t("other_answer"))
            self.other.textChanged.connect(self._on_other_text)
            self.layout_.addWidget(self.other)

    def _add_buttons(self) -> None:
        # The options offered now: a form's expressions may compute or toggle them.
        options = self.sheet.options(self.item.link_id)
        if self.item.choice_orientation == "horizontal" and len(options) <= 5:
            columns = max(1, len(options))
        elif self.item.choice_orientation == "vertical":
            columns = 1
        else:
            columns = 2 if len(options) > 3 else 1
        for index, option in enumerate(options):
            choice = ChoiceButton(option.display)
            choice.setAccessibleDescription(self.item.text)
            accessibility.set_role(choice, QAccessible.Role.CheckBox if self.item.repeats
                                   else QAccessible.Role.RadioButton)
            choice.chosen.connect(lambda checked, v=option.value: self._on_chosen(v, checked))
            self.buttons.append((option.value, choice))
            self.grid.addWidget(choice, index // columns, index % columns)  # reading order

    def refresh_options(self) -> None:
        """The form's expressions changed the options: show the new list."""
        for _, choice in self.buttons:
            self.grid.removeWidget(choice)
            choice.hide()
            choice.deleteLater()
        self.buttons = []
        self._add_buttons()
        for _, choice in self.buttons:
            choice.show()  # added to a widget already on screen (Qt shows none by itself)
        if self.item.read_only or self.item.calculated_expression:
            for _, choice in self.buttons:
                choice.setEnabled(False)
        self.sync()

    def _option_values(self) -> list[AnswerValue]:
        return [value for value, _ in self.buttons]

    def _on_chosen(self, value: AnswerValue, checked: bool) -> None:
        current = self.current()
        if self.item.repeats:
            current = [v for v in current if v != value] + ([value] if checked else [])
        else:
            current = [value] if checked else []
            if self.other is not None and checked:
                self.other.blockSignals(True)
                self.other.clear()
                self.other.blockSignals(False)
        self.commit(current)

    def _on_other_text(self, text: str) -> None:
        typed = text.strip()
        options = self._option_values()
        kept = [v for v in self.current() if v in options] if self.item.repeats else []
        self.commit(kept + ([typed] if typed else []), resync=not typed, typed=True)
        if typed and not self.item.repeats:
            for _, choice in self.buttons:
                choice.show_answer(False)

    def sync(self) -> None:
        current = self.current()
        for value, choice in self.buttons:
            choice.show_answer(value in current)
        if self.other is not None:
            free = [v for v in current if isinstance(v, str) and v not in self._option_values()]
            text = free[0] if free else ""
            if self.other.text().strip() != text:
                self.other.blockSignals(True)
                self.other.setText(text)
                self.other.blockSignals(False)


class ScaleWidget(QuestionWidget):
    """An integer from a short range (a 0-10 pain score) as a row of number buttons."""

    def build_control(self) -> None:
        low, high = int(self.item.min_value or 0), int(self.item.max_value or 10)
        step = max(1, int(self.item.slider_step or 1))
        row = QHBoxLayout()
        row.setSpacing(6)
        self.buttons: dict[int, KioskButton] = {}
        question = self.item.text or self.item.fhir_link_id
        for number in range(low, high + 1, step):
            key = button(str(number), "Number", accessible=f"{number}")
            key.setAccessibleDescription(question)  # the PEG page has three such rows
            key.setCheckable(True)
            accessibility.set_role(key, QAccessible.Role.RadioButton)
            key.chosen.connect(lambda checked, n=number: self.commit([n] if checked else []))
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
        current = self.current()
        for number, key in self.buttons.items():
            key.show_answer(number in current)
