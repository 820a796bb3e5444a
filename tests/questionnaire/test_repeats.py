"""Repeating groups: answers per instance, enableWhen inside the same instance, the response."""

import datetime as dt

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from kiosk.questionnaire import AnswerSheet, build_response, parse_questionnaire

MEDICINES = {
    "resourceType": "Questionnaire", "url": "http://example.org/q/meds", "version": "1",
    "status": "active",
    "item": [
        {"linkId": "meds", "type": "group", "repeats": True, "text": "Medicine", "item": [
            {"linkId": "name", "type": "string", "text": "Name", "required": True},
            {"linkId": "thins", "type": "boolean", "text": "Is it a blood thinner?"},
            {"linkId": "who", "type": "string", "text": "Who prescribed it?", "required": True,
             "enableWhen": [{"question": "thins", "operator": "=", "answerBoolean": True}]},
        ]},
        {"linkId": "any-thinner", "type": "string", "text": "Tell us more",
         "enableWhen": [{"question": "thins", "operator": "=", "answerBoolean": True}]},
    ],
}


@pytest.fixture
def sheet():
    return AnswerSheet(parse_questionnaire(MEDICINES))


def test_enable_when_reads_the_same_instance(sheet):
    second = sheet.add_instance("meds")
    assert second == (1,)
    sheet.set("thins", [True], (1,))
    assert sheet.is_enabled("who", (1,))
    assert not sheet.is_enabled("who", (0,))  # the other instance's answer does not count
    sheet.set("thins", [False], (0,))
    assert not sheet.is_enabled("who", (0,)) and sheet.is_enabled("who", (1,))


def test_an_item_outside_the_group_sees_any_instance(sheet):
    sheet.add_instance("meds")
    assert not sheet.is_enabled("any-thinner")
    sheet.set("thins", [True], (1,))
    assert sheet.is_enabled("any-thinner")


def test_required_is_checked_in_every_instance(sheet):
    sheet.add_instance("meds")
    sheet.set("name", ["Warfarin"], (0,))
    sheet.set("thins", [True], (0,))
    problems = {(p.link_id, p.path) for p in sheet.problems(sheet.questionnaire.items)}
    assert problems == {("who", (0,)), ("name", (1,))}


def test_removing_an_instance_moves_the_later_ones_up(sheet):
    sheet.add_instance("meds")
    sheet.add_instance("meds")
    for index, name in enumerate(["A", "B", "C"]):
        sheet.set("name", [name], (index,))
    sheet.set("thins", [True], (2,))
    sheet.remove_instance("meds", (1,))
    assert sheet.instances("meds") == 2
    assert [sheet.get("name", (i,)) for i in range(2)] == [["A"], ["C"]]
    assert sheet.is_enabled("who", (1,)) and not sheet.is_enabled("who", (0,))
    sheet.remove_instance("meds", (0,))
    sheet.remove_instance("meds", (0,))  # the last instance stays
    assert sheet.instances("meds") == 1 and sheet.get("name", (0,)) == ["C"]


def test_response_has_one_item_per_instance(sheet):
    sheet.add_instance("meds")
    sheet.set("name", ["Warfarin"], (0,))
    sheet.set("thins", [True], (0,))
    sheet.set("who", ["Dr Lee"], (0,))
    sheet.set("name", ["Vitamin D"], (1,))
    sheet.set("thins", [False], (1,))
    sheet.set("who", ["stale answer"], (1,))  # disabled in this instance: left out
    response = build_response(sheet, dt.datetime(2026, 11, 25, 9, 0).astimezone())
    QuestionnaireResponse.model_validate(response)
    meds = [node for node in response["item"] if node["linkId"] == "meds"]
    assert len(meds) == 2
    first = {n["linkId"]: n["answer"] for n in meds[0]["item"]}
    second = {n["linkId"]: n["answer"] for n in meds[1]["item"]}
    assert first["who"] == [{"valueString": "Dr Lee"}]
    assert second["name"] == [{"valueString": "Vitamin D"}] and "who" not in second
