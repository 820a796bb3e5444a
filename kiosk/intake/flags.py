"""Flags for staff: answers that need attention, raised by the rules in
:mod:`kiosk.content.flag_rules`.

Only answers of enabled items are considered (the caller passes effective answers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.content.flag_rules import SEVERITIES, FlagRule
from kiosk.content.procedures import Procedure
from kiosk.questionnaire.values import AnswerValue, Coding, display_value


@dataclass(frozen=True)
class Flag:
    rule_id: str
    severity: str
    label: str
    text: str


def _value_key(value: AnswerValue) -> object:
    return value.code if isinstance(value, Coding) else value


def _holds(cond: Mapping[str, Any], answers: Mapping[str, Sequence[AnswerValue]],
           procedure: Mapping[str, Any], understanding: Mapping[str, str]) -> bool:
    if "all" in cond:
        return all(_holds(c, answers, procedure, understanding) for c in cond["all"])
    if "any" in cond:
        return any(_holds(c, answers, procedure, understanding) for c in cond["any"])
    if "not" in cond:
        return not _holds(cond["not"], answers, procedure, understanding)
    if "check" in cond:
        return understanding.get(cond["check"]) in cond["any_of"]
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


class _AnswerWords(dict[str, str]):
    """``{answer[linkId]}`` in a flag text: one question's answers, or "not given"."""

    def __missing__(self, link_id: str) -> str:
        return "not given"


def _answer_words(answers: Mapping[str, Sequence[AnswerValue]]) -> _AnswerWords:
    words = _AnswerWords()
    for link_id, values in answers.items():
        shown = [display_value(v) for v in values]
        if shown:
            words[link_id] = ", ".join(shown)
    return words


def evaluate(
    rules: Sequence[FlagRule],
    answers: Mapping[str, Sequence[AnswerValue]],
    procedure: Mapping[str, Any],
    language: str = "en",
    understanding: Mapping[str, str] | None = None,
) -> list[Flag]:
    """The flags raised by ``answers`` (enabled items only) for ``procedure``'s metadata and
    the patient's first answers to the understanding checks (check id -> option id)."""
    flags = []
    understanding = understanding or {}
    for rule in rules:
        if not _holds(rule.when, answers, procedure, understanding):
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
            answer=_answer_words(answers),
            procedure_tier=procedure.get("bleeding_tier", ""),
            **{f"procedure_{key}": value for key, value in procedure.items()},
        )
        flags.append(
            Flag(rule.id, rule.severity, rule.labels.get(language, rule.labels["en"]), text)
        )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(flags, key=lambda f: order[f.severity])
