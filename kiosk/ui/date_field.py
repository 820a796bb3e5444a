"""Touch-friendly date entry: month, day and year picked from lists, never typed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from kiosk.strings import Catalogue
from kiosk.ui.theme import kinetic


class DateField(QWidget):
    """Three lists; emits ``changed`` with (year, month, day), each None until picked."""

    changed = Signal(object, object, object)

    def __init__(
        self, t: Catalogue, first_year: int, last_year: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.month = self._combo(t("month"), [t(f"month_{m}") for m in range(1, 13)])
        self.day = self._combo(t("day"), [str(d) for d in range(1, 32)])
        # Newest year first: most patients scroll a short way.
        self._years = list(range(last_year, first_year - 1, -1))
        self.year = self._combo(t("year"), [str(y) for y in self._years])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.month, 3)
        layout.addWidget(self.day, 2)
        layout.addWidget(self.year, 2)
        for combo in (self.month, self.day, self.year):
            combo.currentIndexChanged.connect(self._on_changed)

    def _combo(self, placeholder: str, entries: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.setPlaceholderText(placeholder)
        combo.setAccessibleName(placeholder)
        combo.addItems(entries)
        combo.setCurrentIndex(-1)
        combo.setMaxVisibleItems(7)
        kinetic(combo.view())
        return combo

    def value(self) -> tuple[int | None, int | None, int | None]:
        month = self.month.currentIndex() + 1 if self.month.currentIndex() >= 0 else None
        day = self.day.currentIndex() + 1 if self.day.currentIndex() >= 0 else None
        year = self._years[self.year.currentIndex()] if self.year.currentIndex() >= 0 else None
        return year, month, day

    def set_value(self, year: int | None, month: int | None, day: int | None) -> None:
        self.month.setCurrentIndex(month - 1 if month else -1)
        self.day.setCurrentIndex(day - 1 if day else -1)
        self.year.setCurrentIndex(self._years.index(year) if year in self._years else -1)

    def set_invalid(self, invalid: bool) -> None:
        for combo in (self.month, self.day, self.year):
            combo.setProperty("invalid", invalid)
            combo.style().unpolish(combo)
            combo.style().polish(combo)

    def _on_changed(self) -> None:
        self.changed.emit(*self.value())
