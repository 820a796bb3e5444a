"""Typed objects for a FHIR R4 Questionnaire (built by :mod:`kiosk.questionnaire.parse`).

``Item.link_id`` is the engine's key for an item and is unique within a questionnaire.
Published forms sometimes reuse a linkId; the parser then gives the repeat a suffixed key
and keeps the form's own value in ``fhir_link_id``, which is what a response carries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kiosk.errors import ContentError
from kiosk.questionnaire.values import AnswerValue, Coding, Time

ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
    "string", "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
    "question",  # an abstract R4 type seen in old forms; shown like string
}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}


class QuestionnaireError(ContentError):
    """A questionnaire file that cannot be used, with where and why."""


@dataclass(frozen=True)
class LoadNote:
    """Something in the form the kiosk does not do as written, and what it does instead."""

    link_id: str
    feature: str
    handling: str

    def __str__(self) -> str:
        where = f"item {self.link_id}" if self.link_id else "questionnaire"
        return f"{where}: {self.feature} — {self.handling}"


@dataclass(frozen=True)
class AnswerOption:
    value: AnswerValue
    exclusive: bool = False
    initial_selected: bool = False
    ordinal: float | None = None

    @property
    def display(self) -> str:
        if isinstance(self.value, Coding):
            return self.value.display or self.value.code
        if isinstance(self.value, Time) and len(self.value) == 8 and self.value.endswith(":00"):
            return self.value[:5]  # 14:30, not 14:30:00
        return str(self.value)


@dataclass(frozen=True)
class Constraint:
    """SDC targetConstraint (or the older questionnaire-constraint) on an item: a FHIRPath
    expression that must be true, and the message shown to the patient when it is not."""

    key: str
    expression: str
    human: str


@dataclass(frozen=True)
class OptionToggle:
    """SDC answerOptionsToggleExpression: ``options`` are offered only while ``expression``
    is true (options named by no toggle are always offered)."""

    options: tuple[AnswerValue, ...]
    expression: str


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
    fhir_link_id: str = ""
    prefix: str = ""
    short_text: str = ""
    required: bool = False
    repeats: bool = False
    read_only: bool = False
    hidden: bool = False
    max_length: int | None = None
    min_length: int | None = None
    regex: str | None = None
    regex_anywhere: bool = False  # written as FHIRPath matches(): found anywhere in the answer
    entry_format: str | None = None
    #: the form's own message for an answer its checks refuse (the validationtext extension)
    validation_text: str | None = None
    max_decimal_places: int | None = None
    options: list[AnswerOption] = field(default_factory=list)
    answer_value_set: str | None = None
    #: optionsOnly, optionsOrType or optionsOrString (R5 answerConstraint / its R4 extension)
    answer_constraint: str | None = None
    initial: list[AnswerValue] = field(default_factory=list)
    enable_when: list[EnableWhen] = field(default_factory=list)
    enable_behavior: str = "any"
    item_control: str | None = None
    choice_orientation: str | None = None
    display_category: str | None = None
    min_value: AnswerValue | None = None
    max_value: AnswerValue | None = None
    slider_step: float | None = None
    units: list[Coding] = field(default_factory=list)
    mime_types: list[str] = field(default_factory=list)  # attachment: allowed types
    max_size: int | None = None  # attachment: bytes
    calculated_expression: str | None = None
    #: the item's text computed by FHIRPath (cqf-expression on ``_text``); the fixed
    #: ``text`` is shown while it gives nothing
    text_expression: str | None = None
    initial_expression: str | None = None
    enable_when_expression: str | None = None
    answer_expression: str | None = None  # SDC: the options, computed
    option_toggles: list[OptionToggle] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    parent: Item | None = field(default=None, repr=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.fhir_link_id:
            self.fhir_link_id = self.link_id

    @property
    def is_question(self) -> bool:
        return self.type not in ("group", "display")

    @property
    def is_help(self) -> bool:
        """Display items a renderer shows as help next to their parent (flyover, help)."""
        return self.type == "display" and (
            self.item_control in ("flyover", "help", "legal")
            or self.display_category in ("help", "security")
        )

    def walk(self) -> Iterator[Item]:
        """This item and everything below it, depth first, in order (iteratively: nested
        generators cost a resumption per level for every item, ~50 ms a start on the
        808-item health check)."""
        pending = [self]
        while pending:
            node = pending.pop()
            yield node
            if node.items:
                pending.extend(reversed(node.items))

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
    notes: list[LoadNote] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    #: what is computed from the form once and kept with it, by what it is (the expression
    #: engine's compiled tables: kiosk.questionnaire.expressions.compiled_tables)
    derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False,
                                    compare=False)

    def __post_init__(self) -> None:
        pending = list(reversed(self.items))
        walked: list[Item] = []
        while pending:
            node = pending.pop()
            walked.append(node)
            if node.items:
                pending.extend(reversed(node.items))
        #: every item, depth first: a form is not changed once parsed, and a start walks
        #: it about 17 times (~8 ms on the 808-item health check as a generator)
        self._walked = tuple(walked)
        self._by_link_id = {item.link_id: item for item in walked}

    @property
    def canonical(self) -> str:
        """``url|version`` as a QuestionnaireResponse's ``questionnaire`` wants it."""
        return f"{self.url}|{self.version}" if self.version else self.url

    def walk(self) -> Iterator[Item]:
        return iter(self._walked)

    def item(self, link_id: str) -> Item:
        return self._by_link_id[link_id]

    def has_item(self, link_id: str) -> bool:
        return link_id in self._by_link_id
