"""FHIRPath `variable` and `calculatedExpression`, evaluated with fhirpathpy.

Expressions run against the QuestionnaireResponse built from the current answers, with
``%resource`` (the response), ``%questionnaire`` and the questionnaire-level variables.
SDC's ``answers()`` and ``ordinal()``/``weight()`` are provided here. A calculated value
that depends on another is settled by re-evaluating until nothing changes (a few passes).
An expression that fails leaves its item empty; the failure is noted, never raised.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from kiosk.questionnaire.expression_deps import (
    Deps,
    ExpressionDependencies,
    acts_as_variable,
    named_expressions,
    names_defined,
)
from kiosk.questionnaire.fast_paths import UNSURE, FastPath, compile_fast, resource_node_class
from kiosk.questionnaire.fhirpath_import import fhirpathpy_engine, real_parser
from kiosk.questionnaire.fhirpath_parser import NotFast
from kiosk.questionnaire.fhirpath_parser import parse as fast_parse
from kiosk.questionnaire.launch import PATIENT_ELEMENTS
from kiosk.questionnaire.model import AnswerOption, Item, LoadNote, Questionnaire
from kiosk.questionnaire.parse_cache import parse_cache
from kiosk.questionnaire.values import AnswerValue, Coding, DateTime, Quantity, Time

log = logging.getLogger(__name__)
MAX_PASSES = 4
fhirpathpy_engine()  # fhirpathpy, its ANTLR parser only once an expression needs parsing


def _sdc_functions(expression: str) -> str:
    """SDC's answers() as plain FHIRPath: fhirpathpy's user functions get untyped data, and
    ``.value`` on an answer needs its type. Answers nested under answers are not reached."""
    return expression.replace("answers()", "repeat(item).answer")


def _power(inputs: list[Any], exponent: Any) -> list[Any]:
    """power() that also takes a fractional exponent (fhirpathpy 2.2.4 returns empty for
    ``(0.9402).power(2.5)``, which the Framingham risk score needs)."""
    results: list[Any] = []
    exponents = exponent if isinstance(exponent, list) else [exponent]
    for base in inputs:
        for power in exponents:
            try:
                if isinstance(base, int) and isinstance(power, int) and power >= 0:
                    results.append(base**power)
                else:
                    value = float(base) ** float(power)
                    if isinstance(value, float):  # a complex result is not representable
                        results.append(value)
            except (TypeError, ValueError, OverflowError, ZeroDivisionError):
                continue
    return results


_R4: dict[str, Any] = {}


def r4_model() -> dict[str, Any]:
    """fhirpathpy's R4 model (``fhirpathpy.models.models["r4"]``), read from the same
    files; importing ``fhirpathpy.models`` reads all four FHIR versions' (about 35 ms)."""
    if not _R4:
        fhirpathpy = fhirpathpy_engine()
        folder = Path(str(fhirpathpy.__file__)).parent / "models" / "r4"
        # read whole, then put in at once: the kiosk's start reads it ahead in a thread
        _R4.update({part.stem: json.loads(part.read_text(encoding="utf-8"))
                    for part in sorted(folder.glob("*.json"))})
    return _R4


_PARSED: dict[str, Any] = {}  # expression text -> fhirpathpy's parse tree, or the exception
#: set in a thread that must not use ANTLR (the kiosk's read-ahead: that parser redirects the
#: process's stdout while it runs, and its shared caches are not made for two threads); the
#: kiosk's own parser (fhirpath_parser) has no shared state and runs there too
NO_PARSING = threading.local()


_PARSED_LIMIT = 20_000


class NotParsedHere(Exception):
    """The expression is not parsed yet, and this thread does not parse (NO_PARSING)."""


def parse_expression(text: str) -> Any:
    """fhirpathpy's parse tree of ``text``, parsed once per process; raises what the parser
    raised. Read by :mod:`kiosk.questionnaire.fhirpath_parser` (the same trees, ~50 times
    quicker); what it leaves goes to fhirpathpy's ANTLR parser. Both parsers' trees are
    kept on disk: the kiosk reads them ahead at its start, off the form's first page. ANTLR
    prints recognition errors to stdout: they are kept off it."""
    found = _PARSED.get(text)
    if found is None:
        found = parse_cache().get(text)  # parsed in an earlier run (read ahead at start)
    if found is None:
        found = _parse_new(text)
        if not isinstance(found, BaseException):
            parse_cache().put(text, found)
    if text not in _PARSED:
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.clear()
        _PARSED[text] = found
    if isinstance(found, BaseException):
        raise found
    return found


