"""Understanding checks ("teach-back"): a few short questions after the explanation.

A wrong answer is not a failure: the patient sees the right answer, why, and the part of
the explanation it comes from; staff see which checks the patient missed on the first try.
Read from ``content/teach_back.json``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk.content.errors import ContentError
from kiosk.content.procedures import PAGE_TOPICS, Procedure

UNSURE = "unsure"  # every check also offers "I am not sure" (a UI string), counted as missed
# A "safety" check that applies to a procedure is always shown; "helpful" ones fill up to
# the file's ``per_procedure``.
PRIORITIES = ("safety", "helpful")


@dataclass(frozen=True)
class CheckOption:
    id: str
    texts: Mapping[str, str]


@dataclass(frozen=True)
class Check:
    id: str
    topic: str  # which explanation page the answer comes from (see PAGE_TOPICS)
    questions: Mapping[str, str]
    options: tuple[CheckOption, ...]
    correct: str
    explanations: Mapping[str, str]
    applies: Mapping[str, tuple[Any, ...]]  # procedure metadata field -> accepted values
    priority: str = "helpful"  # one of PRIORITIES
    # by language, words that pick the paragraphs of the topic's page that the answer
    # comes from (shown after a miss); none given or none found: the whole page
    shows: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def relevant(self, paragraphs: Sequence[str], language: str) -> list[str]:
        """The paragraphs of the topic's page to show after a miss."""
        words = [w.lower() for w in self.shows.get(language, ())]
        chosen = [p for p in paragraphs if any(w in p.lower() for w in words)]
        return chosen or list(paragraphs)

    def question(self, language: str) -> str:
        return self.questions.get(language) or self.questions["en"]

    def explanation(self, language: str) -> str:
        return self.explanations.get(language) or self.explanations["en"]

    def option_text(self, option_id: str, language: str) -> str:
        for option in self.options:
            if option.id == option_id:
                return option.texts.get(language) or option.texts["en"]
        raise KeyError(option_id)

    def applies_to(self, procedure: Procedure) -> bool:
        metadata = procedure.metadata()
        return all(metadata.get(key) in values for key, values in self.applies.items())


@dataclass(frozen=True)
class CheckResult:
    """What staff see: the check, the patient's first answer, and whether it was right."""

    check_id: str
    question: str  # English
    answer: str  # English ("I am not sure" for UNSURE)
    correct: bool

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check_id, "question": self.question, "answer": self.answer,
                "correct": self.correct}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckResult:
        return cls(str(data["check"]), str(data["question"]), str(data["answer"]),
                   bool(data["correct"]))


@dataclass(frozen=True)
class TeachBack:
    checks: tuple[Check, ...]
    per_procedure: int

    def applicable(self, procedure: Procedure) -> tuple[Check, ...]:
        """Every check that applies to ``procedure``, in file order."""
        return tuple(c for c in self.checks if c.applies_to(procedure))

    def for_procedure(self, procedure: Procedure) -> tuple[Check, ...]:
        """The checks shown for ``procedure``, in file order: every applicable safety
        check, whatever the cap, then helpful ones while fewer than ``per_procedure``."""
        applicable = self.applicable(procedure)
        room = self.per_procedure - sum(c.priority == "safety" for c in applicable)
        chosen = []
        for check in applicable:
            if check.priority == "safety":
                chosen.append(check)
            elif room > 0:
                chosen.append(check)
                room -= 1
        return tuple(chosen)

    def check(self, check_id: str) -> Check:
        for check in self.checks:
            if check.id == check_id:
                return check
        raise KeyError(check_id)


def result_of(check: Check, chosen: str, unsure_text: str) -> CheckResult:
    answer = unsure_text if chosen == UNSURE else check.option_text(chosen, "en")
    return CheckResult(check.id, check.question("en"), answer, chosen == check.correct)


def parse_teach_back(data: Any, source: str) -> TeachBack:
    def texts(value: Any, where: str) -> dict[str, str]:
        if not isinstance(value, dict) or not isinstance(value.get("en"), str) or not all(
                isinstance(v, str) and v.strip() for v in value.values()):
            raise ContentError(source, where, "expected texts by language, English required")
        return dict(value)

    if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
        raise ContentError(source, "top level", "'checks' must be a list")
    per_procedure = data.get("per_procedure", 3)
    if not isinstance(per_procedure, int) or per_procedure < 1:
        raise ContentError(source, "per_procedure", "expected a whole number of at least 1")
    checks = []
    for i, raw in enumerate(data["checks"]):
        where = f"checks[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise ContentError(source, where, "each check needs an 'id'")
        topic = raw.get("topic")
        if topic not in PAGE_TOPICS:
            raise ContentError(source, f"{where}.topic", f"expected one of {PAGE_TOPICS}")
        options = tuple(
            CheckOption(str(o.get("id")), texts(o.get("text"), f"{where}.options[{j}]"))
            for j, o in enumerate(raw.get("options") or [])
            if isinstance(o, dict)
        )
        ids = [o.id for o in options]
        if len(options) < 2 or UNSURE in ids or len(set(ids)) != len(ids):
            raise ContentError(source, f"{where}.options",
                               f"needs two or more options with distinct ids (not {UNSURE!r})")
        if raw.get("correct") not in ids:
            raise ContentError(source, f"{where}.correct", "must be one of the option ids")
        shows = raw.get("shows", {})
        if not isinstance(shows, dict) or not all(
                isinstance(v, list) and all(isinstance(w, str) and w for w in v)
                for v in shows.values()):
            raise ContentError(source, f"{where}.shows", "expected {language: [words]}")
        applies = raw.get("applies", {})
        if not isinstance(applies, dict) or not all(isinstance(v, list)
                                                    for v in applies.values()):
            raise ContentError(source, f"{where}.applies", "expected {field: [values]}")
        priority = raw.get("priority")
        if priority not in PRIORITIES:
            raise ContentError(source, f"{where}.priority", f"expected one of {PRIORITIES}")
        checks.append(Check(
            id=raw["id"], topic=topic, priority=priority,
            questions=texts(raw.get("question"), f"{where}.question"),
            options=options, correct=raw["correct"],
            explanations=texts(raw.get("explanation"), f"{where}.explanation"),
            applies={k: tuple(v) for k, v in applies.items()},
            shows={k: tuple(v) for k, v in shows.items()},
        ))
    return TeachBack(tuple(checks), per_procedure)
