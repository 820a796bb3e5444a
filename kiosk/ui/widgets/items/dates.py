"""Dates, times and date-times from pickers (no typing)."""

from __future__ import annotations

import datetime as dt

from kiosk.questionnaire import AnswerValue
from kiosk.questionnaire.values import DateTime, Time
from kiosk.ui.widgets.date_field import DateField, TimeField
from kiosk.ui.widgets.items.base import QuestionWidget


class DateWidget(QuestionWidget):
    def build_control(self) -> None:
        today = dt.date.today()
        first = _year(self.item.min_value) or today.year - 120
        last = _year(self.item.max_value) or today.year + 10
        self.field = DateField(self.t, first, last)
        self.field.changed.connect(self._on_date)
        self.layout_.addWidget(self.field)

    def _date(self) -> dt.date | None:
        year, month, day = self.field.value()
        try:
            return dt.date(year, month, day) if year and month and day else None
        except ValueError:
            return None  # 31 February: the screen asks again on Next (required) or keeps none

    def _on_date(self, *_: object) -> None:
        picked = self._date()
        self.commit([picked] if picked else [], resync=False)

    def sync(self) -> None:
        current = self.current()
        if current and isinstance(current[0], dt.date):
            self.field.set_value(current[0].year, current[0].month, current[0].day)
        elif current and isinstance(current[0], str) and current[0][:4].isdigit():
            # a year or a month (a form's calculated "2010-04", or a stored partial date)
            month = current[0][5:7]
            self.field.set_value(int(current[0][:4]), int(month) if month.isdigit() else None,
                                 None)


def _year(limit: AnswerValue | None) -> int | None:
    if isinstance(limit, dt.date):
        return limit.year
    if isinstance(limit, str) and limit[:4].isdigit():
        return int(limit[:4])
    return None


class TimeWidget(QuestionWidget):
    def build_control(self) -> None:
        self.field = TimeField(self.t)
        self.field.changed.connect(self._on_time)
        self.layout_.addWidget(self.field)

    def _on_time(self, hour: int | None, minute: int | None) -> None:
        if hour is None or minute is None:
            self.commit([], resync=False)
            return
        self.commit([Time(f"{hour:02d}:{minute:02d}:00")], resync=False)

    def sync(self) -> None:
        current = self.current()
        if current and isinstance(current[0], str) and len(current[0]) >= 5:
            self.field.set_value(int(current[0][:2]), int(current[0][3:5]))


class DateTimeWidget(DateWidget):
    """A date and a time, stored as a local dateTime with its offset."""

    def build_control(self) -> None:
        super().build_control()
        self.time = TimeField(self.t)
        self.time.changed.connect(self._on_date)
        self.layout_.addWidget(self.time)

    def _on_date(self, *_: object) -> None:
        day = self._date()
        hour, minute = self.time.value() if hasattr(self, "time") else (None, None)
        if day is None or hour is None or minute is None:
            self.commit([], resync=False)
            return
        moment = dt.datetime(day.year, day.month, day.day, hour, minute).astimezone()
        self.commit([DateTime(moment.isoformat(timespec="seconds"))], resync=False)

    def sync(self) -> None:
        current = self.current()
        if current and isinstance(current[0], str) and len(current[0]) >= 16:
            try:
                moment = dt.datetime.fromisoformat(current[0])
            except ValueError:
                return
            self.field.set_value(moment.year, moment.month, moment.day)
            self.time.set_value(moment.hour, moment.minute)
