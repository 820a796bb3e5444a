"""Typed objects for a FHIR R4 Questionnaire, built from its JSON.

Only the parts the kiosk uses are modelled; everything else in the JSON is kept
on ``Item.raw`` so that later features can read it without a new parse.
A malformed file raises :class:`QuestionnaireError` naming the file, the place
in it and what was expected.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.content_errors import ContentError
from kiosk.questionnaire.values import AnswerValue, Coding, parse_typed_value

ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
    "string", "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
    "question",  # R4 abstract type seen in old forms; treated like string
}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
EXT_HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"


class QuestionnaireError(ContentError):
    """A questionnaire file that cannot be used, with where and why."""


@dataclass(frozen=True)
class AnswerOption:
    value: AnswerValue
    exclusive: bool = False
    initial_selected: bool = False

    @property
    def display(self) -> str:
        if isinstance(self.value, Coding):
            return self.value.display or self.value.code
        return str(self.value)


@dataclass(frozen=True)
class EnableWhen:
    question: str
    operator: str
    answer: AnswerValue


@dataclass
class Item:
    link_id: str
    type: str
    text: str = ""
    prefix: str = ""
    required: bool = False
    repeats: bool = False
    read_only: bool = False
    hidden: bool = False
    max_length: int | None = None
    options: list[AnswerOption] = field(default_factory=list)
    enable_when: list[EnableWhen] = field(default_factory=list)
    enable_behavior: str = "any"
    item_control: str | None = None
    min_value: AnswerValue | None = None
    max_value: AnswerValue | None = None
    items: list[Item] = field(default_factory=list)
    parent: Item | None = field(default=None, repr=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_question(self) -> bool:
        return self.type not in ("group", "display")

    def walk(self) -> Iterator[Item]:
        yield self
        for child in self.items:
            yield from child.walk()

    def option_for_code(self, code: str) -> AnswerOption | None:
        for option in self.options:
            if isinstance(option.value, Coding) and option.value.code == code:
                return option
        return None


@dataclass
class Questionnaire:
    url: str
    version: str
    title: str
    items: list[Item]
    source: str = "<memory>"

    def __post_init__(self) -> None:
        self._by_link_id = {item.link_id: item for item in self.walk()}

    @property
    def canonical(self) -> str:
        """``url|version`` as a QuestionnaireResponse's ``questionnaire`` wants it."""
        return f"{self.url}|{self.version}" if self.version else self.url

    def walk(self) -> Iterator[Item]:
        for item in self.items:
            yield from item.walk()

    def item(self, link_id: str) -> Item:
        return self._by_link_id[link_id]

    def has_item(self, link_id: str) -> bool:
        return link_id in self._by_link_id


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Read and parse a Questionnaire JSON file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuestionnaireError(str(path), "file", f"cannot be read ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise QuestionnaireError(
            str(path), f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}"
        ) from exc
    return parse_questionnaire(data, source=str(path))


def parse_questionnaire(data: Any, source: str = "<memory>") -> Questionnaire:
    if not isinstance(data, dict) or data.get("resourceType") != "Questionnaire":
        raise QuestionnaireError(source, "resourceType", "expected \"Questionnaire\"")
    items_json = data.get("item", [])
    if not isinstance(items_json, list):
        raise QuestionnaireError(source, "item", "expected a list of items")
    seen: set[str] = set()
    items = [
        _parse_item(raw, f"item[{i}]", source, None, seen) for i, raw in enumerate(items_json)
    ]
    questionnaire = Questionnaire(
        url=str(data.get("url", "")),
        version=str(data.get("version", "")),
        title=str(data.get("title") or data.get("name") or ""),
        items=items,
        source=source,
    )
    for item in questionnaire.walk():
        for condition in item.enable_when:
            if not questionnaire.has_item(condition.question):
                raise QuestionnaireError(
                    source,
                    f"item {item.link_id!r} enableWhen",
                    f"refers to unknown question {condition.question!r}",
                )
    return questionnaire


def _extension(raw: dict[str, Any], url: str) -> dict[str, Any] | None:
    for ext in raw.get("extension", []) or []:
        if isinstance(ext, dict) and ext.get("url") == url:
            return ext
    return None


