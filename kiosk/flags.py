"""Flags for staff: answers that need attention, derived by rules kept as data.

A rule file (``content/flag_rules.json``) holds rules of the form::

    {"id": "...", "severity": "high|medium|low", "label": {"en": "..."},
     "text": {"en": "... {answers} ..."}, "show": ["linkId", ...], "when": CONDITION}

where CONDITION is one of::

    {"answer": LINKID, "any_of": [code-or-value, ...]}   any answer matches one of these
    {"answer": LINKID, "is": value}                       some answer equals value
    {"answer": LINKID, "exists": true|false}
    {"procedure": {FIELD: [value, ...], ...}}             procedure metadata matches
    {"all": [CONDITION, ...]}, {"any": [CONDITION, ...]}, {"not": CONDITION}

Only answers of enabled items are considered (the caller passes effective answers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.content_errors import ContentError
from kiosk.procedures import Procedure
from kiosk.questionnaire.values import AnswerValue, Coding, display_value

SEVERITIES = ("high", "medium", "low")
_CONDITION_KEYS = {"answer", "procedure", "all", "any", "not"}


@dataclass(frozen=True)
class FlagRule:
    id: str
    severity: str
    labels: Mapping[str, str]
    texts: Mapping[str, str]
    show: tuple[str, ...]
    when: Mapping[str, Any]


@dataclass(frozen=True)
class Flag:
    rule_id: str
    severity: str
    label: str
    text: str


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


def _value_key(value: AnswerValue) -> object:
    return value.code if isinstance(value, Coding) else value


def _holds(cond: Mapping[str, Any], answers: Mapping[str, Sequence[AnswerValue]],
           procedure: Mapping[str, Any]) -> bool:
    if "all" in cond:
        return all(_holds(c, answers, procedure) for c in cond["all"])
    if "any" in cond:
        return any(_holds(c, answers, procedure) for c in cond["any"])
    if "not" in cond:
        return not _holds(cond["not"], answers, procedure)
    if "procedure" in cond:
        return all(procedure.get(k) in v for k, v in cond["procedure"].items())
    given = [_value_key(v) for v in answers.get(cond["answer"], ())]
    if "exists" in cond:
        return bool(given) == bool(cond["exists"])
    if "is" in cond:
        return any(v == cond["is"] and type(v) is type(cond["is"]) for v in given)
    return any(v in cond["any_of"] for v in given)


# The question whose answer says where on the body the procedure is: the bleeding-risk
# tier of some procedures depends on it (see ``Procedure.tier_for``).
AREA_LINK_ID = "procedure-area"


def procedure_context(procedure: Procedure,
                      answers: Mapping[str, Sequence[AnswerValue]]) -> dict[str, Any]:
    """The procedure metadata the rules test, for the body area the patient gave."""
    area = next((v.code for v in answers.get(AREA_LINK_ID, ()) if isinstance(v, Coding)), None)
    return procedure.metadata(area)


def evaluate(
    rules: Sequence[FlagRule],
    answers: Mapping[str, Sequence[AnswerValue]],
    procedure: Mapping[str, Any],
    language: str = "en",
) -> list[Flag]:
    """The flags raised by ``answers`` (enabled items only) for ``procedure``'s metadata."""
    flags = []
    for rule in rules:
        if not _holds(rule.when, answers, procedure):
            continue
        shown = [
            display_value(v)
            for link_id in rule.show
            for v in answers.get(link_id, ())
            if not (isinstance(v, Coding) and v.code in ("other", "none"))
        ]
        template = rule.texts.get(language, rule.texts["en"])
        text = template.format(
            answers=", ".join(shown) if shown else "no details given",
            procedure_tier=procedure.get("bleeding_tier", ""),
            **{f"procedure_{key}": value for key, value in procedure.items()},
        )
        flags.append(
            Flag(rule.id, rule.severity, rule.labels.get(language, rule.labels["en"]), text)
        )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(flags, key=lambda f: order[f.severity])
