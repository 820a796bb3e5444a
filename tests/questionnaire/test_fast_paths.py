"""The fast paths (kiosk.questionnaire.fast_paths) give exactly what fhirpathpy gives: every
expression of every published form and of the 808-item health check, on random answers
(repeating groups with equal copies included), on the response and on each item as focus,
with the variables the engine gives that item."""

from __future__ import annotations

import datetime as dt
import logging
import random
from pathlib import Path
from typing import Any

import pytest

from kiosk.questionnaire import AnswerSheet, load_questionnaire
from kiosk.questionnaire.expressions import ExpressionEngine, _response_items, _typed_item
from kiosk.questionnaire.fast_paths import UNSURE, compile_fast
from kiosk.questionnaire.instances import is_repeating_group
from kiosk.questionnaire.launch import LaunchContext, patient_resource
from kiosk.questionnaire.model import Questionnaire
from kiosk.questionnaire.response import build_response
from tests.conftest import SHARED_QUESTIONNAIRES
from tests.questionnaire.test_incremental_expressions import LARGE_FORM, _answer_for

PUBLISHED = sorted(SHARED_QUESTIONNAIRES.glob("*.json")) if SHARED_QUESTIONNAIRES.exists() \
    else []
CORPUS = [*PUBLISHED, LARGE_FORM]


def _slow_sheet(form: Questionnaire, monkeypatch: pytest.MonkeyPatch) -> AnswerSheet:
    with monkeypatch.context() as patch:
        patch.setattr(ExpressionEngine, "fast_paths", False)
        return AnswerSheet(form, launch=LaunchContext(
            patient_resource("Ana", "Ruiz", dt.date(1986, 3, 1))))


def _randomise(sheet: AnswerSheet, rng: random.Random) -> None:
    form = sheet.questionnaire
    for group in form.walk():
        if is_repeating_group(group) and rng.random() < 0.5 and not sheet.layout.chain[
                group.link_id]:
            sheet.add_instance(group.link_id)
    for item in form.walk():
        if not item.is_question or rng.random() < 0.3:
            continue
        values = _answer_for(item, rng)
        paths = list(sheet.layout.paths(item))
        same = rng.random() < 0.5  # equal copies in repeating groups: fhirpathpy's set
        for path in paths:
            sheet.set_quietly(item.link_id, values if same else _answer_for(item, rng), path)
    sheet.refresh()


def _slow(function: Any, focus: Any, env: dict[str, Any]) -> list[Any]:
    try:
        return list(function(focus, env))
    except Exception:  # noqa: BLE001 - the engine's _run gives [] for a failure
        return []