def _parse_new(text: str) -> Any:
    """The tree of an expression seen for the first time: the kiosk's parser, else ANTLR
    (where the thread allows it); what ANTLR raised is returned, to be kept and raised."""
    source = _sdc_functions(text)
    try:
        return fast_parse(source)
    except (NotFast, RecursionError):
        pass  # for ANTLR
    if getattr(NO_PARSING, "on", False):
        raise NotParsedHere(text)
    parse = real_parser().parse
    try:
        with contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            return parse(source)
    except Exception as exc:  # noqa: BLE001 - any failure of a published form's text,
        return exc  # a RecursionError of a deeply nested one included


#: what is lost when an expression of each kind cannot be read
_LOSS = {
    "calculatedExpression": "cannot be read: its value will not be computed",
    "enableWhenExpression": "cannot be read: the item is always shown",
    "initialExpression": "cannot be read: the answer is not pre-filled",
    "variable": "cannot be read: expressions that use it give no value",
    "constraint": "cannot be read: the answer is not checked against it",
    "answerExpression": "cannot be read: the item has no options to choose from",
    "answerOptionsToggleExpression": "cannot be read: its options are never offered",
    "text expression": "cannot be read: the patient sees the form's fixed text",
}

#: what an expression that reads what the kiosk lacks loses, by kind
_MISSING = {
    "calculatedExpression": "its value is not computed",
    "enableWhenExpression": "the item stays hidden",
    "initialExpression": "the answer is not pre-filled",
    "variable": "expressions that use it give no value",
    "constraint": "the answer is not checked against it",
    "answerExpression": "the item has no options to choose from",
    "answerOptionsToggleExpression": "its options are never offered",
    "text expression": "the text is computed without it (what the record would add is "
                       "missing)",
}
KNOWN_VARIABLES = {"resource", "questionnaire", "context", "qitem", "patient", "this",
                   "ucum", "sct", "loinc", "factory", "terminologies", "rootResource"}


def expression_notes(questionnaire: Questionnaire) -> list[LoadNote]:
    """A note for every FHIRPath expression of the form that cannot be read, saying what is
    lost (for the load report; the engine skips the same expressions)."""
    notes: list[LoadNote] = []
    declared = _declared_names(questionnaire)
    queried = _queried_names(questionnaire)

    def check(text: str | None, link_id: str, kind: str) -> None:
        if not text:
            return
        needs = sorted(set(_VARIABLE_USE.findall(text)) & queried)
        if needs and kind != "variable":
            item = questionnaire.item(link_id) if link_id else None
            loss = _MISSING[kind]
            if kind == "enableWhenExpression" and item is not None and item.type == "group":
                loss = f"the section '{item.text or item.fhir_link_id}' may never appear"
            names = ", ".join(f"%{name}" for name in needs)
            notes.append(LoadNote(link_id, f"{kind} uses {names}, data from the clinic's "
                                  "record (a FHIR query) that the kiosk does not fetch", loss))
        missing = sorted({name for name in re.findall(r"%([A-Za-z_][A-Za-z0-9_]*)", text)
                          if name not in KNOWN_VARIABLES and name not in declared})
        if missing:
            names = ", ".join(f"%{name}" for name in missing)
            notes.append(LoadNote(link_id, f"{kind} uses {names}, which the kiosk does not "
                                  "have", _MISSING[kind]))
        lacking = sorted({element for element in
                          re.findall(r"%patient\s*\.\s*([A-Za-z]+)", text)}
                         - PATIENT_ELEMENTS)
        if lacking:
            notes.append(LoadNote(link_id, f"{kind} reads %patient."
                                  f"{', %patient.'.join(lacking)}, which check-in does not ask",
                                  f"{_MISSING[kind]} (check-in gives name and birth date)"))
        try:
            parse_expression(text)
        except BaseException as exc:  # noqa: BLE001 - reported, never raised
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            shown = text if len(text) <= 60 else text[:57] + "..."
            notes.append(LoadNote(link_id, f"{kind} {shown!r} ({type(exc).__name__})",
                                  _LOSS[kind]))

    def variables(raw: dict[str, Any], link_id: str) -> None:
        extensions = raw.get("extension", []) if isinstance(raw, dict) else []
        for extension in extensions if isinstance(extensions, list) else []:
            url = extension.get("url", "") if isinstance(extension, dict) else ""
            expression = extension.get("valueExpression") if url else None
            if str(url).endswith("/variable") and isinstance(expression, dict):
                language = expression.get("language", "text/fhirpath")
                if language == "text/fhirpath":
                    text = expression.get("expression")
                    check(text if isinstance(text, str) else None, link_id, "variable")
                else:
                    notes.append(LoadNote(link_id, f"variable {expression.get('name')} in "
                                          f"{language}", "not evaluated: only FHIRPath is "
                                          "supported, so expressions that use it give no value"))

    variables(questionnaire.raw, "")
    for item in questionnaire.walk():
        variables(item.raw, item.link_id)
        check(item.calculated_expression, item.link_id, "calculatedExpression")
        check(item.enable_when_expression, item.link_id, "enableWhenExpression")
        check(item.initial_expression, item.link_id, "initialExpression")
        check(item.answer_expression, item.link_id, "answerExpression")
        check(item.text_expression, item.link_id, "text expression")
        for toggle in item.option_toggles:
            check(toggle.expression, item.link_id, "answerOptionsToggleExpression")
        for constraint in item.constraints:
            check(constraint.expression, item.link_id, "constraint")
    parse_cache().save_soon()
    return notes


