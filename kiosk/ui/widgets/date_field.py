"""Touch-friendly date entry: month, day and year each picked from a grid of large buttons.

Nothing is typed. A tap on a field opens a panel over the window with every choice as a
button (12 months, 31 days, the years newest first); a tap on one closes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QWidget,
)

from kiosk.content.catalogue import Catalogue
from kiosk.ui.overlay import MARGIN as OVERLAY_MARGIN
from kiosk.ui.overlay import Overlay
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import KioskButton, button

PANEL_SLACK = 24  # the panel's scroll bar, beside the grid


class ChoicePicker(KioskButton):
    """Shows the chosen entry (or a placeholder); a tap opens a grid of all entries."""

    chosen = Signal(int)  # index, -1 when cleared

    def __init__(self, placeholder: str, entries: list[str], columns: int,
                 close_name: str = "Close") -> None:
        super().__init__(placeholder)
        self.setObjectName("Picker")
        self.setAccessibleName(placeholder)
        self.placeholder = placeholder
        self.close_name = close_name  # the panel's ✕, in the patient's language
        self.entries = entries
        self.columns = columns
        self._index = -1
        self.start_at = -1  # the entry shown first when none is chosen (-1: the first)
        self.panel: Overlay | None = None
        self.clicked.connect(self.open_panel)

    def current_index(self) -> int:
        return self._index

    def current_text(self) -> str:
        return self.entries[self._index] if self._index >= 0 else ""

    def set_current_index(self, index: int, notify: bool = True) -> None:
        self._index = index if 0 <= index < len(self.entries) else -1
        self.setText(self.current_text() or self.placeholder)
        # "Month, March": what was picked is heard, not only what the field is
        chosen = self.current_text()
        self.setAccessibleName(f"{self.placeholder}, {chosen}" if chosen else self.placeholder)
        self.setProperty("empty", self._index < 0)
        self.style().unpolish(self)
        self.style().polish(self)
        if notify:
            self.chosen.emit(self._index)

    def open_panel(self) -> None:
        """Show every entry as a button over the whole window."""
        self.close_panel()
        self.panel = Overlay(self.window(), self.placeholder)
        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        grid.setSpacing(8)
        entries = []
        for index, text in enumerate(self.entries):
            entry = button(text, "PickerEntry")
            entry.setCheckable(True)
            entry.setChecked(index == self._index)
            entry.chosen.connect(lambda _=False, i=index: self._on_entry(i))
            entries.append(entry)
        columns = self.columns_that_fit(entries, grid.spacing())
        for index, entry in enumerate(entries):
            grid.addWidget(entry, index // columns, index % columns)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(grid_holder)
        area.setMinimumHeight(min(grid_holder.sizeHint().height() + 8, 420))
        area.setMinimumWidth(grid_holder.sizeHint().width() + PANEL_SLACK)  # no column cut
        kinetic(area)
        self.panel.content.addWidget(area)
        cancel = self.panel.add_button("✕", "Quiet")
        cancel.setAccessibleName(self.close_name)
        cancel.clicked.connect(self.close_panel)
        shown = self._index if self._index >= 0 else self.start_at
        self.panel.open(focus=entries[shown] if entries and shown >= 0 else None)
        if shown >= 0:  # the chosen entry, or where most patients' answer is, mid-panel
            entry = grid.itemAt(shown).widget()
            grid_holder.layout().activate()
            area.ensureWidgetVisible(entry, 0, max(0, (area.viewport().height()
                                                     - entry.height()) // 2))

    def columns_that_fit(self, entries: list[QPushButton], spacing: int) -> int:
        """``columns``, or fewer when a row of them would be wider than the dialog can be
        in this window (portrait: the days' seventh column was cut off, issue 12)."""
        if not entries:
            return self.columns
        self.panel.dialog.ensurePolished()
        for entry in entries:
            entry.setParent(self.panel.dialog)  # the dialog's style: the real size
            entry.ensurePolished()
        widest = max(entry.sizeHint().width() for entry in entries)
        margins = self.panel.dialog.layout().contentsMargins()
        room = (self.window().width() - 2 * OVERLAY_MARGIN - margins.left() - margins.right()
                - PANEL_SLACK)
        return max(1, min(self.columns, (room + spacing) // (widest + spacing)))

    def close_panel(self) -> None:
        if self.panel is not None:
            self.panel.hide()
            self.panel.deleteLater()
            self.panel = None

    def entry_buttons(self) -> list[QPushButton]:
        return self.panel.findChildren(QPushButton, "PickerEntry") if self.panel else []

    def _on_entry(self, index: int) -> None:
        self.close_panel()
        self.set_current_index(index)


class DateField(QWidget):
    """Month, day and year pickers; emits ``changed`` with (year, month, day), None until picked."""

    changed = Signal(object, object, object)

    def __init__(
        self, t: Catalogue, first_year: int, last_year: int, parent: QWidget | None = None,
        typical_year: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._years = list(range(last_year, first_year - 1, -1))  # newest first
        close = t("close")
        self.month = ChoicePicker(t("month"), [t(f"month_{m}") for m in range(1, 13)], 3, close)
        self.day = ChoicePicker(t("day"), [str(d) for d in range(1, 32)], 7, close)
        self.year = ChoicePicker(t("year"), [str(y) for y in self._years], 6, close)
        if typical_year in self._years:  # not this year: a patient born in 1955 scrolled
            self.year.start_at = self._years.index(typical_year)  # five panels (12.7)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.month, 3)
        layout.addWidget(self.day, 2)
        layout.addWidget(self.year, 2)
        for picker in (self.month, self.day, self.year):
            picker.set_current_index(-1, notify=False)
            picker.chosen.connect(self._on_changed)

    def value(self) -> tuple[int | None, int | None, int | None]:
        month = self.month.current_index() + 1 if self.month.current_index() >= 0 else None
        day = self.day.current_index() + 1 if self.day.current_index() >= 0 else None
        year_index = self.year.current_index()
        return (self._years[year_index] if year_index >= 0 else None), month, day

    def set_value(self, year: int | None, month: int | None, day: int | None) -> None:
        self.month.set_current_index(month - 1 if month else -1, notify=False)
        self.day.set_current_index(day - 1 if day else -1, notify=False)
        self.year.set_current_index(
            self._years.index(year) if year in self._years else -1, notify=False
        )

    def set_invalid(self, invalid: bool) -> None:
        for picker in (self.month, self.day, self.year):
            picker.setProperty("invalid", invalid)
            picker.style().unpolish(picker)
            picker.style().polish(picker)

    def _on_changed(self) -> None:
        self.changed.emit(*self.value())



class TimeField(QWidget):
    """Hour and minute pickers (minutes in steps of five); ``changed`` gives (hour, minute)."""

    changed = Signal(object, object)

    def __init__(self, t: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hour = ChoicePicker(t("hour"), [f"{h:02d}" for h in range(24)], 6, t("close"))
        self.minute = ChoicePicker(t("minute"), [f"{m:02d}" for m in range(0, 60, 5)], 6,
                                   t("close"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.hour)
        layout.addWidget(self.minute)
        for picker in (self.hour, self.minute):
            picker.set_current_index(-1, notify=False)
            picker.chosen.connect(self._on_changed)

    def value(self) -> tuple[int | None, int | None]:
        hour = self.hour.current_index() if self.hour.current_index() >= 0 else None
        minute = self.minute.current_index() * 5 if self.minute.current_index() >= 0 else None
        return hour, minute

    def set_value(self, hour: int | None, minute: int | None) -> None:
        self.hour.set_current_index(hour if hour is not None else -1, notify=False)
        self.minute.set_current_index(minute // 5 if minute is not None else -1, notify=False)

    def _on_changed(self) -> None:
        self.changed.emit(*self.value())
