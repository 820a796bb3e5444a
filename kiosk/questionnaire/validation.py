"""Checks on a given answer: range, length, pattern, decimal places.

Each problem is a catalogue key and its values, so the screen can say it in the
patient's language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kiosk.questionnaire.model import Item
from kiosk.questionnaire.values import AnswerValue, Quantity


@dataclass(frozen=True)
class AnswerProblem:
    link_id: str
    key: str
    values: dict[str, object] = field(default_factory=dict)
    path: tuple[int, ...] = ()  # which instance of the repeating groups around the item


def _number(value: AnswerValue) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Quantity):
        return value.value  # None for a unit alone
    return None


def _comparable(limit: AnswerValue | None) -> object:
    if isinstance(limit, dt.date | str):
        return str(limit)
    return _number(limit) if limit is not None else None


def check_answer(item: Item, value: AnswerValue) -> AnswerProblem | None:
    """The first thing wrong with ``value`` as an answer to ``item``, or None; said in the
    form's own words where it gives them (``Item.validation_text``)."""
    problem = _check_value(item, value)
    if problem is not None and item.validation_text:
        return AnswerProblem(item.link_id, "error_constraint",
                             {"message": item.validation_text})
    return problem


def _check_value(item: Item, value: AnswerValue) -> AnswerProblem | None:
    problem = _check_range(item, value)
    if problem:
        return problem
    if isinstance(value, str) and not isinstance(value, bool):
        if item.type == "url" and any(c.isspace() for c in value):
            # a FHIR uri has no spaces: the response would be refused
            return AnswerProblem(item.link_id, "error_pattern",
                                 {"format": item.entry_format or "https://example.org"})
        if item.min_length is not None and len(value) < item.min_length:
            return AnswerProblem(item.link_id, "error_min_length", {"count": item.min_length})
        if item.max_length is not None and len(value) > item.max_length:
            return AnswerProblem(item.link_id, "error_max_length", {"count": item.max_length})
        if item.regex:
            try:
                match = re.search if item.regex_anywhere else re.fullmatch
                if not match(item.regex, value):
                    return AnswerProblem(item.link_id, "error_pattern",
                                         {"format": item.entry_format or ""})
            except re.error:
                pass  # a broken pattern in the form is not the patient's problem
    if item.max_decimal_places is not None and isinstance(value, float | Quantity):
        number = _number(value)
        text = f"{number}".rstrip("0").split(".")
        if len(text) == 2 and len(text[1]) > item.max_decimal_places:
            return AnswerProblem(item.link_id, "error_decimal_places",
                                 {"count": item.max_decimal_places})
    return None


def _check_range(item: Item, value: AnswerValue) -> AnswerProblem | None:
    if item.min_value is None and item.max_value is None:
        return None
    if isinstance(value, dt.date):
        given: object = value.isoformat()
    elif isinstance(value, str) and item.type in ("date", "dateTime", "time"):
        given = value
    else:
        given = _number(value)
    if given is None:
        return None
    low, high = _comparable(item.min_value), _comparable(item.max_value)
    try:
        too_low = low is not None and given < low  # type: ignore[operator]
        too_high = high is not None and given > high  # type: ignore[operator]
    except TypeError:
        return None
    if too_low or too_high:
        return AnswerProblem(item.link_id, "error_range",
                             {"low": _shown(item.min_value), "high": _shown(item.max_value)})
    return None


def _shown(limit: AnswerValue | None) -> str:
    if limit is None:
        return "…"
    if isinstance(limit, float) and limit.is_integer():
        return str(int(limit))
    return str(limit)
