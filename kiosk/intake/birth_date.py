"""Checking a date of birth entered as separate year, month and day."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

OLDEST_AGE_YEARS = 120


@dataclass(frozen=True)
class DateProblem:
    """Why a date was refused: a string key for the catalogue and its values."""

    key: str
    values: dict[str, object]


def check_birth_date(
    year: int | None, month: int | None, day: int | None, today: dt.date
) -> dt.date | DateProblem:
    """The date, or the reason it cannot be a date of birth."""
    if year is None or month is None or day is None:
        return DateProblem("error_birth_incomplete", {})
    if not 1 <= month <= 12:
        return DateProblem("error_birth_incomplete", {})
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        return DateProblem(
            "error_birth_impossible",
            {"month": month, "year": year, "days": days_in_month, "day": day},
        )
    birth = dt.date(year, month, day)
    if birth > today:
        return DateProblem("error_birth_future", {})
    if today.year - year > OLDEST_AGE_YEARS:
        return DateProblem("error_birth_too_old", {"years": OLDEST_AGE_YEARS})
    return birth