def _queried_names(questionnaire: Questionnaire) -> set[str]:
    """Variables the kiosk cannot give a value: FHIR queries (x-fhir-query, CQL), and
    FHIRPath variables computed from them."""
    definitions: dict[str, list[tuple[str, str]]] = {}
    for url, expression in named_expressions(questionnaire):
        if acts_as_variable(url):
            definitions.setdefault(expression["name"], []).append(
                (str(expression.get("language", "text/fhirpath")),
                 str(expression.get("expression") or "")))
    queried = {name for name, found in definitions.items()
               if all(language != "text/fhirpath" for language, _ in found)}
    for _ in range(10):  # variables of variables, a few levels deep
        more = {name for name, found in definitions.items() if name not in queried
                and all(set(_VARIABLE_USE.findall(text)) & queried for _, text in found)}
        if not more:
            break
        queried |= more
    return queried


def _declared_names(questionnaire: Questionnaire) -> set[str]:
    """Every variable name the form declares (at any level)."""
    return {expression["name"] for _, expression in named_expressions(questionnaire)}


class CompiledTables:
    """What the engine needs of one questionnaire, compiled once (:func:`compiled_tables`):
    every expression parsed and made a function, with what it reads. Shared, read-only, by
    every answer sheet of that questionnaire: the next patient's form does not compile
    again."""

    def __init__(self, questionnaire: Questionnaire, fast_paths: bool) -> None:
        fhirpathpy_engine()
        from fhirpathpy import apply_parsed_path
        from fhirpathpy.engine.util import set_paths

        self.ordinals: dict[tuple[str, str], float] = {}
        for item in questionnaire.walk():
            for option in item.options:
                if option.ordinal is not None and isinstance(option.value, Coding):
                    self.ordinals[(option.value.system, option.value.code)] = option.ordinal
                    self.ordinals.setdefault(("", option.value.code), option.ordinal)
        options = {"userInvocationTable": {
            "ordinal": {"fn": self._ordinal, "arity": {0: []}},
            "weight": {"fn": self._ordinal, "arity": {0: []}},
            "power": {"fn": _power, "arity": {1: ["Number"]}},
        }}
        model = r4_model()

        texts: list[str] = []
        self.compiled: list[tuple[str, Callable]] = []

        def compiled(expression: str, where: str) -> Callable | None:
            texts.append(expression)
            try:
                parsed = parse_expression(expression)
            except NotParsedHere:
                raise  # the tables are made later, where parsing is done
            except (Exception, RecursionError):  # noqa: BLE001 - named by expression_notes
                return None
            slow = set_paths(apply_parsed_path, parsedPath=parsed, model=model, options=options)
            fast = compile_fast(expression) if fast_paths else None
            function = slow if fast is None else _either(fast, slow)
            self.compiled.append((expression, function))
            return function

        self.dependencies = ExpressionDependencies(questionnaire)
        self.variables: list[tuple[str, Callable, Deps]] = _variables_of(
            questionnaire.raw, None, compiled, self.dependencies)
        self.item_variables: dict[str, list[tuple[str, Callable, Deps]]] = {}
        for item in questionnaire.walk():
            found = _variables_of(item.raw, item, compiled, self.dependencies)
            if found:
                self.item_variables[item.link_id] = found

        def per_item(expression_of: Callable[[Item], str | None]
                     ) -> list[tuple[Item, Callable, Deps]]:
            found = []
            for item in questionnaire.walk():
                text = expression_of(item)
                function = compiled(text, item.link_id) if text else None
                if function is not None and text:
                    found.append((item, function, self.dependencies.of(text)))
            return found

        # a calculated value is also computed again when its own answer was changed
        self.calculated = [(item, function, None if deps is None else deps | {item.link_id})
                           for item, function, deps in per_item(
                               lambda item: item.calculated_expression)]
        self.enable_expressions = per_item(lambda item: item.enable_when_expression)
        self.enable_paths = [tuple(0 for _ in _repeating_ancestors(item))
                             for item, _function, _deps in self.enable_expressions]
        self.initial = per_item(lambda item: item.initial_expression)
        self.answer_expressions = per_item(lambda item: item.answer_expression)
        self.texts = per_item(lambda item: item.text_expression)
        self.toggles: list[tuple[Item, tuple[AnswerValue, ...], Callable]] = []
        for item in questionnaire.walk():
            for toggle in item.option_toggles:
                function = compiled(toggle.expression, item.link_id)
                if function is not None:
                    self.toggles.append((item, toggle.options, function))
        self.constraints: list[tuple[Item, str, Callable]] = []
        for item in questionnaire.walk():
            for constraint in item.constraints:
                function = compiled(constraint.expression, item.link_id)
                if function is not None:
                    self.constraints.append((item, constraint.human, function))
        self.watched = _mentioned_link_ids(texts, questionnaire, self.dependencies)
        parse_cache().save_soon()

    def _ordinal(self, inputs: list[Any]) -> list[float]:
        values = []
        for data in inputs:
            if isinstance(data, dict) and "code" in data:
                key = (str(data.get("system", "")), str(data["code"]))
                found = self.ordinals.get(key, self.ordinals.get(("", key[1])))
                if found is not None:
                    values.append(found)
        return values


