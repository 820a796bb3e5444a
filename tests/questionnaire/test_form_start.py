"""What makes a form start quickly changes nothing it gives: fhirpathpy without its parser
until an expression needs parsing, a questionnaire's expressions compiled once and shared by
every patient's answer sheet, the engine read ahead in a thread, extensions looked up by an
index (kiosk.questionnaire.fhirpath_import, expressions.compiled_tables, preload,
extensions.Lookup)."""

from __future__ import annotations

import json
import logging
import random
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.questionnaire import AnswerSheet, load_questionnaire
from kiosk.questionnaire import extensions as ext
from kiosk.questionnaire.expressions import ExpressionEngine, compiled_tables
from tests.conftest import SHARED_QUESTIONNAIRES
from tests.questionnaire.test_incremental_expressions import (
    LARGE_FORM,
    _answer_for,
    _launch,
    _state,
)

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = sorted(SHARED_QUESTIONNAIRES.glob("*.json")) if SHARED_QUESTIONNAIRES.exists() \
    else []

_START_A_FORM = """
import json, logging, sys
logging.disable(logging.WARNING)
from kiosk.questionnaire import AnswerSheet, load_questionnaire
from kiosk.questionnaire.launch import LaunchContext
sheet = AnswerSheet(load_questionnaire(sys.argv[1]), launch=LaunchContext())
before = "antlr4" in sys.modules
from kiosk.questionnaire.expressions import parse_expression
tree = parse_expression(sys.argv[2])
print(json.dumps({"parser_before": before, "parser_after": "antlr4" in sys.modules,
                  "tree": isinstance(tree, dict), "effective": len(sheet.effective())}))
"""


def _start(tmp_path: Path, form: Path, new_expression: str) -> dict:
    env = {"KIOSK_EXPRESSION_CACHE": str(tmp_path / "parse.json"), "PATH": "/usr/bin:/bin",
           "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", _START_A_FORM, str(form), new_expression],
                         check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_form_seen_before_starts_without_the_fhirpath_parser(tmp_path):
    """The kiosk's own parser reads the health check's expressions: ANTLR is not loaded.
    An expression only ANTLR reads (a qualified type name) loads it, and its tree is kept
    on disk: the next process gets it from there, without ANTLR."""
    antlr_only = "%resource.item.count() is System.Integer"
    first = _start(tmp_path, LARGE_FORM, antlr_only)
    assert first["parser_before"] is False
    assert first["parser_after"] is True and first["tree"] is True
    again = _start(tmp_path, LARGE_FORM, antlr_only)
    assert again["parser_before"] is False and again["parser_after"] is False
    assert again["tree"] is True
    assert again["effective"] == first["effective"]


def test_every_answer_sheet_of_a_questionnaire_shares_its_compiled_expressions():
    form = load_questionnaire(LARGE_FORM)
    first, second = AnswerSheet(form), AnswerSheet(form)
    assert first._expressions.compiled is second._expressions.compiled
    assert compiled_tables(form) is compiled_tables(form)
    assert compiled_tables(form, fast_paths=False) is not compiled_tables(form)
    other = load_questionnaire(LARGE_FORM)  # another parse: its own tables
    assert compiled_tables(other) is not compiled_tables(form)


def _play(sheet: AnswerSheet, seed: int, count: int) -> None:
    rng = random.Random(seed)
    questions = [i for i in sheet.questionnaire.walk() if i.is_question and not i.read_only
                 and not i.calculated_expression]
    for _ in range(count):
        item = rng.choice(questions)
        sheet.set(item.link_id, _answer_for(item, rng))


@pytest.mark.parametrize("path", [*PUBLISHED, LARGE_FORM], ids=lambda p: p.name)
def test_the_next_patient_gets_what_a_form_parsed_for_them_alone_gives(path):
    """Patients one after another on one kiosk share the compiled expressions: each gets
    exactly what a form parsed and started for them alone gives (enabled items, calculated
    values, answers, option lists), whatever the patients before them answered."""
    logging.disable(logging.WARNING)  # some forms' expressions fail by design
    try:
        shared = load_questionnaire(path)
        for patient in range(3):
            kiosk = AnswerSheet(shared, launch=_launch())
            alone = AnswerSheet(load_questionnaire(path), launch=_launch())
            assert _state(kiosk) == _state(alone), patient
            _play(kiosk, patient, 12)
            _play(alone, patient, 12)
            assert _state(kiosk) == _state(alone), patient
            assert kiosk.problems(shared.items) == alone.problems(alone.questionnaire.items)
    finally:
        logging.disable(logging.NOTSET)


