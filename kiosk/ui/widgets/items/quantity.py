"""A number with its unit."""

from __future__ import annotations

from PySide6.QtGui import QDoubleValidator

from kiosk.questionnaire import AnswerValue, Coding, Quantity
from kiosk.questionnaire.presentation import unit_text
from kiosk.ui.touch import label
from kiosk.ui.widgets.date_field import ChoicePicker
from kiosk.ui.widgets.items.base import _plain
from kiosk.ui.widgets.items.text import TextWidget


class QuantityWidget(TextWidget):
    """A number and its unit: a label for one unit, a picker when the form offers several."""

    def build_control(self) -> None:
        super().build_control()
        self.edit.setValidator(QDoubleValidator(self.edit))
        self.edit.setProperty("digitsOnly", True)
        self.edit.setProperty("decimal", True)
        self.unit: ChoicePicker | None = None
        units = self.item.units
        if len(units) > 1:  # unitOption: the patient picks the unit, beside the number
            self.unit = ChoicePicker(self.t("unit"), [unit_text(u) for u in units], 3,
                                     self.t("close"))
            self.unit.set_current_index(0, notify=False)
            self.unit.chosen.connect(lambda _index: self._on_text_changed(self.edit.text()))
            self.row.setStretch(0, 2)
            self.row.addWidget(self.unit, 1)
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