def _extension_value(raw: dict[str, Any], url: str) -> Any:
    ext = _extension(raw, url)
    if ext is None:
        return None
    for key, value in ext.items():
        if key.startswith("value"):
            return key, value
    return None


def _parse_item(
    raw: Any, where: str, source: str, parent: Item | None, seen: set[str]
) -> Item:
    if not isinstance(raw, dict):
        raise QuestionnaireError(source, where, "expected an object")
    link_id = raw.get("linkId")
    if not isinstance(link_id, str) or not link_id:
        raise QuestionnaireError(source, where, "linkId is missing")
    where = f"{where} ({link_id})"
    if link_id in seen:
        raise QuestionnaireError(source, where, "linkId is used twice")
    seen.add(link_id)
    item_type = raw.get("type")
    if item_type not in ITEM_TYPES:
        raise QuestionnaireError(source, where, f"unknown item type {item_type!r}")

    item = Item(
        link_id=link_id,
        type=item_type,
        text=str(raw.get("text") or ""),
        prefix=str(raw.get("prefix") or ""),
        required=bool(raw.get("required", False)),
        repeats=bool(raw.get("repeats", False)),
        read_only=bool(raw.get("readOnly", False)),
        max_length=raw.get("maxLength"),
        enable_behavior=str(raw.get("enableBehavior", "any")),
        parent=parent,
        raw=raw,
    )
    if item.enable_behavior not in ("any", "all"):
        raise QuestionnaireError(source, where, "enableBehavior must be 'any' or 'all'")
    hidden = _extension_value(raw, EXT_HIDDEN)
    item.hidden = bool(hidden and hidden[1] is True)
    control = _extension(raw, EXT_ITEM_CONTROL)
    if control:
        # Match by code whatever the system says: published forms get the system wrong.
        codings = control.get("valueCodeableConcept", {}).get("coding", [])
        if codings:
            item.item_control = codings[0].get("code")
    for name, url in (("min_value", EXT_MIN_VALUE), ("max_value", EXT_MAX_VALUE)):
        found = _extension_value(raw, url)
        if found:
            key, value = found
            setattr(item, name, parse_typed_value(key[len("value"):], value))

    for i, option in enumerate(raw.get("answerOption", []) or []):
        item.options.append(_parse_option(option, f"{where} answerOption[{i}]", source))
    for i, condition in enumerate(raw.get("enableWhen", []) or []):
        item.enable_when.append(_parse_enable_when(condition, f"{where} enableWhen[{i}]", source))
    for i, child in enumerate(raw.get("item", []) or []):
        item.items.append(_parse_item(child, f"{where} item[{i}]", source, item, seen))
    return item


def _choice_value(raw: dict[str, Any], prefix: str, where: str, source: str) -> AnswerValue:
    """The value of a FHIR choice element such as ``value[x]`` or ``answer[x]``."""
    for key, value in raw.items():
        if key.startswith(prefix) and key != prefix:
            try:
                return parse_typed_value(key[len(prefix):], value)
            except ValueError as exc:
                raise QuestionnaireError(source, where, str(exc)) from exc
    raise QuestionnaireError(source, where, f"{prefix}[x] is missing")


def _parse_option(raw: Any, where: str, source: str) -> AnswerOption:
    if not isinstance(raw, dict):
        raise QuestionnaireError(source, where, "expected an object")
    exclusive = _extension_value(raw, EXT_OPTION_EXCLUSIVE)
    return AnswerOption(
        value=_choice_value(raw, "value", where, source),
        exclusive=bool(exclusive and exclusive[1] is True),
        initial_selected=bool(raw.get("initialSelected", False)),
    )


def _parse_enable_when(raw: Any, where: str, source: str) -> EnableWhen:
    if not isinstance(raw, dict):
        raise QuestionnaireError(source, where, "expected an object")
    question = raw.get("question")
    operator = raw.get("operator")
    if not isinstance(question, str):
        raise QuestionnaireError(source, where, "question is missing")
    if operator not in OPERATORS:
        raise QuestionnaireError(source, where, f"unknown operator {operator!r}")
    answer = _choice_value(raw, "answer", where, source)
    return EnableWhen(question=question, operator=operator, answer=answer)
