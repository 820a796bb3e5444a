"""enableWhen / enableBehavior evaluation (FHIR R4 Questionnaire.item.enableWhen).

Rules followed, from the R4 specification:
- ``exists`` is true when the question has (true) or has no (false) answer.
- ``!=`` is true when *no* answer of the question equals the value, so a question with
  no answer satisfies it (FHIR's current wording; LHC-Forms and Smart Forms agree).
- Any other operator is true when *any* answer of the question satisfies it;
  a question with no answer satisfies no other comparison.
- ``any`` / ``all`` combine the conditions (``any`` is the default).
- An item whose parent is disabled is disabled too.
- A question that is itself disabled counts as having no answer.

Leniency for published forms: when the condition's answer is a primitive
(``answerString``, ``answerInteger``, ``answerDecimal``) but the question's answer is
a Coding, the Coding's code is compared, converted to the condition's type.
"""

from __future__ import annotations

import datetime as dt
import operator as op
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from kiosk.questionnaire.instances import Key, Path, RepeatLayout
from kiosk.questionnaire.model import EnableWhen, Item, Questionnaire
from kiosk.questionnaire.values import AnswerValue, Coding, Quantity

Answers = Mapping[Key, Sequence[AnswerValue]]

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": op.eq,
    "!=": op.ne,
    ">": op.gt,
    "<": op.lt,
    ">=": op.ge,
    "<=": op.le,
}


def _comparable(actual: Any, expected: Any) -> tuple[object, object] | None:
    """Bring two values to one comparable type, or None when they cannot be compared."""
    if isinstance(expected, Coding):
        if isinstance(actual, Coding):
            return (actual.code, actual.system), (expected.code, expected.system)
        return None
    if isinstance(actual, Coding):
        actual = actual.code
        try:
            if isinstance(expected, bool):
                return None
            if isinstance(expected, int):
                return int(actual), expected
            if isinstance(expected, float):
                return float(actual), expected
        except ValueError:
            return None
        return str(actual), str(expected)
    if isinstance(actual, Quantity):
        actual = actual.value
    if isinstance(expected, Quantity):
        expected = expected.value
    if isinstance(actual, bool) or isinstance(expected, bool):
        return (actual, expected) if type(actual) is type(expected) else None
    if isinstance(actual, int | float) and isinstance(expected, int | float):
        return actual, expected
    if isinstance(actual, dt.date) or isinstance(expected, dt.date):
        return str(actual), str(expected)  # ISO text orders like the dates it holds
    if isinstance(actual, str) and isinstance(expected, str):
        return actual, expected
    return None


def condition_holds(condition: EnableWhen, answers: Sequence[AnswerValue]) -> bool:
    if condition.operator == "exists":
        return bool(answers) == bool(condition.answer)
    if condition.operator == "!=":
        return not any(_equal(actual, condition.answer) for actual in answers)
    compare = _COMPARE[condition.operator]
    for actual in answers:
        if isinstance(condition.answer, Coding) and isinstance(actual, Coding):
            same = actual.same_concept(condition.answer)
            if condition.operator == "=" and same:
                return True
            if condition.operator == "!=" and not same:
                return True
            continue
        pair = _comparable(actual, condition.answer)
        if pair is not None and compare(*pair):
            return True
    return False


def _equal(actual: AnswerValue, expected: AnswerValue) -> bool:
    if isinstance(expected, Coding) and isinstance(actual, Coding):
        return actual.same_concept(expected)
    pair = _comparable(actual, expected)
    return pair is not None and pair[0] == pair[1]


class EnableWhenEvaluator:
    """Works out which items of one questionnaire are enabled, instance by instance.

    Inside a repeating group, a condition reads the answer in the *same* instance (the
    renderers' most reported bug is reading another instance's answer); a question in a
    repeating group that the item is not part of counts if any instance satisfies it.
    """

    def __init__(self, questionnaire: Questionnaire, layout: RepeatLayout) -> None:
        self._questionnaire = questionnaire
        self.layout = layout
        # linkId of a question -> linkIds of items whose enableWhen reads it
        self.dependents: dict[str, set[str]] = {}
        for item in questionnaire.walk():
            for condition in item.enable_when:
                self.dependents.setdefault(condition.question, set()).add(item.link_id)
        #: results of enableWhenExpression, by key; set by the answer sheet when it has any
        self.expression_results: dict[Key, bool] = {}

    def enabled_map(self, answers: Answers) -> dict[Key, bool]:
        """(linkId, path) -> enabled, for every item at every path it exists at."""
        cache: dict[Key, bool] = {}
        for item in self._questionnaire.walk():
            for path in self.layout.paths(item):
                self._enabled(item, path, answers, cache, set())
        return cache

    def affected_by(self, link_id: str) -> set[str]:
        """Items whose enabled state can change when ``link_id``'s answer changes:
        its dependents, their descendants, and so on (an item disabled counts as unanswered)."""
        found: set[str] = set()
        pending = [link_id]
        while pending:
            for dependent in self.dependents.get(pending.pop(), ()):
                for item in self._questionnaire.item(dependent).walk():
                    if item.link_id not in found:
                        found.add(item.link_id)
                        pending.append(item.link_id)
        return found

    def update(self, enabled: dict[Key, bool], link_id: str, answers: Answers) -> set[Key]:
        """Re-evaluate only what ``link_id`` affects, in place; returns the keys that changed."""
        return self._recompute(enabled, self.affected_by(link_id), answers)

    def refresh_items(self, enabled: dict[Key, bool], link_ids: Iterable[str],
                      answers: Answers) -> set[Key]:
        """Re-evaluate, in place, items whose own condition changed (an
        enableWhenExpression verdict) and all they affect: their descendants, the items
        whose enableWhen reads any of them, and so on. Returns the keys that changed."""
        affected: set[str] = set()
        for link_id in link_ids:
            for item in self._questionnaire.item(link_id).walk():
                if item.link_id not in affected:
                    affected.add(item.link_id)
                    affected |= self.affected_by(item.link_id)
        return self._recompute(enabled, affected, answers)

    def _recompute(self, enabled: dict[Key, bool], affected: set[str],
                   answers: Answers) -> set[Key]:
        if not affected:
            return set()
        cache = {k: v for k, v in enabled.items() if k[0] not in affected}
        changed = set()
        for name in affected:
            item = self._questionnaire.item(name)
            for path in self.layout.paths(item):
                now = self._enabled(item, path, answers, cache, set())
                if enabled.get((name, path)) != now:
                    changed.add((name, path))
                    enabled[(name, path)] = now
        return changed

    def _enabled(self, item: Item, path: Path, answers: Answers, cache: dict[Key, bool],
                 visiting: set[Key]) -> bool:
        key = (item.link_id, path)
        if key in cache:
            return cache[key]
        if key in visiting:  # a cycle in the form: treat as disabled, never loop
            return False
        visiting.add(key)
        result = True
        parent = item.parent
        if parent is not None and not self._enabled(
            parent, self.layout.parent_path(item, path), answers, cache, visiting
        ):
            result = False
        elif item.enable_when:
            results = []
            for condition in item.enable_when:
                source = self._questionnaire.item(condition.question)
                given: list[AnswerValue] = []
                for source_path in self.layout.source_paths(item, path, source):
                    values = answers.get((source.link_id, source_path), ())
                    if values and self._enabled(source, source_path, answers, cache, visiting):
                        given.extend(values)
                results.append(condition_holds(condition, given))
            result = all(results) if item.enable_behavior == "all" else any(results)
        elif item.enable_when_expression:
            result = self.expression_results.get(key, True)
        visiting.discard(key)
        cache[key] = result
        return result
