"""The queue's filters: by patient name and birth date, by flag, by review status, by date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.intake.session import UNDERSTANDING_FLAG
from kiosk.storage import QueueFilter
from kiosk.ui.widgets.fitted_rows import FieldGroup, FittedRows, caption_of, labelled
from kiosk.ui.widgets.wrapping_combo import WrappingComboBox

PERIODS = ("all", "today", "7", "30", "between")


class QueueFilterBar(QWidget):
    changed = Signal()

    def __init__(self, content: ContentLibrary, t: Catalogue,
                 today: dt.date | None = None) -> None:
        super().__init__()
        self.t = t
        self.today = today or dt.date.today()
        self.flag = self._combo(t("filter_flag"))
        self.flag.addItem(t("filter_all_intakes"), "")
        self.flag.addItem(t("filter_any_flag"), QueueFilter.ANY_FLAG)
        self.flag.addItem(t("filter_high_flag"), QueueFilter.HIGH_FLAG)
        seen = set()
        for rule in content.flag_rules:
            label = rule.labels.get("en", rule.id)
            if rule.id not in seen:
                seen.add(rule.id)
                self.flag.addItem(label, rule.id)
        self.flag.addItem(t("filter_understanding"), UNDERSTANDING_FLAG)
        self.status = self._combo(t("filter_status"))
        self.status.addItem(t("filter_all_statuses"), False)
        self.status.addItem(t("filter_to_review"), True)
        self.period = self._combo(t("filter_period"))
        for key in PERIODS:
            self.period.addItem(t(f"filter_period_{key}"), key)
        self.name = QLineEdit()
        self.name.setAccessibleName(t("search_name"))
        self.name.setPlaceholderText(t("search_name"))
        self.name.setClearButtonEnabled(True)
        self.born = QLineEdit()
        self.born.setAccessibleName(t("search_born"))
        self.born.setPlaceholderText(t("search_born_hint"))
        self.start = self._date(self.today - dt.timedelta(days=7), t("csv_from"))
        self.end = self._date(self.today, t("csv_to"))

        self.dates = QWidget()
        dates = QHBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.start)
        dates.addWidget(self.end)
        dates.addStretch(1)
        self.dates.hide()
        # Name and birth date on one row, the three filters on the next, when their names
        # fit; else fewer a row (the flag filter alone, or one under the other).
        self.name_field, self.born_field, *self.filter_fields = [
            labelled(field) for field in (self.name, self.born, self.flag, self.status,
                                          self.period)]
        flag, status, period = self.filter_fields
        self.rows = FittedRows([
            FieldGroup([(self.name_field, 1), (self.born_field, 0)], [(2,)]),
            FieldGroup([(flag, 2), (status, 1), (period, 1)], [(3,), (1, 2)]),
        ])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.rows)
        layout.addWidget(self.dates)
        for combo in (self.flag, self.status, self.period):  # all built: now listen
            combo.currentIndexChanged.connect(self._on_changed)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self._on_changed)
        self.name.textChanged.connect(self._on_changed)
        self.born.textChanged.connect(self._on_born_changed)

    def captions(self) -> list[QLabel]:
        """The name shown above each field and filter."""
        return [caption_of(holder) for holder in (self.name_field, self.born_field,
                                                  *self.filter_fields)]

    def _fit_widths(self) -> None:
        """Widths that follow the text size: the birth-date field as wide as its hint
        ("Born 1955-03-01"); the status and date filters as wide as their longest choice
        (the flag filter wraps its long names instead)."""
        margins = self.born.textMargins()
        self.born.setFixedWidth(
            self.born.fontMetrics().horizontalAdvance(self.born.placeholderText())
            + margins.left() + margins.right() + 40)  # the stylesheet's padding and border
        for combo in (self.status, self.period):
            frame = combo.width() - combo.text_rect().width() + 4
            metrics = combo.fontMetrics()
            combo.setMinimumWidth(frame + max(metrics.horizontalAdvance(combo.itemText(i))
                                              for i in range(combo.count())))

    def _fit(self) -> None:
        self._fit_widths()
        self.rows.fit(self.width())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)  # another text size: the names have another width
        if event.type() in (event.Type.StyleChange, event.Type.FontChange) \
                and hasattr(self, "rows"):
            self._fit()

    def _combo(self, name: str) -> WrappingComboBox:
        combo = WrappingComboBox()
        combo.setAccessibleName(name)
        combo.setMinimumHeight(56)
        combo.setMaxVisibleItems(16)
        # long flag names must not widen the screen past a portrait tablet
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(7)
        return combo

    def _date(self, day: dt.date, name: str) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumHeight(56)
        edit.setMinimumWidth(190)
        return edit

    def _on_changed(self) -> None:
        self.dates.setVisible(self.period.currentData() == "between")
        self.changed.emit()

    def birth_date(self) -> dt.date | None:
        """The typed birth date once it is a whole, real date (1955-03-01 or 03/01/1955),
        else None."""
        text = self.born.text().strip()
        for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        return None

    def _on_born_changed(self) -> None:
        typed = self.born.text().strip()
        invalid = len(typed) >= 10 and self.birth_date() is None
        if bool(self.born.property("invalid")) != invalid:
            self.born.setProperty("invalid", invalid)
            self.born.style().unpolish(self.born)
            self.born.style().polish(self.born)
        if not typed or self.birth_date() is not None:  # no date, or a whole one
            self._on_changed()

    def current(self) -> QueueFilter:
        period = self.period.currentData()
        start: dt.date | None = None
        end: dt.date | None = None
        if period == "today":
            start = end = self.today
        elif period in ("7", "30"):
            start, end = self.today - dt.timedelta(days=int(period) - 1), self.today
        elif period == "between":
            start, end = self.start.date().toPython(), self.end.date().toPython()
            if end < start:
                start, end = end, start
        return QueueFilter(flag=self.flag.currentData(), to_review_only=self.status.currentData(),
                           start=start, end=end, name=self.name.text().strip(),
                           birth_date=self.birth_date())

    def describe(self) -> str:
        """The filter in words, for the audit log and file names (no patient data: a name
        or birth date searched for is said to be there, never what it was)."""
        parts = [self.flag.currentText(), self.status.currentText()]
        if self.name.text().strip() or self.birth_date():
            parts.append(self.t("search_by_patient"))
        where = self.current()
        if where.start or where.end:
            parts.append(f"{where.start} to {where.end}")
        else:
            parts.append(self.period.currentText())
        return ", ".join(parts)

    def clear(self) -> None:
        for combo in (self.flag, self.status, self.period):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for edit in (self.name, self.born):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self._on_born_changed()
        self._on_changed()