def uses_expressions(questionnaire: Questionnaire) -> bool:
    """Whether the form has FHIRPath expressions for the engine (an answer sheet makes one)."""
    return any(i.calculated_expression or i.enable_when_expression or i.constraints
               or i.initial_expression or i.answer_expression or i.option_toggles
               or i.text_expression
               for i in questionnaire.walk())


def compiled_tables(questionnaire: Questionnaire, fast_paths: bool = True) -> CompiledTables:
    """The questionnaire's compiled expressions, made at the first call for it and kept
    with it (a form is not changed once parsed: the kiosk's content and the form runner
    only read it)."""
    key = f"expression tables, fast paths {'on' if fast_paths else 'off'}"
    found = questionnaire.derived.get(key)
    if not isinstance(found, CompiledTables):
        found = CompiledTables(questionnaire, fast_paths)
        questionnaire.derived[key] = found
    return found


def _variables_of(raw: dict[str, Any], owner: Item | None,
                  compiled: Callable[[str, str], Callable | None],
                  dependencies: ExpressionDependencies) -> list[tuple[str, Callable, Deps]]:
    """The FHIRPath ``variable`` extensions of one element, in the order written, with
    what each reads."""
    link_id = owner.link_id if owner is not None else ""
    found: list[tuple[str, Callable, Deps]] = []
    extensions = raw.get("extension", []) if isinstance(raw, dict) else []
    for extension in extensions if isinstance(extensions, list) else []:
        url = extension.get("url", "") if isinstance(extension, dict) else ""
        if not acts_as_variable(str(url)):
            continue
        expression = extension.get("valueExpression")
        expression = expression if isinstance(expression, dict) else {}
        name, text = expression.get("name"), expression.get("expression")
        language = expression.get("language", "text/fhirpath")
        if language != "text/fhirpath":
            continue  # named by expression_notes
        if isinstance(name, str) and isinstance(text, str):
            function = compiled(text, link_id)
            if function is not None:
                found.append((name, function, dependencies.of(
                    text, (owner,) if owner is not None else ())))
    return found