def _compare(form: Questionnaire, seed: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(evaluations compared, of which the fast path answered)."""
    sheet = _slow_sheet(form, monkeypatch)
    engine = sheet._expressions
    if engine is None:
        return 0, 0
    _randomise(sheet, random.Random(seed))
    response = build_response(sheet, dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                              status="in-progress")
    scope = engine._scopes(response)
    nodes = _response_items(response)
    items = [i for i in form.walk()]
    rng = random.Random(seed)
    compared = answered = 0
    for text, slow in engine.compiled:
        fast = compile_fast(text)
        if fast is None:
            continue
        for item in rng.sample(items, min(3, len(items))):
            env = scope(item)
            node = nodes.get(item.fhir_link_id)
            focuses = [response] + ([_typed_item(node)] if node is not None else [])
            for focus in focuses:
                got = fast(focus, env)
                compared += 1
                if got is UNSURE:
                    continue
                answered += 1
                assert got == _slow(slow, focus, env), (form.url, text, item.link_id)
    return compared, answered


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_expression_of_the_corpus_gives_what_fhirpathpy_gives(path: Path, monkeypatch):
    logging.disable(logging.WARNING)  # some forms' expressions fail by design
    try:
        form = load_questionnaire(path)
        for seed in range(3 if path != LARGE_FORM else 2):
            _compare(form, seed, monkeypatch)
    finally:
        logging.disable(logging.NOTSET)


def test_the_health_check_is_mostly_answered_by_the_fast_paths(monkeypatch):
    """What the speed of the large form rests on: the fast paths are not unsure of most of
    its expressions (an answer they cannot read would send them all to fhirpathpy)."""
    logging.disable(logging.WARNING)
    try:
        compared, answered = _compare(load_questionnaire(LARGE_FORM), 5, monkeypatch)
    finally:
        logging.disable(logging.NOTSET)
    assert compared > 500
    assert answered > compared * 0.6


RESPONSE = {"resourceType": "QuestionnaireResponse", "item": [
    {"linkId": "g", "item": [{"linkId": "a", "answer": [{"valueString": "x"}]}]},
    {"linkId": "g", "item": [{"linkId": "a", "answer": [{"valueString": "x"}]}]},
    {"linkId": "n", "answer": [{"valueInteger": 3}, {"valueInteger": 4}]},
    {"linkId": "c", "answer": [{"valueCoding": {"system": "s", "code": "y"}}]},
    {"linkId": "d", "answer": [{"valueDate": "2020-01-01"}]},
]}


@pytest.mark.parametrize(("text", "expected"), [
    # equal sibling groups are both found, their equal children once (fhirpathpy's set)
    ("%resource.repeat(item).where(linkId='g').count()", None),
    ("%resource.repeat(item).where(linkId='a').answer.value", ["x"]),
    ("item.where(linkId='g').item.where(linkId='a').answer.value", ["x", "x"]),
    ("%resource.repeat(item).where(linkId='a').answer.value = 'x'", [True]),
    ("%resource.repeat(item).where(linkId='n').answer.value = 3", [False]),
    ("%resource.repeat(item).where(linkId='none').answer.value = 'x'", []),
    ("%resource.repeat(item).where(linkId='none').answer.value != 'x'", []),
    ("%resource.repeat(item).where(linkId='none').answer.value.empty()", [True]),
    ("%resource.repeat(item).where(linkId='c').answer.value = 'y'", [False]),
    ("%resource.repeat(item).where(linkId='c').answer.value", [{"system": "s", "code": "y"}]),
    ("%resource.repeat(item).where(linkId='none').answer.value = 'x' or %age > 18", [True]),
    ("%resource.repeat(item).where(linkId='none').answer.value = 'x' and %age > 18", []),
    ("(%age <= 40) and (%age > 39.5)", [True]),
    ("%age < 12", [False]),
    ("%resource.answers().value = 'x'", None),
    # iif on the focus: the branch taken is evaluated; one outside the subset is unsure
    ("iif(%resource.repeat(item).where(linkId='none').answer.value.exists(), today())", []),
    ("iif(%resource.repeat(item).where(linkId='a').answer.value.exists(), 'yes', 'no')",
     ["yes"]),
    ("iif(%resource.repeat(item).where(linkId='none').answer.value.exists(), 'yes', 'no')",
     ["no"]),
    ("iif(%age > 18 and %age < 65, %age <= 40)", [True]),
    ("iif(1, 'one')", ["one"]),  # fhirpathpy's is_true: 1 == True
    ("iif('x', 'one')", []),
    ("iif(%resource.repeat(item).where(linkId='n').answer.value = 3, 'a', 'b')", ["b"]),
    ("iif(%nowhere, 'a')", UNSURE),
    # fhirpathpy's business: a date, a collection compared, a missing variable
    ("iif(%resource.repeat(item).where(linkId='a').answer.value.exists(), today())", UNSURE),
    ("%resource.repeat(item).where(linkId='d').answer.value = '2020-01-01'", UNSURE),
    ("%resource.repeat(item).where(linkId='n').answer.value > 2", UNSURE),
    ("%nowhere = 1", UNSURE),
])
def test_tricky_cases_give_what_fhirpathpy_gives(text, expected):
    from fhirpathpy import evaluate
    from fhirpathpy.models import models

    env = {"resource": RESPONSE, "age": [40]}
    fast = compile_fast(text)
    sdc = text.replace("answers()", "repeat(item).answer")
    try:
        slow = evaluate(RESPONSE, sdc, env, models["r4"])
    except Exception:  # noqa: BLE001 - fhirpathpy refuses some on purpose
        slow = []
    if expected is None:  # outside the subset
        assert fast is None or fast(RESPONSE, env) in (UNSURE, slow)
        return
    assert fast is not None
    got = fast(RESPONSE, env)
    if expected is UNSURE:
        assert got is UNSURE
    else:
        assert got == expected == slow


def test_the_r4_model_read_alone_is_fhirpathpys():
    from fhirpathpy.models import models

    from kiosk.questionnaire.expressions import r4_model

    assert r4_model() == models["r4"]
