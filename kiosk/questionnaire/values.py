"""Answer values: the Python form of FHIR's value[x] / answer[x] choices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Coding:
    """A code; two Codings are equal when system and code are (the display is words only,
    and changes with the patient's language)."""

    system: str
    code: str
    display: str = field(default="", compare=False)

    def same_concept(self, other: Coding) -> bool:
        # A missing system on either side matches by code alone (common in real forms).
        if self.system and other.system and self.system != other.system:
            return False
        return self.code == other.code


@dataclass(frozen=True)
class Quantity:
    value: float | None  # None: a unit with no number yet (an initial unit)
    unit: str = ""
    system: str = ""
    code: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file given as an answer (attachment items): its bytes travel base64-encoded."""

    content_type: str
    data: str  # base64
    title: str
    size: int


class Time(str):
    """A FHIR time ("14:30:00"): text that remembers its type for the response."""


class DateTime(str):
    """A FHIR dateTime that is not a plain date: text that remembers its type."""


AnswerValue = bool | int | float | str | dt.date | Coding | Quantity | Attachment


def parse_typed_value(suffix: str, value: Any) -> AnswerValue:
    """Turn ``valueX`` / ``answerX`` JSON into a Python value (suffix is ``X``)."""
    match suffix:
        case "Boolean":
            if not isinstance(value, bool):
                raise ValueError(f"expected true or false, got {value!r}")
            return value
        case "Integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"expected an integer, got {value!r}")
            return value
        case "Decimal":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"expected a number, got {value!r}")
            return float(value)
        case "Date":
            if not isinstance(value, str):
                raise ValueError(f"expected a date, got {value!r}")
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value  # partial date such as "2010" or "2010-04": kept as text
        case "Time":
            if not isinstance(value, str):
                raise ValueError(f"expected a time, got {value!r}")
            return Time(value)
        case "DateTime":
            if not isinstance(value, str):
                raise ValueError(f"expected a dateTime, got {value!r}")
            return DateTime(value)
        case "String" | "Uri" | "Url" | "Canonical" | "Code":
            if not isinstance(value, str):
                raise ValueError(f"expected text, got {value!r}")
            return value
        case "Coding":
            if not isinstance(value, dict):
                raise ValueError(f"expected a Coding object, got {value!r}")
            return Coding(
                system=str(value.get("system", "")),
                code=str(value.get("code", "")),
                display=str(value.get("display", "")),
            )
        case "Quantity":
            if not isinstance(value, dict):
                raise ValueError(f"expected a Quantity object, got {value!r}")
            number = value.get("value")
            return Quantity(
                value=float(number) if isinstance(number, int | float) else None,
                unit=str(value.get("unit", "")),
                system=str(value.get("system", "")),
                code=str(value.get("code", "")),
            )
        case "Reference":
            if not isinstance(value, dict):
                raise ValueError(f"expected a Reference object, got {value!r}")
            return str(value.get("reference") or value.get("display") or "")
    raise ValueError(f"unsupported value type {suffix!r}")


_SUFFIX_BY_ITEM_TYPE = {
    "boolean": "Boolean",
    "integer": "Integer",
    "decimal": "Decimal",
    "date": "Date",
    "dateTime": "DateTime",
    "time": "Time",
    "string": "String",
    "text": "String",
    "url": "Uri",
    "quantity": "Quantity",
    "reference": "Reference",
}


def to_fhir(value: AnswerValue, item_type: str) -> tuple[str, Any]:
    """The ``valueX`` key and JSON for an answer of an item of ``item_type``."""
    if isinstance(value, Coding):
        coding = {"system": value.system, "code": value.code, "display": value.display}
        return "valueCoding", {k: v for k, v in coding.items() if v}
    if isinstance(value, Quantity):
        quantity = {"value": value.value, "unit": value.unit, "system": value.system,
                    "code": value.code}
        return "valueQuantity", {k: v for k, v in quantity.items() if v not in ("", None)}
    if isinstance(value, dt.date):
        return "valueDate", value.isoformat()
    if isinstance(value, Attachment):
        return "valueAttachment", {"contentType": value.content_type, "data": value.data,
                                   "title": value.title, "size": value.size}
    if isinstance(value, Time):
        return "valueTime", str(value)
    if isinstance(value, DateTime):
        return "valueDateTime", str(value)
    if item_type == "reference":
        return "valueReference", {"display": str(value)}
    suffix = _SUFFIX_BY_ITEM_TYPE.get(item_type)
    if suffix is None:  # choice / open-choice with a primitive option
        suffix = {bool: "Boolean", int: "Integer", float: "Decimal"}.get(type(value), "String")
    return f"value{suffix}", value


def display_value(value: AnswerValue, yes: str = "Yes", no: str = "No") -> str:
    """Plain words for an answer, as a patient or staff member reads it."""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, Coding):
        return value.display or value.code
    if isinstance(value, Attachment):
        return value.title
    if isinstance(value, Quantity):
        number = f"{value.value:g}" if value.value is not None else ""
        return f"{number} {value.unit}".strip()
    if isinstance(value, dt.date):
        return value.strftime("%B %-d, %Y")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