def test_the_twin_without_fast_paths_is_compiled_apart(monkeypatch):
    form = load_questionnaire(LARGE_FORM)
    fast = AnswerSheet(form)
    monkeypatch.setattr(ExpressionEngine, "fast_paths", False)
    slow = AnswerSheet(form)
    assert fast._expressions.compiled is not slow._expressions.compiled


def test_the_engine_read_ahead_in_a_thread_leaves_forms_as_they_were(monkeypatch, tmp_path):
    from kiosk.questionnaire import preload

    monkeypatch.setenv("KIOSK_EXPRESSION_CACHE", str(tmp_path / "nowhere" / "parse.json"))
    thread = preload.preload_in_background()
    logging.disable(logging.WARNING)
    try:
        form = load_questionnaire(LARGE_FORM)
        during = AnswerSheet(form, launch=_launch())  # while the thread may still read
        thread.join(timeout=60)
        assert not thread.is_alive()
        after = AnswerSheet(load_questionnaire(LARGE_FORM), launch=_launch())
        assert _state(during) == _state(after)
    finally:
        logging.disable(logging.NOTSET)


def test_the_read_ahead_never_raises(monkeypatch, caplog):
    from kiosk.questionnaire import preload

    def broken() -> dict:
        raise OSError("unreadable")

    monkeypatch.setattr("kiosk.questionnaire.expressions.r4_model", broken)
    with caplog.at_level(logging.INFO, logger="kiosk.questionnaire.preload"):
        preload.preload_engine()  # logged, not raised: the form's start reads it again
    assert "not read ahead (OSError)" in caplog.text


def _elements(raw: object):
    if isinstance(raw, dict):
        yield raw
        for value in raw.values():
            yield from _elements(value)
    elif isinstance(raw, list):
        for value in raw:
            yield from _elements(value)


URLS = sorted(ext.UNDERSTOOD | {ext.CALCULATED_EXPRESSION, ext.INITIAL_EXPRESSION,
                                ext.ENABLE_WHEN_EXPRESSION, ext.ANSWER_EXPRESSION,
                                ext.OPTIONS_TOGGLE_EXPRESSION, ext.ITEM_POPULATION_CONTEXT,
                                ext.VARIABLE, ext.MIME_TYPE, ext.MAX_SIZE})


@pytest.mark.parametrize("path", [*PUBLISHED, LARGE_FORM], ids=lambda p: p.name)
def test_extensions_looked_up_by_index_are_those_found_by_walking_the_list(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    for element in _elements(raw):
        if not isinstance(element.get("extension"), list):
            continue
        here = ext.Lookup(element)
        for url in URLS:
            assert here.find(url) == ext.find(element, url)
            assert here.find_all(url) == ext.find_all(element, url)
            assert here.value(url) == ext.value(element, url)
            assert here.coding_code(url) == ext.coding_code(element, url)
            assert here.expression(url) == ext.expression(element, url)


def _form_with(expression: str):
    from kiosk.questionnaire import parse_questionnaire

    return parse_questionnaire({
        "resourceType": "Questionnaire", "url": "http://example.org/q", "status": "active",
        "item": [{"linkId": "total", "type": "integer", "text": "Total", "readOnly": True,
                  "extension": [{
                      "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
                             "sdc-questionnaire-calculatedExpression",
                      "valueExpression": {"language": "text/fhirpath",
                                          "expression": expression}}]}]})


def test_the_read_ahead_compiles_the_kiosks_forms_whose_trees_are_kept(caplog):
    from kiosk.questionnaire import preload

    known = _form_with("40 + 2")
    AnswerSheet(_form_with("40 + 2"))  # parsed once in this process
    read = _form_with("40 + 7654321")  # new, but in the kiosk's parser's grammar
    new = _form_with("iif(1 is System.Integer, 7654321, 0)")  # a qualified type: ANTLR's
    with caplog.at_level(logging.INFO, logger="kiosk.questionnaire.preload"):
        preload.preload_in_background([known, read, new]).join(timeout=60)
    made = known.derived.get("expression tables, fast paths on")
    assert made is not None and compiled_tables(known) is made  # the sheet uses them
    assert read.derived.get("expression tables, fast paths on") is not None
    assert not new.derived  # made at its first start instead, where ANTLR may run
    assert "compiled at its first start" in caplog.text
    assert AnswerSheet(known).get("total") == [42]
    assert AnswerSheet(read).get("total") == [7654361]
    assert AnswerSheet(new).get("total") == [7654321]
    assert new.derived
