"""The incremental engine (each expression evaluated again only when what it reads changed,
the common shapes read straight from the response) gives what evaluating every expression
with fhirpathpy after every answer gives: the same enabled items,
the same calculated values, the same answers, after random answer sequences on every
published form and on the 808-item health check."""

from __future__ import annotations

import datetime as dt
import logging
import random
from pathlib import Path

import pytest

from kiosk.questionnaire import AnswerSheet, load_questionnaire
from kiosk.questionnaire.launch import LaunchContext, patient_resource
from kiosk.questionnaire.model import Questionnaire
from tests.conftest import SHARED_QUESTIONNAIRES

LARGE_FORM = Path(__file__).resolve().parents[2] / "benchmarks" / "forms" / (
    "Questionnaire-AboriginalTorresStraitIslanderHealthCheckAssembled-0.4.0.json")
PUBLISHED = sorted(p.name for p in SHARED_QUESTIONNAIRES.glob("*.json")) \
    if SHARED_QUESTIONNAIRES.exists() else []


def _launch() -> LaunchContext:
    return LaunchContext(patient_resource("Ana", "Ruiz", dt.date(1986, 3, 1)))


def _twins(form: Questionnaire, warm: bool) -> tuple[AnswerSheet, AnswerSheet]:
    fast = AnswerSheet(form, launch=_launch())
    if warm:
        fast.warm_up()  # as the form runner does while the first page is read
    from kiosk.questionnaire.expressions import ExpressionEngine

    ExpressionEngine.fast_paths = False  # the twin evaluates everything with fhirpathpy
    try:
        full = AnswerSheet(form, launch=_launch())
    finally:
        ExpressionEngine.fast_paths = True
    if full._expressions is not None:
        full._expressions.incremental = False
        full.refresh()
    return fast, full


def _answer_for(item, rng: random.Random) -> list:
    if rng.random() < 0.1:
        return []  # taken back
    if item.options:
        return [rng.choice(item.options).value]
    if item.type == "integer":
        return [rng.randint(0, 90)]
    if item.type == "decimal":
        return [round(rng.uniform(1, 200), 1)]
    if item.type == "boolean":
        return [rng.random() < 0.5]
    if item.type in ("string", "text"):
        return [rng.choice(["Complete", "In progress", "x"])]
    if item.type == "date":
        return [dt.date(rng.randint(1940, 2020), rng.randint(1, 12), 1)]
    return []


def _state(sheet: AnswerSheet) -> tuple:
    enabled = {item.link_id: sheet.is_enabled(item.link_id)
               for item in sheet.questionnaire.walk()}
    options = {item.link_id: sheet.options(item.link_id) for item in sheet.questionnaire.walk()
               if item.answer_expression or item.option_toggles}
    texts = {item.link_id: sheet.text_of(item) for item in sheet.questionnaire.walk()
             if item.text_expression}
    return sheet.effective(), sheet.raw_answers(), enabled, options, texts


def _play(form: Questionnaire, seed: int, count: int, watched_first: bool = False) -> int:
    """Random answers to both twins; returns how many were compared."""
    fast, full = _twins(form, warm=seed % 2 == 1)
    assert _state(fast) == _state(full)
    rng = random.Random(seed)
    questions = [i for i in form.walk() if i.is_question and not i.read_only
                 and not i.calculated_expression]
    engine = fast._expressions
    if watched_first and engine is not None and engine.watched is not None:
        read = [i for i in questions if engine.depends_on([i.link_id])]
        questions = read * 3 + questions  # mostly answers that expressions read
    compared = 0
    for _ in range(count):
        item = rng.choice(questions)
        values = _answer_for(item, rng)
        if not values and not fast.get(item.link_id):
            continue
        changed_fast = fast.set(item.link_id, values)
        changed_full = full.set(item.link_id, values)
        assert changed_fast == changed_full, item.link_id
        assert fast.recalculated == full.recalculated, item.link_id
        assert _state(fast) == _state(full), item.link_id
        compared += 1
    # a Next: the constraints of every page agree as well
    assert fast.problems(form.items) == full.problems(form.items)
    return compared


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_forms_give_the_same_results_incrementally(name):
    logging.disable(logging.WARNING)  # some forms' expressions fail by design
    try:
        form = load_questionnaire(SHARED_QUESTIONNAIRES / name)
        for seed in range(4):
            _play(form, seed, 40, watched_first=True)
    finally:
        logging.disable(logging.NOTSET)


def test_the_808_item_health_check_gives_the_same_results_incrementally():
    logging.disable(logging.WARNING)  # its FHIR-query variables fail by design here
    try:
        form = load_questionnaire(LARGE_FORM)
        assert _play(form, 11, 30, watched_first=True) > 20
        assert _play(form, 12, 30, watched_first=True) > 20
    finally:
        logging.disable(logging.NOTSET)


def test_an_answer_evaluates_only_the_expressions_that_read_it():
    """The health check's %age feeds 150 enableWhenExpressions: an answer elsewhere
    evaluates none of them; the age evaluates them again (and the form changes)."""
    logging.disable(logging.WARNING)
    try:
        form = load_questionnaire(LARGE_FORM)
        sheet = AnswerSheet(form, launch=_launch())
        engine = sheet._expressions
        runs: list[str] = []
        original = engine._run
        engine._run = lambda function, focus, env, where: runs.append(where) or original(
            function, focus, env, where)
        age = next(i for i in form.walk() if i.fhir_link_id
                   == "e2a16e4d-2765-4b61-b286-82cfc6356b30")
        mark = next(i for i in form.walk() if i.fhir_link_id == "MarkComplete-7")
        # what the start changed (the verdicts hide and show items the variables read)
        # is caught up with while the first page is read
        sheet.warm_up()
        assert len(runs) > 20
        runs.clear()
        sheet.set(mark.link_id, [mark.options[0].value] if mark.options else ["Complete"])
        assert 0 < len(runs) < 10
        assert "%age" not in runs
        runs.clear()
        before = {i.link_id: sheet.is_enabled(i.link_id) for i in form.walk()}
        sheet.set(age.link_id, [8])
        assert "fd5af92e-c248-497a-8007-ee0952ccd4d9 %age" in runs
        assert len(runs) > 20
        after = {i.link_id: sheet.is_enabled(i.link_id) for i in form.walk()}
        assert before != after  # a child's items appear, an adult's go
    finally:
        logging.disable(logging.NOTSET)
