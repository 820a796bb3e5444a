"""The answers given so far to one questionnaire, and what they enable."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from kiosk.questionnaire.enable_when import EnableWhenEvaluator
from kiosk.questionnaire.instances import Key, Path, RepeatLayout, is_repeating_group, shift_key
from kiosk.questionnaire.launch import LaunchContext
from kiosk.questionnaire.model import AnswerOption, Item, Questionnaire
from kiosk.questionnaire.presentation import present
from kiosk.questionnaire.validation import AnswerProblem, check_answer
from kiosk.questionnaire.values import AnswerValue, Coding

#: Kinds the kiosk cannot take an answer for; they never block the patient.
UNANSWERABLE = {"attachment", "unsupported"}


class AnswerSheet:
    """Answers by (linkId, path), plus the enabled state of every item instance.

    ``path`` picks the instance of each repeating group around an item (see
    :mod:`kiosk.questionnaire.instances`); outside repeating groups it is ``()`` and may be
    left out. Starts with the form's initial values (``initial[x]``, ``initialSelected``).
    Answers of items that become disabled are kept while the patient is still answering
    (so a mis-tap and its undo lose nothing) but are left out of :meth:`effective`, which
    is what the review, flags and response use.
    """

    def __init__(self, questionnaire: Questionnaire, launch: LaunchContext | None = None
                 ) -> None:
        """``launch``: the form starts now, with this launch context: its initialExpressions
        are evaluated here (see :meth:`prefill` to start it later)."""
        self.questionnaire = questionnaire
        self.layout = RepeatLayout(questionnaire)
        self._evaluator = EnableWhenEvaluator(questionnaire, self.layout)
        self._answers: dict[Key, list[AnswerValue]] = {}
        for item in questionnaire.walk():
            for path in self.layout.paths(item):
                self._apply_initial(item, path)
        self._enabled = self._evaluator.enabled_map(self._answers)
        self._expressions = None
        #: called with the linkId after every answer recorded (autosave listens here)
        self.listeners: list[Callable[[str], None]] = []
        self.recalculated: set[str] = set()  # items whose calculated value the last set changed
        #: computed option lists (answerExpression, answerOptionsToggleExpression) by linkId
        self._options: dict[str, list[AnswerOption]] = {}
        self.options_changed: set[str] = set()  # items whose options the last set changed
        #: item texts the form computes (cqf-expression), by linkId; see :meth:`text_of`
        self._texts: dict[str, str] = {}
        self.texts_changed: set[str] = set()  # items whose computed text the last set changed
        self.launch = LaunchContext()
        self.prefilled = False
        if any(i.calculated_expression or i.enable_when_expression or i.constraints
               or i.initial_expression or i.answer_expression or i.option_toggles
               or i.text_expression for i in questionnaire.walk()):
            from kiosk.questionnaire.expressions import ExpressionEngine  # fhirpathpy: on demand

            self._expressions = ExpressionEngine(questionnaire)
            if launch is not None:
                self._expressions.launch = launch.variables()
                self.launch = launch
                self._fill_initial()
            self._recalculate()
        self.prefilled = self.prefilled or launch is not None

    def options(self, link_id: str) -> list[AnswerOption]:
        """The options offered now: the form's, or as its expressions compute them."""
        found = self._options.get(link_id)
        return list(found) if found is not None else list(self.questionnaire.item(link_id).options)

    def text_of(self, item: Item) -> str:
        """The item's text as shown now: computed by the form (cqf-expression), or its
        fixed text while that gives nothing."""
        return self._texts.get(item.link_id) or item.text

    def set_launch(self, launch: LaunchContext) -> None:
        """What the form's expressions read as %patient (check-in's name and birth date)."""
        self.launch = launch
        if self._expressions is not None:
            self._expressions.launch = launch.variables()
            self._enabled = self._evaluator.enabled_map(self._answers)
            self._recalculate()

    def prefill(self, launch: LaunchContext | None = None) -> set[str]:
        """Evaluate every initialExpression once (SDC: when the form starts), with the launch
        context; fills only questions not answered yet. Returns the linkIds filled."""
        if self.prefilled or self._expressions is None or not self._expressions.initial:
            if launch is not None:
                self.set_launch(launch)
            self.prefilled = True
            return set()
        if launch is not None:
            self.launch = launch
            self._expressions.launch = launch.variables()
        self.prefilled = True
        filled = self._fill_initial()
        self._enabled = self._evaluator.enabled_map(self._answers)
        self._recalculate()  # once, for the launch context and what was filled
        return filled

    def _fill_initial(self) -> set[str]:
        """initialExpression values for the questions not answered yet (no re-evaluation)."""
        assert self._expressions is not None
        if not self._expressions.initial:
            return set()
        response = self._engine_response(dt.datetime.now().astimezone())
        filled = set()
        for link_id, values in self._expressions.initial_values(response).items():
            key = (link_id, self._path(link_id, None))
            if key not in self._answers:
                item = self.questionnaire.item(link_id)
                self._answers[key] = values if item.repeats else values[:1]
                filled.add(link_id)
        if filled:
            self._enabled = self._evaluator.enabled_map(self._answers)
        return filled

    def _apply_initial(self, item: Item, path: Path) -> None:
        initial = list(item.initial) or [o.value for o in item.options if o.initial_selected]
        if initial and item.is_question:
            self._answers[(item.link_id, path)] = initial if item.repeats else initial[:1]

    def _path(self, link_id: str, path: Path | None) -> Path:
        if path is not None:
            return path
        return tuple(0 for _ in self.layout.chain[link_id])  # the first instance

    # -- answers -----------------------------------------------------------------------------
    def get(self, link_id: str, path: Path | None = None) -> list[AnswerValue]:
        return list(self._answers.get((link_id, self._path(link_id, path)), ()))

    def set(self, link_id: str, values: Sequence[AnswerValue],
            path: Path | None = None) -> set[Key]:
        """Record the answers of one question; returns the keys whose enabled state changed."""
        item = self.questionnaire.item(link_id)
        key = (link_id, self._path(link_id, path))
        cleaned = [v for v in values if v != ""]
        if item.options and item.repeats:
            cleaned = _apply_exclusive(item, cleaned)
        if cleaned:
            self._answers[key] = cleaned
        else:
            self._answers.pop(key, None)
        changed = self._evaluator.update(self._enabled, link_id, self._answers)
        self.recalculated = set()
        self.options_changed = set()
        self.texts_changed = set()
        if (self._expressions is not None and not item.calculated_expression
                and self._expressions.depends_on([link_id, *(k[0] for k in changed)])):
            changed |= self._recalculate()
        for listener in self.listeners:
            listener(link_id)
        return changed

    def set_quietly(self, link_id: str, values: list[AnswerValue], path: Path) -> None:
        """Restore an answer as it was (no listeners, no re-evaluation): see :meth:`refresh`."""
        if values:
            self._answers[(link_id, path)] = list(values)
        else:
            self._answers.pop((link_id, path), None)

    def refresh(self) -> None:
        """Re-evaluate everything after answers were restored with :meth:`set_quietly`."""
        self._enabled = self._evaluator.enabled_map(self._answers)
        if self._expressions is not None:
            self._recalculate()

    def raw_answers(self) -> dict[Key, list[AnswerValue]]:
        """Every answer given, enabled or not (what a draft keeps)."""
        return {k: list(v) for k, v in self._answers.items()}

    def is_enabled(self, link_id: str, path: Path | None = None) -> bool:
        """Enabled at ``path``; with no path, enabled in at least one instance."""
        if path is not None or not self.layout.chain[link_id]:
            return self._enabled.get((link_id, path or ()), True)
        item = self.questionnaire.item(link_id)
        return any(self._enabled.get((link_id, p), True) for p in self.layout.paths(item))

    def effective_at(self) -> dict[Key, list[AnswerValue]]:
        """Answers of enabled item instances, by (linkId, path)."""
        return {k: list(v) for k, v in self._answers.items() if self._enabled.get(k, False)}

    def effective(self) -> dict[str, list[AnswerValue]]:
        """Answers of enabled items by linkId (instances of a repeating group together)."""
        merged: dict[str, list[AnswerValue]] = {}
        for (link_id, _path), values in sorted(self.effective_at().items()):
            merged.setdefault(link_id, []).extend(values)
        return merged

    # -- repeating groups --------------------------------------------------------------------
    def instances(self, group: str, parent_path: Path = ()) -> int:
        return self.layout.count(group, parent_path)

    def add_instance(self, group: str, parent_path: Path = ()) -> Path:
        """Another instance of a repeating group; returns its path."""
        item = self.questionnaire.item(group)
        assert is_repeating_group(item)
        path = self.layout.add(item, parent_path)
        for inner in item.walk():
            for inner_path in self.layout.paths(inner):
                if inner_path[: len(path)] == path:
                    self._apply_initial(inner, inner_path)
        self._enabled = self._evaluator.enabled_map(self._answers)
        return path

    def remove_instance(self, group: str, path: Path) -> None:
        """Remove one instance (never the last) with all its answers; later ones move up."""
        item = self.questionnaire.item(group)
        if self.layout.count(group, path[:-1]) <= 1:
            return
        depth = len(path) - 1
        kept: dict[Key, list[AnswerValue]] = {}
        inside = {i.link_id for i in item.walk()}
        for key, values in self._answers.items():
            moved = shift_key(key, depth, path[:-1], path[-1]) if key[0] in inside else key
            if moved is not None:
                kept[moved] = values
        self._answers = kept
        self.layout.remove(item, path)
        self._enabled = self._evaluator.enabled_map(self._answers)

    # -- checks ------------------------------------------------------------------------------
    def problems(self, items: Iterable[Item]) -> list[AnswerProblem]:
        """What stops the patient leaving a page holding ``items`` (and what is below them)."""
        items = list(items)
        found = self._answer_problems(items)
        if self._expressions is not None and self._expressions.constraints:
            flagged = {p.link_id for p in found}
            candidates = {i.link_id for top in items for i in top.walk()
                          if i.constraints and not i.hidden and i.link_id not in flagged
                          and self.is_enabled(i.link_id)}
            if candidates:
                response = self._engine_response(dt.datetime.now().astimezone())
                broken = self._expressions.broken_constraints(response, candidates)
                found += [AnswerProblem(link_id, "error_constraint", {"message": human},
                                        self._path(link_id, None))
                          for link_id, human in broken.items()]
        return found

    def _answer_problems(self, items: Iterable[Item]) -> list[AnswerProblem]:
        found = []
        for top in items:
            for item in top.walk():
                if not item.is_question or item.hidden:
                    continue
                for path in self.layout.paths(item):
                    if not self._enabled.get((item.link_id, path), True):
                        continue
                    answers = self._answers.get((item.link_id, path))
                    if not answers:
                        if (item.required and not item.read_only
                                and not item.calculated_expression
                                and present(item).kind not in UNANSWERABLE):
                            found.append(AnswerProblem(item.link_id, "error_required", path=path))
                        continue
                    for value in answers:
                        problem = check_answer(item, value)
                        if problem is not None:
                            found.append(AnswerProblem(problem.link_id, problem.key,
                                                       problem.values, path))
                            break
        return found

    def unfillable_required(self) -> list[Item]:
        """Enabled required questions the patient cannot answer (read-only, calculated or
        hidden) that are still empty: the form meant to fill them and could not."""
        found = []
        for item in self.questionnaire.walk():
            if (not item.required or not item.is_question
                    or not (item.read_only or item.calculated_expression or item.hidden)
                    or present(item).kind in UNANSWERABLE):
                continue
            paths = [p for p in self.layout.paths(item)
                     if self._enabled.get((item.link_id, p), True)]
            if paths and any(not self._answers.get((item.link_id, p)) for p in paths):
                found.append(item)
        return found

    def completion_status(self) -> str:
        """``completed``, or ``in-progress`` while a required answer the patient cannot give
        is missing (a completed response lacking a required answer is invalid)."""
        return "in-progress" if self.unfillable_required() else "completed"

    def missing_required(self, items: Iterable[Item]) -> list[Item]:
        """Enabled, visible, required questions in ``items`` (and below) with no answer."""
        return [self.questionnaire.item(p.link_id) for p in self.problems(items)
                if p.key == "error_required"]

    # -- expressions -------------------------------------------------------------------------
    def _recalculate(self) -> builtins.set[Key]:
        """Update calculated items and enableWhenExpression results; returns enabled changes."""
        enabled_changes: set[Key] = set()
        built: list[dict] = []  # the response, while nothing was stored since it was built

        def store(link_id: str, values: list[AnswerValue]) -> bool:
            key = (link_id, self._path(link_id, None))
            if self._answers.get(key, []) == values:
                return False
            if values:
                self._answers[key] = values
            else:
                self._answers.pop(key, None)
            built.clear()
            enabled_changes.update(self._evaluator.update(self._enabled, link_id, self._answers))
            return True

        assert self._expressions is not None
        moment = dt.datetime.now().astimezone()

        def response() -> dict:
            if not built:
                built.append(self._engine_response(moment))
            return built[0]

        self.recalculated = self._expressions.calculate(response, store)
        if self._expressions.has_options:
            self._update_options(response(), store)
        if self._expressions.texts:
            texts = self._expressions.computed_texts(response())
            self.texts_changed = {link_id for link_id in texts.keys() | self._texts.keys()
                                  if texts.get(link_id) != self._texts.get(link_id)}
            self._texts = texts
        if not self._expressions.enable_expressions:
            return enabled_changes  # no second response to build on every answer
        verdicts = self._expressions.enable_when(response())
        if verdicts != self._evaluator.expression_results:
            turned = {k[0] for k, v in verdicts.items()
                      if self._evaluator.expression_results.get(k) != v}
            self._evaluator.expression_results = verdicts
            if self._expressions.incremental:  # only the items whose verdict turned
                enabled_changes |= self._evaluator.refresh_items(self._enabled, turned,
                                                                 self._answers)
            else:
                before = self._enabled
                self._enabled = self._evaluator.enabled_map(self._answers)
                enabled_changes |= {k for k, v in self._enabled.items() if before.get(k) != v}
        return enabled_changes

    def warm_up(self) -> None:
        """Bring the expressions' kept results up to date while the patient reads (a
        form's start changes what many of them read); answers and results are unchanged,
        the next answer is quicker."""
        if self._expressions is not None:
            self._expressions.warm_up(self._engine_response(dt.datetime.now().astimezone()),
                                      lambda link_id: self._answers.get(
                                          (link_id, self._path(link_id, None)), []))

    def _engine_response(self, moment: dt.datetime) -> dict:
        """The in-progress response the expressions read; the engine is told what it
        holds, so that it evaluates again only what reads a change."""
        from kiosk.questionnaire.response import build_response

        assert self._expressions is not None
        self._expressions.observe(self._answers, self._enabled,
                                  tuple(sorted(self.layout.counts.items())))
        return build_response(self, moment, status="in-progress")

    def _update_options(self, response: dict,
                        store: Callable[[str, list[AnswerValue]], bool]) -> None:
        """New computed option lists; an answer no longer offered is taken away."""
        assert self._expressions is not None
        self.options_changed = set()
        for link_id, options in self._expressions.options(response).items():
            if self._options.get(link_id) == options:
                continue
            first = link_id not in self._options
            self._options[link_id] = options
            if not first:
                self.options_changed.add(link_id)
            offered = [o.value for o in options]
            for key in [k for k in self._answers if k[0] == link_id]:
                kept = [v for v in self._answers[key] if v in offered
                        or (isinstance(v, Coding) and any(
                            isinstance(o, Coding) and o.code == v.code for o in offered))]
                if kept != self._answers[key]:
                    if key[1] == self._path(link_id, None):
                        store(link_id, kept)
                    elif kept:
                        self._answers[key] = kept
                    else:
                        self._answers.pop(key)


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
