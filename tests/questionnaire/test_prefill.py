"""Pre-population and computed options (SDC): initialExpression with the launch context
(%patient from check-in, today()), evaluated once when the form starts; answerExpression
and answerOptionsToggleExpression. The forms follow the patterns of LHC-Forms' and CSIRO
Smart Forms' pre-population examples, written here (expected values worked out by hand)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.questionnaire import Coding, parse_questionnaire
from kiosk.questionnaire.form_session import FormSession, pages
from kiosk.questionnaire.launch import LaunchContext, patient_resource
from kiosk.questionnaire.load_report import format_report
from kiosk.questionnaire.presentation import present

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
LAUNCH_PATIENT = {"url": SDC + "sdc-questionnaire-launchContext", "extension": [
    {"url": "name", "valueCoding": {"system": "http://hl7.org/fhir/uv/sdc/CodeSystem/"
                                              "launchContext", "code": "patient"}},
    {"url": "type", "valueCode": "Patient"}]}
LAUNCH_USER = {"url": SDC + "sdc-questionnaire-launchContext", "extension": [
    {"url": "name", "valueCoding": {"code": "user"}}, {"url": "type", "valueCode": "Practitioner"}]}


def initial(expression: str) -> dict:
    return {"url": SDC + "sdc-questionnaire-initialExpression",
            "valueExpression": {"language": "text/fhirpath", "expression": expression}}


def variable(name: str, expression: str) -> dict:
    return {"url": "http://hl7.org/fhir/StructureDefinition/variable",
            "valueExpression": {"name": name, "language": "text/fhirpath",
                                "expression": expression}}


AGE = ("today().toString().substring(0, 4).toInteger() - "
       "%patient.birthDate.substring(0, 4).toInteger() - "
       "iif(today().toString().substring(5, 5) < %patient.birthDate.substring(5, 5), 1, 0)")

HEALTH_CHECK = {
    "resourceType": "Questionnaire", "status": "active", "url": "urn:test:health-check",
    "extension": [LAUNCH_PATIENT, LAUNCH_USER],
    "item": [
        {"linkId": "about", "type": "group", "text": "About you", "item": [
            {"linkId": "given", "type": "string", "text": "First name",
             "extension": [initial("%patient.name.first().given.first()")]},
            {"linkId": "family", "type": "string", "text": "Family name",
             "extension": [initial("%patient.name.first().family")]},
            {"linkId": "dob", "type": "date", "text": "Date of birth",
             "extension": [initial("%patient.birthDate")]},
            {"linkId": "age", "type": "integer", "text": "Age", "readOnly": True,
             "extension": [initial(AGE)]},
            {"linkId": "seen", "type": "date", "text": "Date of this check",
             "extension": [initial("today()")]},
            {"linkId": "sex", "type": "string", "text": "Sex",
             "extension": [initial("%patient.gender")]},
            {"linkId": "clinician", "type": "string", "text": "Clinician",
             "extension": [initial("%user.name.first().text")]},
        ]},
        {"linkId": "over-40", "type": "group", "text": "Checks from 40",
         "extension": [variable("age", "%resource.item.where(linkId='about').item"
                                       ".where(linkId='age').answer.value"),
                       {"url": SDC + "sdc-questionnaire-enableWhenExpression",
                        "valueExpression": {"language": "text/fhirpath",
                                            "expression": "%age >= 40"}}],
         "item": [{"linkId": "bp", "type": "decimal", "text": "Blood pressure"}]},
    ],
}


def years_since(born: dt.date) -> int:
    today = dt.date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def test_initial_expressions_fill_from_check_in_and_today_once_at_start():
    questionnaire = parse_questionnaire(HEALTH_CHECK)
    born = dt.date(1961, 4, 12)
    session = FormSession(questionnaire, LaunchContext(
        patient_resource("María José", "Núñez-Peña", born)))
    sheet = session.sheet
    assert sheet.get("given") == ["María"]
    assert sheet.get("family") == ["Núñez-Peña"]
    assert sheet.get("dob") == [born]
    assert sheet.get("age") == [years_since(born)]
    assert sheet.get("seen") == [dt.date.today()]
    assert sheet.get("sex") == [] and sheet.get("clinician") == []  # check-in does not ask
    # The age it filled opens the section its own logic gates on 40 and over.
    assert [p.link_id for p in pages(questionnaire, sheet)] == ["about", "over-40"]
    # Evaluated once: the patient's correction stands.
    sheet.set("given", ["Maria"])
    assert sheet.prefill() == set()
    assert sheet.get("given") == ["Maria"]


def test_a_younger_patient_does_not_get_the_section_from_40():
    questionnaire = parse_questionnaire(HEALTH_CHECK)
    born = dt.date(dt.date.today().year - 30, 1, 1)
    session = FormSession(questionnaire, LaunchContext(patient_resource("Ana", "Ruiz", born)))
    assert session.sheet.get("age") == [30]
    assert [p.link_id for p in session.pages()] == ["about"]


def test_without_a_patient_only_today_is_filled():
    session = FormSession(parse_questionnaire(HEALTH_CHECK))
    assert session.sheet.get("seen") == [dt.date.today()]
    assert session.sheet.get("given") == [] and session.sheet.get("age") == []


def test_the_load_report_names_what_the_kiosk_cannot_pre_fill():
    report = format_report(parse_questionnaire(HEALTH_CHECK))
    assert "launchContext %user — the kiosk has no user" in report
    assert ("item sex: initialExpression reads %patient.gender, which check-in does not ask"
            " — the answer is not pre-filled") in report
    assert ("item clinician: initialExpression uses %user, which the kiosk does not have"
            " — the answer is not pre-filled") in report
    assert "item given" not in report and "item age" not in report


MEDICINES = {
    "resourceType": "Questionnaire", "status": "active",
    "item": [
        {"linkId": "medicines", "type": "string", "repeats": True,
         "text": "Which medicines do you take?"},
        {"linkId": "trouble", "type": "string", "text": "Which of them gives you trouble?",
         "extension": [{"url": SDC + "sdc-questionnaire-answerExpression",
                        "valueExpression": {"language": "text/fhirpath", "expression":
                                            "%resource.item.where(linkId='medicines')"
                                            ".answer.value"}}]},
        {"linkId": "knee-trouble", "type": "boolean", "text": "Do you have knee pain?"},
        {"linkId": "where", "type": "choice", "text": "Where is the pain worst?",
         "answerOption": [{"valueCoding": {"code": "back", "display": "Low back"}},
                          {"valueCoding": {"code": "neck", "display": "Neck"}},
                          {"valueCoding": {"code": "knee", "display": "Knee"}}],
         "extension": [{"url": SDC + "sdc-questionnaire-answerOptionsToggleExpression",
                        "extension": [
                            {"url": "option", "valueCoding": {"code": "knee"}},
                            {"url": "expression", "valueExpression": {
                                "language": "text/fhirpath", "expression":
                                "%resource.repeat(item).where(linkId='knee-trouble').answer.value"
                                " = true"}}]}]},
    ],
}


def shown(sheet, link_id: str) -> list[str]:
    return [option.display for option in sheet.options(link_id)]


def test_answer_expression_offers_the_medicines_the_patient_listed():
    questionnaire = parse_questionnaire(MEDICINES)
    assert present(questionnaire.item("trouble")).kind == "choice"
    sheet = FormSession(questionnaire).sheet
    assert shown(sheet, "trouble") == []
    sheet.set("medicines", ["Ibuprofen", "Warfarin"])
    assert shown(sheet, "trouble") == ["Ibuprofen", "Warfarin"]
    assert "trouble" in sheet.options_changed
    sheet.set("trouble", ["Warfarin"])
    sheet.set("medicines", ["Ibuprofen"])  # no longer listed: the answer goes too
    assert shown(sheet, "trouble") == ["Ibuprofen"]
    assert sheet.get("trouble") == []


def test_options_toggle_expression_offers_knee_only_to_who_has_knee_pain():
    sheet = FormSession(parse_questionnaire(MEDICINES)).sheet
    assert shown(sheet, "where") == ["Low back", "Neck"]
    sheet.set("knee-trouble", [True])
    assert shown(sheet, "where") == ["Low back", "Neck", "Knee"]
    sheet.set("where", [Coding("", "knee", "Knee")])
    sheet.set("knee-trouble", [False])
    assert shown(sheet, "where") == ["Low back", "Neck"]
    assert sheet.get("where") == []
    assert format_report(parse_questionnaire(MEDICINES)).endswith("0 notes")


def test_the_intake_pre_fills_its_form_from_check_in(content):
    import copy
    import dataclasses

    from kiosk.intake.session import IntakeSession
    from kiosk.questionnaire import parse_questionnaire as parse

    raw = copy.deepcopy(content.questionnaire.raw)
    raw["item"].append({"linkId": "name-on-file", "type": "string", "text": "Name on file",
                        "readOnly": True,
                        "extension": [initial("%patient.name.first().family & ', ' & "
                                              "%patient.name.first().given.first()")]})
    raw["item"].append({"linkId": "born-on-file", "type": "date", "text": "Born",
                        "readOnly": True, "extension": [initial("%patient.birthDate")]})
    forms = {language: parse(raw, language=language) for language in content.questionnaires}
    session = IntakeSession(dataclasses.replace(content, questionnaires=forms))
    assert session.answers.get("name-on-file") == []
    session.set_name("Ana", "Lopez")
    session.set_birth(1970, 2, 3)
    session.choose_procedure("nerve-block")
    assert session.next() == []
    assert session.answers.get("name-on-file") == ["Lopez, Ana"]
    assert session.answers.get("born-on-file") == [dt.date(1970, 2, 3)]
    session.set_language("es")  # kept in the other language, not evaluated again
    assert session.answers.get("name-on-file") == ["Lopez, Ana"]


HEALTH_CHECK_FILE = (Path(__file__).resolve().parents[2] / "benchmarks" / "forms" /
                     "Questionnaire-AboriginalTorresStraitIslanderHealthCheckAssembled-0.4.0.json")


@pytest.mark.parametrize(("age", "shown", "not_shown"), [
    (40, {"Learning and work", "Absolute cardiovascular disease risk calculation"},
     {"Memory and thinking", "Red flags early identification"}),
    (70, {"Memory and thinking", "Work"}, {"Learning and work", "Skin"}),
])
def test_the_published_health_check_opens_the_sections_its_age_logic_gives(
        age, shown, not_shown):
    """CSIRO's 808-item health check gates its 37 sections on %age, an item-level variable
    read from the age its initialExpression computes from %patient.birthDate."""
    from kiosk.questionnaire import load_questionnaire

    questionnaire = load_questionnaire(HEALTH_CHECK_FILE)
    born = dt.date(dt.date.today().year - age, 1, 2)
    session = FormSession(questionnaire, LaunchContext(patient_resource("Ana", "Ruiz", born)))
    titles = {page.text for page in session.pages()}
    assert shown <= titles and not (not_shown & titles)
    if age == 40:
        assert len(titles) == 26  # counted by hand from the sections' enableWhenExpressions


def test_the_health_checks_load_report_says_what_patient_and_staff_lose():
    from kiosk.questionnaire import load_questionnaire

    report = format_report(load_questionnaire(HEALTH_CHECK_FILE))
    assert ("uses %ObsBodyHeight" in report or "uses %ObsBodyHeightValue" in report)
    assert "data from the clinic's record (a FHIR query) that the kiosk does not fetch" in report
    assert "extension sdc-questionnaire-templateExtract — ignored: not done: no other FHIR " \
           "resources are made from the answers" in report
    assert "launchContext %user — the kiosk has no user" in report
