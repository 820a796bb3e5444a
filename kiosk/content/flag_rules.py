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


def parse_rules(data: Any, source: str, known_link_ids: set[str]) -> list[FlagRule]:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ContentError(source, "top level", "expected {\"rules\": [...]}")
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
            if not isinstance(raw.get(key), dict) or "en" not in raw[key]:
                raise ContentError(source, f"{where}.{key}", "needs at least an 'en' text")
        show = tuple(raw.get("show", ()))
        for link_id in show:
            if link_id not in known_link_ids:
                raise ContentError(source, f"{where}.show", f"unknown question {link_id!r}")
        _check_condition(raw.get("when"), f"{where}.when", source, known_link_ids)
        rules.append(
            FlagRule(rule_id, raw["severity"], raw["label"], raw["text"], show, raw["when"])
        )
    return rules


def _check_condition(cond: Any, where: str, source: str, link_ids: set[str]) -> None:
    if not isinstance(cond, dict) or len(set(cond) & _CONDITION_KEYS) != 1:
        raise ContentError(source, where, f"expected one of {sorted(_CONDITION_KEYS)}")
    if "answer" in cond:
        if cond["answer"] not in link_ids:
            raise ContentError(source, where, f"unknown question {cond['answer']!r}")
        if not ({"any_of", "is", "exists"} & set(cond)):
            raise ContentError(source, where, "an answer test needs any_of, is or exists")
    elif "check" in cond:
        if not isinstance(cond["check"], str) or not isinstance(cond.get("any_of"), list):
            raise ContentError(source, where, "a check test needs a check id and any_of")
    elif "all" in cond or "any" in cond:
        parts = cond.get("all", cond.get("any"))
        if not isinstance(parts, list) or not parts:
            raise ContentError(source, where, "expected a non-empty list")
        for j, part in enumerate(parts):
            _check_condition(part, f"{where}[{j}]", source, link_ids)
    elif "not" in cond:
        _check_condition(cond["not"], f"{where}.not", source, link_ids)
    elif not isinstance(cond["procedure"], dict):
        raise ContentError(source, where, "procedure test must be an object")