class ExpressionEngine:
    """The form's FHIRPath expressions, evaluated incrementally.

    Every result (variable, calculated value, enableWhenExpression verdict) is kept with
    the moment it was computed; the answer sheet tells the engine what the answers and
    enabled states are before each evaluation (:meth:`observe`), and a result is computed
    again only when an item it depends on (:mod:`kiosk.questionnaire.expression_deps`)
    changed since. An expression that cannot be analysed is evaluated every time.
    ``incremental = False`` evaluates everything every time (what the tests compare with).
    """

    incremental = True
    #: the common shapes read straight from the response (kiosk.questionnaire.fast_paths);
    #: False evaluates every expression with fhirpathpy (what the tests compare with)
    fast_paths = True

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        tables = compiled_tables(questionnaire, self.fast_paths)
        self._ordinals = tables.ordinals
        #: every expression read, with the function that evaluates it (for the tests)
        self.compiled = tables.compiled
        self.dependencies = tables.dependencies
        self.variables = tables.variables
        #: item-level variables (SDC: visible to the item and its descendants), by linkId
        self.item_variables = tables.item_variables
        self.calculated = tables.calculated
        self.enable_expressions = tables.enable_expressions
        self._enable_paths = tables.enable_paths
        self.initial = tables.initial
        self.answer_expressions = tables.answer_expressions
        self.texts = tables.texts
        self.toggles = tables.toggles
        self.constraints = tables.constraints
        self.watched = tables.watched
        self._launch: dict[str, Any] = {}
        self._failed: set[str] = set()
        # -- what was computed when (see observe) --------------------------------------
        self._now = 0  # advanced by every observe
        self._epoch = 1  # results computed before it are stale (the launch context changed)
        # linkId -> the results that read it; results a change made out of date
        self._readers: dict[str, set[tuple[Any, ...]]] = {}
        self._registered: set[tuple[Any, ...]] = set()
        self._stale: set[tuple[Any, ...]] = set()
        self._seen: tuple[dict, dict, Any] | None = None
        self._cache: dict[tuple[Any, ...], tuple[int, Any]] = {}

    @property
    def launch(self) -> dict[str, Any]:
        """Launch context variables (%patient), see kiosk.questionnaire.launch."""
        return self._launch

    @launch.setter
    def launch(self, variables: dict[str, Any]) -> None:
        self._launch = variables
        self._epoch = getattr(self, "_now", 0) + 1  # every result is computed again

    def observe(self, answers: dict[Any, list[Any]], enabled: dict[Any, bool],
                shape: Any) -> None:
        """The answers and enabled states the next response is built from (``shape``:
        anything that changes when repeating groups gain or lose an instance)."""
        self._now += 1
        if self._seen is None or self._seen[2] != shape:
            self._epoch = self._now
        else:
            before, was_enabled, _shape = self._seen
            moved: set[str] = set()
            if before != answers:
                moved = {key[0] for key in before.keys() | answers.keys()
                         if before.get(key) != answers.get(key)}
            if was_enabled != enabled:
                moved |= {key[0] for key in was_enabled.keys() | enabled.keys()
                          if was_enabled.get(key) != enabled.get(key)}
            readers = self._readers
            for link_id in self.dependencies.touched(moved):
                self._stale |= readers.get(link_id, set())
        self._seen = ({key: list(values) for key, values in answers.items()},
                      dict(enabled), shape)

    def _fresh(self, key: tuple[Any, ...], deps: Deps) -> tuple[bool, Any]:
        """(True, result) when the result kept under ``key`` is still what evaluating it
        would give: computed after the last change of everything it reads."""
        if deps is not None and key not in self._registered:
            self._registered.add(key)  # from now on a change of what it reads marks it
            for link_id in deps:
                self._readers.setdefault(link_id, set()).add(key)
        kept = self._cache.get(key)
        if kept is None or deps is None or not self.incremental or kept[0] < self._epoch \
                or key in self._stale:
            return False, None
        return True, kept[1]

    def _keep(self, key: tuple[Any, ...], result: Any) -> Any:
        self._cache[key] = (self._now, result)
        self._stale.discard(key)
        return result

    def _scopes(self, response: dict[str, Any]) -> Callable[[Item], dict[str, Any]]:
        """The variables an item's expressions see: the questionnaire's, then each ancestor's
        and the item's own, each evaluated in order with the ones before it in scope (SDC)."""
        return self._keyed_scopes(response)[0]

    def _keyed_scopes(self, response: dict[str, Any]
                      ) -> tuple[Callable[[Item], dict[str, Any]], Callable[[Item], int]]:
        """:meth:`_scopes`, and a key that is equal for items that see the same variables."""
        env: dict[str, Any] = {**self.launch, "resource": response,
                               "questionnaire": self.questionnaire.raw, "context": response}
        for index, (name, function, deps) in enumerate(self.variables):
            fresh, value = self._fresh(("variable", index), deps)
            env[name] = value if fresh else self._keep(
                ("variable", index), self._run(function, response, env, f"%{name}"))
        if not self.item_variables:
            return (lambda item: {**env, "qitem": item.raw}), (lambda item: 0)
        nodes = _response_items(response)
        memo: dict[str, dict[str, Any]] = {}

        def scope(item: Item | None) -> dict[str, Any]:
            if item is None:
                return env
            if item.link_id in memo:
                return memo[item.link_id]
            outer = scope(item.parent)
            own = self.item_variables.get(item.link_id)
            if own:
                inner = {**outer, "context": _context(nodes, item, response),
                         "qitem": item.raw}
                # SDC: an item's variables are evaluated on that item of the response
                # (``item.where(linkId=...)`` reads its children), not on the response.
                node = nodes.get(item.fhir_link_id) or {"linkId": item.fhir_link_id}
                focus = _typed_item(node)
                for index, (name, function, deps) in enumerate(own):
                    key = ("item variable", item.link_id, index)
                    fresh, value = self._fresh(key, deps)
                    inner[name] = value if fresh else self._keep(key, self._run(
                        function, focus, inner, f"{item.link_id} %{name}"))
                outer = inner
            memo[item.link_id] = outer
            return outer

        def for_item(item: Item) -> dict[str, Any]:
            return {**scope(item), "qitem": item.raw,
                    "context": _context(nodes, item, response)}

        return for_item, (lambda item: id(scope(item)))

    def depends_on(self, link_ids: Iterable[str]) -> bool:
        """Whether an answer to (or a change of enabled state of) ``link_ids`` can change
        what an expression gives. Expressions name the items they read by linkId
        (``item.where(linkId='peg-average')``); one that names none may read anything."""
        if self.watched is None:
            return True
        for link_id in link_ids:
            node: Item | None = self.questionnaire.item(link_id)
            while node is not None:
                if node.link_id in self.watched:
                    return True
                node = node.parent
        return False

    def enable_when(self, response: dict[str, Any]) -> dict[tuple[str, tuple[int, ...]], bool]:
        """enableWhenExpression results (first instance), keyed like the answer sheet."""
        scope, key = self._keyed_scopes(response)
        results = {}
        # Published forms repeat the same condition on many items ('%age <= 12' on 27 of
        # the health check's): one evaluation per text and scope, unless it reads the item.
        seen: dict[tuple[str, int], list[Any]] = {}
        paths = self._enable_paths
        for index, (item, function, deps) in enumerate(self.enable_expressions):
            path = paths[index]
            fresh, verdict = self._fresh(("enable", index), deps)
            if not fresh:
                text = item.enable_when_expression or ""
                shared = not _ITEM_RELATIVE.search(text)
                memo_key = (text, key(item))
                if shared and memo_key in seen:
                    value = seen[memo_key]
                else:
                    value = self._run(function, response, scope(item), item.link_id)
                    if shared:
                        seen[memo_key] = value
                verdict = self._keep(("enable", index), bool(value) and value[0] is True)
            results[(item.link_id, path)] = verdict
        return results

    def warm_up(self, response: dict[str, Any],
                stored: Callable[[str], list[AnswerValue]]) -> None:
        """Evaluate now, and keep, the variables and enableWhenExpression verdicts whose
        kept result is out of date (what the start's verdicts changed), so that the next
        answer evaluates only what it changes. Nothing is stored in the answers: the next
        evaluation gives exactly what it would have given without this. A calculated value
        is kept only when it is the one ``stored`` (else the next answer stores it)."""
        scope, key = self._keyed_scopes(response)
        seen: dict[tuple[str, int], bool] = {}
        for index, (item, function, deps) in enumerate(self.calculated):
            if deps is None or self._fresh(("calculated", index), deps)[0]:
                continue
            values = _to_answers(item, self._run(function, response, scope(item),
                                                 item.link_id))
            if values == stored(item.link_id):
                self._keep(("calculated", index), values)
        for index, (item, function, deps) in enumerate(self.enable_expressions):
            if deps is None or self._fresh(("enable", index), deps)[0]:
                continue  # evaluated at every answer anyway, or up to date
            text = item.enable_when_expression or ""
            memo_key = (text, key(item))
            if _ITEM_RELATIVE.search(text) or memo_key not in seen:
                value = self._run(function, response, scope(item), item.link_id)
                seen[memo_key] = bool(value) and value[0] is True
            self._keep(("enable", index), seen[memo_key])

    def broken_constraints(self, response: dict[str, Any],
                           link_ids: set[str]) -> dict[str, str]:
        """linkId -> the human message of the first targetConstraint of that item (of those
        in ``link_ids``) that is false, evaluated on the item's first instance as context."""
        if not self.constraints:
            return {}
        scope = self._scopes(response)
        nodes = _response_items(response)
        broken: dict[str, str] = {}
        for item, human, function in self.constraints:
            if item.link_id not in link_ids or item.link_id in broken:
                continue
            context = _typed_item(nodes.get(item.fhir_link_id, {"linkId": item.fhir_link_id}))
            try:
                value = list(function(context, {**scope(item), "context": context}))
            except Exception:  # noqa: BLE001 - a broken check is not the patient's problem
                self._run(function, context, scope(item), f"{item.link_id} constraint")
                continue
            if value and value[0] is False:
                broken[item.link_id] = human
        return broken

    def initial_values(self, response: dict[str, Any]) -> dict[str, list[AnswerValue]]:
        """initialExpression results (SDC: evaluated once, when the form starts), by linkId."""
        scope = self._scopes(response)
        found: dict[str, list[AnswerValue]] = {}
        for item, function, _deps in self.initial:
            values = _to_answers(item, self._run(function, response, scope(item),
                                                 f"{item.link_id} initialExpression"))
            if values:
                found[item.link_id] = values
        return found

    @property
    def has_options(self) -> bool:
        return bool(self.answer_expressions or self.toggles)

    def options(self, response: dict[str, Any]) -> dict[str, list[AnswerOption]]:
        """The options of items whose list is computed (answerExpression) or toggled
        (answerOptionsToggleExpression), by linkId."""
        scope = self._scopes(response)
        found: dict[str, list[AnswerOption]] = {}
        for item, function, _deps in self.answer_expressions:
            result = self._run(function, response, scope(item), f"{item.link_id} answerExpression")
            found[item.link_id] = [AnswerOption(v) for v in _to_answers(item, result, every=True)]
        hidden: dict[str, list[AnswerValue]] = {}
        for item, values, function in self.toggles:
            result = self._run(function, response, scope(item), f"{item.link_id} toggle")
            if not (result and result[0] is True):
                hidden.setdefault(item.link_id, []).extend(values)
        for link_id, off in hidden.items():
            offered = found.get(link_id, self.questionnaire.item(link_id).options)
            found[link_id] = [o for o in offered
                              if not any(_same_value(o.value, v) for v in off)]
        for item, _values, _function in self.toggles:
            found.setdefault(item.link_id, list(item.options))
        return found

    def calculate(self, build: Callable[[], dict[str, Any]],
                  store: Callable[[str, list[AnswerValue]], bool]) -> set[str]:
        """Evaluate every calculated item; ``build`` makes the current response and ``store``
        records a value. Returns linkIds whose value changed."""
        changed: set[str] = set()
        for _ in range(MAX_PASSES):
            response = build()
            scope = self._scopes(response)
            moved = False
            for index, (item, function, deps) in enumerate(self.calculated):
                if self._fresh(("calculated", index), deps)[0]:
                    continue  # what it reads is unchanged: its value is the one stored
                result = self._run(function, response, scope(item), item.link_id)
                values = self._keep(("calculated", index), _to_answers(item, result))
                if store(item.link_id, values):
                    changed.add(item.link_id)
                    moved = True
            if not moved:
                break
        return changed

    def computed_texts(self, response: dict[str, Any]) -> dict[str, str]:
        """Item texts computed by cqf-expression, by linkId: the results as words (several
        joined by commas); an item whose expression gives nothing is left out (its fixed
        text is shown)."""
        scope = self._scopes(response)
        found: dict[str, str] = {}
        for index, (item, function, deps) in enumerate(self.texts):
            fresh, words = self._fresh(("text", index), deps)
            if not fresh:
                result = self._run(function, response, scope(item),
                                   f"{item.link_id} text expression")
                words = self._keep(("text", index), _words(result))
            if words:
                found[item.link_id] = words
        return found

    def _run(self, function: Callable, response: dict[str, Any], env: dict[str, Any],
             where: str) -> list[Any]:
        try:
            return list(function(response, env))
        except Exception as exc:  # noqa: BLE001 - a failing expression must not stop a patient
            if where not in self._failed:
                self._failed.add(where)
                log.warning("FHIRPath expression for %s failed: %s", where, type(exc).__name__)
            return []


