"""The answers given so far to one questionnaire, and what they enable."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kiosk.questionnaire.enable_when import EnableWhenEvaluator
from kiosk.questionnaire.model import Item, Questionnaire
from kiosk.questionnaire.presentation import present
from kiosk.questionnaire.validation import AnswerProblem, check_answer
from kiosk.questionnaire.values import AnswerValue, Coding

#: Kinds the kiosk cannot take an answer for; they never block the patient.
UNANSWERABLE = {"attachment", "unsupported"}


class AnswerSheet:
    """linkId -> answers, plus the enabled state of every item.

    Starts with the form's initial values (``initial[x]``, ``initialSelected``).
    Answers of items that become disabled are kept while the patient is still
    answering (so a mis-tap and its undo lose nothing) but are left out of
    :meth:`effective`, which is what the review, flags and response use.
    """

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self._evaluator = EnableWhenEvaluator(questionnaire)
        self._answers: dict[str, list[AnswerValue]] = {}
        for item in questionnaire.walk():
            initial = list(item.initial) or [o.value for o in item.options if o.initial_selected]
            if initial and item.is_question:
                self._answers[item.link_id] = initial if item.repeats else initial[:1]
        self._enabled = self._evaluator.enabled_map(self._answers)
        self._expressions = None
        self.recalculated: set[str] = set()  # items whose calculated value the last set changed
        if any(item.calculated_expression for item in questionnaire.walk()):
            from kiosk.questionnaire.expressions import ExpressionEngine  # fhirpathpy: on demand

            self._expressions = ExpressionEngine(questionnaire)
            self._recalculate()

    def get(self, link_id: str) -> list[AnswerValue]:
        return list(self._answers.get(link_id, ()))

    def set(self, link_id: str, values: Sequence[AnswerValue]) -> set[str]:
        """Record the answers of one question; returns linkIds whose enabled state changed."""
        item = self.questionnaire.item(link_id)
        cleaned = [v for v in values if v != ""]
        if item.options and item.repeats:
            cleaned = _apply_exclusive(item, cleaned)
        if cleaned:
            self._answers[link_id] = cleaned
        else:
            self._answers.pop(link_id, None)
        changed = self._evaluator.update(self._enabled, link_id, self._answers)
        self.recalculated = set()
        if self._expressions is not None and not item.calculated_expression:
            changed |= self._recalculate()
        return changed

    def _recalculate(self) -> set[str]:
        """Update calculated items; returns linkIds whose enabled state changed on the way."""
        import datetime as dt

        from kiosk.questionnaire.response import build_response

        enabled_changes: set[str] = set()

        def store(link_id: str, values: list[AnswerValue]) -> bool:
            if self._answers.get(link_id, []) == values:
                return False
            if values:
                self._answers[link_id] = values
            else:
                self._answers.pop(link_id, None)
            enabled_changes.update(self._evaluator.update(self._enabled, link_id, self._answers))
            return True

        assert self._expressions is not None
        moment = dt.datetime.now().astimezone()
        self.recalculated = self._expressions.calculate(
            lambda: build_response(self, moment, status="in-progress"), store)
        return enabled_changes

    def is_enabled(self, link_id: str) -> bool:
        return self._enabled.get(link_id, True)

    def effective(self) -> dict[str, list[AnswerValue]]:
        """Answers of enabled items only."""
        return {k: list(v) for k, v in self._answers.items() if self._enabled.get(k, False)}

    def problems(self, items: Iterable[Item]) -> list[AnswerProblem]:
        """What stops the patient leaving a page holding ``items`` (and what is below them)."""
        found = []
        for top in items:
            for item in top.walk():
                if not item.is_question or item.hidden or not self.is_enabled(item.link_id):
                    continue
                answers = self._answers.get(item.link_id)
                if not answers:
                    if (item.required and not item.read_only
                            and present(item).kind not in UNANSWERABLE):
                        found.append(AnswerProblem(item.link_id, "error_required"))
                    continue
                for value in answers:
                    problem = check_answer(item, value)
                    if problem is not None:
                        found.append(problem)
                        break
        return found

    def missing_required(self, items: Iterable[Item]) -> list[Item]:
        """Enabled, visible, required questions in ``items`` (and below) with no answer."""
        return [self.questionnaire.item(p.link_id) for p in self.problems(items)
                if p.key == "error_required"]

    def clear(self) -> None:
        self._answers.clear()
        self._enabled = self._evaluator.enabled_map(self._answers)


def _apply_exclusive(item: Item, values: list[AnswerValue]) -> list[AnswerValue]:
    """An exclusive option ("None of these") can only stand alone; the newest choice wins."""
    exclusive_codes = {
        o.value.code for o in item.options if o.exclusive and isinstance(o.value, Coding)
    }
    if not exclusive_codes or len(values) < 2:
        return values
    newest = values[-1]
    if isinstance(newest, Coding) and newest.code in exclusive_codes:
        return [newest]
    return [v for v in values if not (isinstance(v, Coding) and v.code in exclusive_codes)]
