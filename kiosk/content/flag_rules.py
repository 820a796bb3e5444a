"""Flag rules as data (``content/flag_rules.json``): their shape, loaded and checked.

A rule has the form::

    {"id": "...", "severity": "high|medium|low", "label": {"en": "..."},
     "text": {"en": "... {answers} ... {answer[LINKID]} ..."}, "show": ["linkId", ...],
     "when": CONDITION}

``{answers}`` lists the answers to the ``show`` questions; ``{answer[LINKID]}`` is one
question's answer ("not given" when there is none); ``{procedure_FIELD}`` a procedure fact.
CONDITION is one of::

    {"answer": LINKID, "any_of": [code-or-value, ...]}   any answer matches one of these
    {"answer": LINKID, "is": value}                       some answer equals value
    {"answer": LINKID, "exists": true|false}
    {"procedure": {FIELD: [value, ...], ...}}             procedure metadata matches
    {"check": CHECK_ID, "any_of": [option-id, ...]}       the patient's first answer to an
                                                          understanding check ("unsure" too)
    {"all": [CONDITION, ...]}, {"any": [CONDITION, ...]}, {"not": CONDITION}

:mod:`kiosk.intake.flags` evaluates them against a patient's answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.content.errors import ContentError
from kiosk.questionnaire.model import Item
from kiosk.questionnaire.values import Coding

SEVERITIES = ("high", "medium", "low")
_CONDITION_KEYS = {"answer", "procedure", "check", "all", "any", "not"}


@dataclass(frozen=True)
class FlagRule:
    id: str
    severity: str
    labels: Mapping[str, str]
    texts: Mapping[str, str]
    show: tuple[str, ...]
    when: Mapping[str, Any]

    def checks(self) -> set[str]:
        """The understanding checks this rule's condition reads."""
        return set(_checks_in(self.when))


def _checks_in(cond: Mapping[str, Any]) -> list[str]:
    if "check" in cond:
        return [cond["check"]]
    if "not" in cond:
        return _checks_in(cond["not"])
    return [c for part in cond.get("all", cond.get("any", [])) for c in _checks_in(part)]


def allowed_answers(item: Item) -> set[Any] | None:
    """The answers a rule may test ``item`` for (codes of its options, True/False), or None
    when any value is possible (free text, numbers, an open choice)."""
    if item.type == "boolean":
        return {True, False}
    if item.type == "open-choice" or item.answer_constraint in ("optionsOrString",
                                                                "optionsOrType"):
        return None
    if not item.options:
        return None
    return {o.value.code if isinstance(o.value, Coding) else o.value for o in item.options}


