"""Huge or pathological forms are refused with a clear message (file, place, problem),
never a traceback or a hang; enableWhen cycles are named in the load report."""

import json

import pytest

from kiosk.questionnaire import AnswerSheet, load_questionnaire, parse_questionnaire
from kiosk.questionnaire.limits import MAX_CHAIN, MAX_DEPTH, MAX_ITEMS
from kiosk.questionnaire.load_report import load_report
from kiosk.questionnaire.model import QuestionnaireError


def chained(count: int) -> dict:
    """``count`` questions, each shown only when the one before is answered."""
    items = [{"linkId": "q0", "type": "boolean", "text": "q0"}]
    for n in range(1, count):
        items.append({"linkId": f"q{n}", "type": "boolean", "text": f"q{n}", "enableWhen": [
            {"question": f"q{n - 1}", "operator": "exists", "answerBoolean": True}]})
    return {"resourceType": "Questionnaire", "status": "active", "item": items}


def nested(depth: int) -> dict:
    item: dict = {"linkId": f"g{depth}", "type": "string", "text": "deepest"}
    for n in range(depth - 1, 0, -1):
        item = {"linkId": f"g{n}", "type": "group", "text": f"g{n}", "item": [item]}
    return {"resourceType": "Questionnaire", "status": "active", "item": [item]}


@pytest.mark.parametrize("count", [4000, 24000])
def test_a_huge_chained_form_is_refused_with_the_limit(tmp_path, count):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(chained(count)))
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    message = str(caught.value)
    assert str(path) in message and f"{MAX_ITEMS} items" in message


def test_a_long_enable_when_chain_within_the_item_limit_is_refused():
    with pytest.raises(QuestionnaireError, match=f"chain of more than {MAX_CHAIN} items"):
        parse_questionnaire(chained(MAX_CHAIN * 3))


def test_a_chain_within_the_limit_loads_and_opens_step_by_step():
    sheet = AnswerSheet(parse_questionnaire(chained(MAX_CHAIN)))
    last = f"q{MAX_CHAIN - 1}"
    assert not sheet.is_enabled(last)
    for n in range(MAX_CHAIN - 1):
        sheet.set(f"q{n}", [True])
    assert sheet.is_enabled(last)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500])
def test_deep_nesting_is_refused_with_the_place(depth):
    with pytest.raises(QuestionnaireError, match=f"nested more than {MAX_DEPTH} deep"):
        parse_questionnaire(nested(depth), source="deep.json")


def test_json_nested_beyond_what_python_reads_is_a_clear_error(tmp_path):
    path = tmp_path / "deeper.json"
    path.write_text('{"resourceType": "Questionnaire", "item": ' + "[" * 100_000 + "]" * 100_000
                    + "}")
    with pytest.raises(QuestionnaireError, match="deeper.json: file: nested too deeply"):
        load_questionnaire(path)


def test_an_enable_when_cycle_is_named_in_the_load_report():
    form = parse_questionnaire({"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "a", "type": "boolean", "text": "a", "enableWhen": [
            {"question": "b", "operator": "=", "answerBoolean": True}]},
        {"linkId": "b", "type": "boolean", "text": "b", "enableWhen": [
            {"question": "a", "operator": "=", "answerBoolean": True}]},
        {"linkId": "c", "type": "boolean", "text": "c"},
    ]})
    cycles = [str(n) for n in load_report(form) if "cycle" in n.feature]
    assert len(cycles) == 1 and ("a → b → a" in cycles[0] or "b → a → b" in cycles[0])
    sheet = AnswerSheet(form)
    assert not sheet.is_enabled("a") and not sheet.is_enabled("b") and sheet.is_enabled("c")