_ITEM_RELATIVE = re.compile(r"%context|%qitem")  # results may differ item by item
_VARIABLE_USE = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)")


def _mentioned_link_ids(texts: Iterable[str], questionnaire: Questionnaire,
                        dependencies: ExpressionDependencies) -> frozenset[str] | None:
    """The linkIds whose answers the expressions can read, or None for "any answer"
    (see :mod:`kiosk.questionnaire.expression_deps`); an answer inside one of these items
    counts as well."""
    watched: set[str] = set()
    for text in texts:
        found = dependencies.of(text)
        if found is None:
            return None
        watched |= found
    for item in questionnaire.walk():  # item-level variables may read their own item
        for name in names_defined(item.raw):
            found = dependencies.of_variable(name)
            if found is None:
                return None
            watched |= found
    return frozenset(watched)


def _words(result: list[Any]) -> str:
    """A text expression's result as the patient reads it."""
    shown = []
    for value in result:
        value = getattr(value, "data", value)  # fhirpathpy's typed nodes
        if isinstance(value, bool):
            shown.append("true" if value else "false")  # FHIRPath's toString()
        elif isinstance(value, float) and value.is_integer():
            shown.append(str(int(value)))
        elif isinstance(value, dict):  # a Coding or a Quantity
            words = value.get("display") or value.get("code")
            if "value" in value:
                words = f"{value['value']} {value.get('unit') or value.get('code') or ''}"
            if words:
                shown.append(str(words).strip())
        elif value is not None and str(value).strip():
            shown.append(str(value))
    return ", ".join(shown)