def parse_rules(data: Any, source: str, known_link_ids: set[str],
                questions: Mapping[str, Item] | None = None,
                procedure_fields: Mapping[str, set[Any] | None] | None = None
                ) -> list[FlagRule]:
    """The rules in ``data``; every question they name must be in ``known_link_ids``, every
    answer they test one the question can have (``questions``), every procedure field and
    value one some procedure has (``procedure_fields``) — else the rule could never fire,
    and the file is refused naming the rule."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ContentError(source, "top level", "expected {\"rules\": [...]}")
    checker = _Checker(source, known_link_ids, questions or {}, procedure_fields)
    rules, seen = [], set()
    for i, raw in enumerate(data["rules"]):
        where = f"rules[{i}]"
        if not isinstance(raw, dict):
            raise ContentError(source, where, "expected an object")
        rule_id = raw.get("id")
        if not isinstance(rule_id, str) or rule_id in seen:
            raise ContentError(source, where, "'id' missing or used twice")
        seen.add(rule_id)
        where = f"rules[{i}] ({rule_id})"
        if raw.get("severity") not in SEVERITIES:
            raise ContentError(source, where, f"severity must be one of {SEVERITIES}")
        for key in ("label", "text"):
            texts = raw.get(key)
            if not isinstance(texts, dict) or not isinstance(texts.get("en"), str) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in texts.items()):
                raise ContentError(source, f"{where}.{key}",
                                   "needs an object of language: text, with at least 'en'")
        show = raw.get("show", [])
        if not isinstance(show, list) or not all(isinstance(x, str) for x in show):
            raise ContentError(source, f"{where}.show", "expected a list of question linkIds")
        for link_id in show:
            if link_id not in known_link_ids:
                raise ContentError(source, f"{where}.show", f"unknown question {link_id!r}")
        checker.condition(raw.get("when"), f"{where}.when")
        rules.append(FlagRule(rule_id, raw["severity"], raw["label"], raw["text"],
                              tuple(show), raw["when"]))
    return rules


class _Checker:
    def __init__(self, source: str, link_ids: set[str], questions: Mapping[str, Item],
                 procedure_fields: Mapping[str, set[Any] | None] | None) -> None:
        self.source = source
        self.link_ids = link_ids
        self.questions = questions
        self.procedure_fields = procedure_fields

    def fail(self, where: str, problem: str) -> ContentError:
        return ContentError(self.source, where, problem)

    def condition(self, cond: Any, where: str, depth: int = 0) -> None:
        if depth > 20:
            raise self.fail(where, "conditions nested more than 20 deep")
        if not isinstance(cond, dict) or len(set(cond) & _CONDITION_KEYS) != 1:
            raise self.fail(where, f"expected one of {sorted(_CONDITION_KEYS)}")
        if "answer" in cond:
            self.answer_test(cond, where)
        elif "check" in cond:
            values = cond.get("any_of")
            if not isinstance(cond["check"], str) or not isinstance(values, list) or not all(
                    isinstance(v, str) for v in values):
                raise self.fail(where, "a check test needs a check id and any_of")
        elif "all" in cond or "any" in cond:
            parts = cond.get("all", cond.get("any"))
            if not isinstance(parts, list) or not parts:
                raise self.fail(where, "expected a non-empty list")
            for j, part in enumerate(parts):
                self.condition(part, f"{where}[{j}]", depth + 1)
        elif "not" in cond:
            self.condition(cond["not"], f"{where}.not", depth + 1)
        else:
            self.procedure_test(cond["procedure"], where)

    def answer_test(self, cond: dict[str, Any], where: str) -> None:
        link_id = cond["answer"]
        if not isinstance(link_id, str) or link_id not in self.link_ids:
            raise self.fail(where, f"unknown question {link_id!r}")
        tests = {"any_of", "is", "exists"} & set(cond)
        if len(tests) != 1:
            raise self.fail(where, "an answer test needs one of any_of, is or exists")
        if "exists" in cond:
            if not isinstance(cond["exists"], bool):
                raise self.fail(f"{where}.exists", "expected true or false")
            return
        if "any_of" in cond:
            values = cond["any_of"]
            if not isinstance(values, list) or not values:
                raise self.fail(f"{where}.any_of", "expected a non-empty list of answers")
        else:
            values = [cond["is"]]
        for value in values:
            if not isinstance(value, (str, int, float, bool)):
                raise self.fail(where, f"an answer to test must be a code or a value, not "
                                       f"{type(value).__name__}")
        item = self.questions.get(link_id)
        allowed = allowed_answers(item) if item is not None else None
        if allowed is None:
            return
        for value in values:
            if value not in allowed or (isinstance(value, bool)
                                        != (item is not None and item.type == "boolean")):
                choices = ", ".join(sorted(repr(a) for a in allowed))
                raise self.fail(where, f"question {link_id!r} has no answer {value!r} "
                                       f"(it has {choices}): the rule could never fire")

    def procedure_test(self, test: Any, where: str) -> None:
        if not isinstance(test, dict) or not test:
            raise self.fail(where, "procedure test must be an object of field: [values]")
        for name, values in test.items():
            if not isinstance(values, list) or not values:
                raise self.fail(f"{where}.procedure.{name}", "expected a non-empty list")
            if self.procedure_fields is None:
                continue
            if name not in self.procedure_fields:
                raise self.fail(f"{where}.procedure", f"procedures have no field {name!r} "
                                f"(they have {', '.join(sorted(self.procedure_fields))})")
            known = self.procedure_fields[name]
            if known is None:  # any value (a procedure id)
                continue
            for value in values:
                if not any(value == k and type(value) is type(k) for k in known):
                    raise self.fail(f"{where}.procedure.{name}",
                                    f"no procedure has {name} {value!r}: the rule could "
                                    "never fire")
