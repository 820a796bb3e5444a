"""A number with its unit."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from kiosk.questionnaire import AnswerValue, Coding, Quantity
from kiosk.questionnaire.presentation import unit_text
from kiosk.ui.touch import button, label
from kiosk.ui.widgets.items.base import _plain
from kiosk.ui.widgets.items.text import TextWidget


class UnitChoice(QWidget):
    """The units side by side as toggles beside the number (lb | kg): a picker field
    looked like a second box to type in (issue 12.7)."""

    chosen = Signal(int)

    def __init__(self, units: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.group = QButtonGroup(self)
        self.buttons: list[QPushButton] = []
        for index, text in enumerate(units):
            toggle = button(text, "Number")
            toggle.setCheckable(True)
            toggle.setProperty("unit", True)  # wider than a scale's number (the theme)
            toggle.clicked.connect(lambda _=False, i=index: self.chosen.emit(i))
            self.group.addButton(toggle, index)
            row.addWidget(toggle)
            self.buttons.append(toggle)

    def current_index(self) -> int:
        return self.group.checkedId()

    def set_current_index(self, index: int, notify: bool = True) -> None:
        self.buttons[index].setChecked(True)
        if notify:
            self.chosen.emit(index)


class QuantityWidget(TextWidget):
    """A number and its unit: a label for one unit, toggles when the form offers several."""

    def build_control(self) -> None:
        super().build_control()
        self.edit.setValidator(QDoubleValidator(self.edit))
        self.edit.setProperty("digitsOnly", True)
        self.edit.setProperty("decimal", True)
        self.unit: UnitChoice | None = None
        units = self.item.units
        if len(units) > 1:  # unitOption: the patient taps the unit, beside the number
            self.unit = UnitChoice([unit_text(u) for u in units])
            self.unit.setAccessibleName(self.t("unit"))
            self.unit.set_current_index(0, notify=False)
            self.unit.chosen.connect(lambda _index: self._on_text_changed(self.edit.text()))
            self.row.addWidget(self.unit)
        elif units:
            self.unit_label = label(unit_text(units[0]), "Unit", wrap=False)
            self.row.addWidget(self.unit_label)

    def _chosen_unit(self) -> Coding | None:
        if not self.item.units:
            return None
        index = self.unit.current_index() if getattr(self, "unit", None) is not None else 0
        return self.item.units[max(index, 0)]

    def _on_text_changed(self, text: str) -> None:
        try:
            number = float(text.strip()) if text.strip() else None
        except ValueError:
            number = None
        values: list[AnswerValue] = []
        if number is not None:
            unit = self._chosen_unit() or Coding("", "")
            values = [Quantity(number, unit.display or unit.code, unit.system, unit.code)]
        self.commit(values, resync=False, typed=True)

    def sync(self) -> None:
        current = self.current()
        quantity = current[0] if current and isinstance(current[0], Quantity) else None
        text = _plain(quantity.value) if quantity and quantity.value is not None else ""
        if self.edit.text() != text:
            self.edit.blockSignals(True)
            self.edit.setText(text)
            self.edit.blockSignals(False)
        if quantity is not None and getattr(self, "unit", None) is not None:
            codes = [u.code for u in self.item.units]
            if quantity.code in codes:
                self.unit.set_current_index(codes.index(quantity.code), notify=False)