def _either(fast: FastPath, slow: Callable) -> Callable:
    """``fast``'s result, or fhirpathpy's where ``fast`` is unsure."""
    def evaluate(resource: Any, env: dict[str, Any]) -> Any:
        found = fast(resource, env)
        return slow(resource, env) if found is UNSURE else found
    return evaluate


def _typed_item(node: dict[str, Any]) -> Any:
    """A response item as fhirpathpy needs it to read ``answer.value`` (a choice type)."""
    return resource_node_class().create_node(node, "QuestionnaireResponse.item")


def _context(nodes: dict[str, dict[str, Any]], item: Item, response: dict[str, Any]) -> Any:
    node = nodes.get(item.fhir_link_id)
    return response if node is None else _typed_item(node)


def _response_items(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each linkId's first item in the response (``%context`` of an item's expressions)."""
    found: dict[str, dict[str, Any]] = {}
    pending = list(reversed(response.get("item", []) or []))
    while pending:
        node = pending.pop()
        found.setdefault(str(node.get("linkId")), node)
        children = list(node.get("item", []) or [])
        for answer in node.get("answer", []) or []:
            children.extend(answer.get("item", []) or [])
        pending.extend(reversed(children))
    return found


def _repeating_ancestors(item: Item) -> list[Item]:
    found: list[Item] = []
    node: Item | None = item
    while node is not None:
        if node.type == "group" and node.repeats:
            found.append(node)
        node = node.parent
    return found


def _same_value(a: AnswerValue, b: AnswerValue) -> bool:
    if isinstance(a, Coding) and isinstance(b, Coding):
        return a.code == b.code and (not a.system or not b.system or a.system == b.system)
    return a == b


#: R4's dateTime and time formats (a calculation may copy any text into such an item)
_FHIR_DATETIME = re.compile(
    r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9]"
    r":([0-5][0-9]|60)(\.[0-9]+)?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?")
_PARTIAL_DATE = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2]))?")
_FHIR_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?")


def _to_answers(item: Item, result: list[Any], every: bool = False) -> list[AnswerValue]:
    values: list[AnswerValue] = []
    for raw in result[: None if item.repeats or every else 1]:
        value = getattr(raw, "data", raw)
        if type(value).__name__.startswith("FP_"):  # fhirpathpy's date, time, quantity
            # first: their == answers any string, "" included. A year or a month is kept
            # as written: fhirpathpy's str() of @2010-04 gives "2010-04-04T00:00:00"
            text = getattr(value, "asStr", None)
            value = text if isinstance(text, str) and _PARTIAL_DATE.fullmatch(text) \
                else str(value)
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):
            continue  # a blank string is no FHIR string (toChars() of "a b" gives one)
        if isinstance(value, Decimal):
            value = float(value)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if item.type == "integer" and number:
            values.append(int(round(value)))
        elif item.type == "decimal" and number:
            values.append(float(value))
        elif item.type == "boolean" and isinstance(value, bool):
            values.append(value)
        elif item.type == "quantity" and isinstance(value, int | float):
            unit = item.units[0] if item.units else Coding("", "")
            values.append(Quantity(float(value), unit.display or unit.code, unit.system, unit.code))
        elif isinstance(value, dict) and "code" in value:
            values.append(Coding(str(value.get("system", "")), str(value.get("code", "")),
                                 str(value.get("display", ""))))
        elif item.type == "date" and isinstance(value, str):
            if _PARTIAL_DATE.fullmatch(value):
                values.append(value)  # a FHIR date of a year or a month ("2010", "2010-04")
                continue
            try:
                values.append(dt.date.fromisoformat(value[:10]))
            except ValueError:
                continue
        elif item.type == "dateTime" and isinstance(value, str):
            if _FHIR_DATETIME.fullmatch(value):  # text that is no dateTime gives none
                values.append(DateTime(value))
        elif item.type == "time" and isinstance(value, str):
            if _FHIR_TIME.fullmatch(value):
                values.append(Time(value))
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            values.append(str(value) if item.type in ("string", "text") else value)
    return values
