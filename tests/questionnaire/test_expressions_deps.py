"""Calculated values are re-evaluated only after answers they can depend on, and always
agree with a full re-evaluation."""

import json
import random

from kiosk.questionnaire import AnswerSheet, parse_questionnaire


def full_evaluation(sheet: AnswerSheet) -> dict:
    copy = AnswerSheet(sheet.questionnaire)
    for (link_id, path), values in sheet.raw_answers().items():
        copy.set_quietly(link_id, values, path)
    copy.refresh()
    return copy.effective()


def random_answers(sheet, rng, count):
    questions = [i for i in sheet.questionnaire.walk()
                 if i.is_question and not i.calculated_expression and not i.read_only]
    for _ in range(count):
        item = rng.choice(questions)
        if item.options:
            sheet.set(item.link_id, [rng.choice(item.options).value])
        elif item.type == "integer":
            sheet.set(item.link_id, [rng.randint(0, 10)])
        elif item.type == "boolean":
            sheet.set(item.link_id, [rng.random() < 0.5])
        elif item.type == "decimal":
            sheet.set(item.link_id, [round(rng.uniform(1, 200), 1)])
        else:
            continue
        assert sheet.effective() == full_evaluation(sheet), item.link_id


def test_phq9_and_the_peg_score_match_a_full_evaluation(shared_questionnaire, content):
    rng = random.Random(3)
    for name in ("11_sdc_phq9.json", "12_sdc_framingham_hchd.json"):
        form = parse_questionnaire(json.loads(shared_questionnaire(name).read_text()))
        sheet = AnswerSheet(form)
        random_answers(sheet, rng, 30)
    sheet = AnswerSheet(content.questionnaire)
    random_answers(sheet, rng, 40)


def test_an_answer_the_score_does_not_read_skips_the_re_evaluation(content):
    sheet = AnswerSheet(content.questionnaire)
    engine = sheet._expressions
    assert not engine.depends_on(["bleeding"])
    assert engine.depends_on(["peg-average"])
    sheet.set("peg-average", [4])
    sheet.set("peg-enjoyment", [5])
    sheet.set("peg-activity", [6])
    assert sheet.effective()["peg-score"] == [5]
    calls = []
    original = sheet._recalculate
    sheet._recalculate = lambda: calls.append(1) or original()
    sheet.set("bleeding", [True])
    assert calls == []
    sheet.set("peg-activity", [9])
    assert calls == [1] and sheet.effective()["peg-score"] == [6]


def test_parse_trees_are_kept_on_disk_and_a_later_run_needs_no_parser(tmp_path, monkeypatch):
    from kiosk.questionnaire import expressions, parse_cache
    from kiosk.questionnaire import parse_questionnaire as parse

    form = {"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "a", "type": "integer", "text": "A"},
        {"linkId": "twice", "type": "integer", "text": "Twice", "readOnly": True,
         "extension": [{"url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
                               "sdc-questionnaire-calculatedExpression",
                        "valueExpression": {"language": "text/fhirpath", "expression":
                                            "%resource.item.where(linkId='a').answer.value"
                                            " * 2 + 0"}}]}]}
    path = tmp_path / "cache.json"
    monkeypatch.setenv("KIOSK_EXPRESSION_CACHE", str(path))
    from kiosk.questionnaire import AnswerSheet

    monkeypatch.setattr(parse_cache, "SAVE_DELAY", 0.05)
    AnswerSheet(parse(form))
    writing = parse_cache.parse_cache()._timer  # written soon, off the form's first page
    assert writing is not None and not path.exists()
    writing.join(timeout=10)
    assert path.exists()
    # A new process: nothing in memory, and parsers that would fail if asked.
    monkeypatch.setattr(expressions, "_PARSED", {})
    monkeypatch.setattr(parse_cache, "_CACHE", None)
    monkeypatch.setattr(expressions, "real_parser", lambda: 1 / 0)
    monkeypatch.setattr(expressions, "fast_parse", lambda text: 1 / 0)
    sheet = AnswerSheet(parse(form))
    sheet.set("a", [21])
    assert sheet.get("twice") == [42]
