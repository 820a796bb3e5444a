"""The screen Next leads to is built while the patient reads (kiosk.ui.patient_flow): it
must never show what an answer given since has changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib import resources

import pytest

from kiosk.config import KioskConfig
from kiosk.content.core_value_sets import standard_value_sets
from kiosk.intake.records import Step, StepKind
from kiosk.questionnaire import parse_questionnaire
from kiosk.ui.app import build_window
from kiosk.ui.theme import apply_theme
from tests.helpers.patient import Patient

pytestmark = pytest.mark.gui

BLEEDING = Step(StepKind.QUESTIONS, link_id="bleeding")
#: a follow-up on the page after the blood thinners, asked only of those who take aspirin
#: (the clinic's form has no question that opens one on another page: this one does)
FOLLOW_UP = {"linkId": "aspirin-bruising", "type": "boolean",
             "text": "Since you take aspirin: do you bruise more easily?",
             "enableWhen": [{"question": "blood-thinners", "operator": "=",
                             "answerCoding": {
                                 "system": "https://intake-kiosk.example/fhir/CodeSystem/preprocedure",
                                 "code": "aspirin"}}]}


@pytest.fixture
def patient(qtbot, qapp, tmp_path, content):
    raw = json.loads(resources.files("kiosk.content").joinpath(
        "questionnaires", "preprocedure.json").read_text(encoding="utf-8"))
    bleeding = next(page for page in raw["item"] if page["linkId"] == "bleeding")
    bleeding.setdefault("item", []).append(FOLLOW_UP)
    value_sets = standard_value_sets()
    forms = {language: parse_questionnaire(raw, language=language, value_sets=value_sets)
             for language in content.questionnaires}
    apply_theme(qapp)
    window = build_window(KioskConfig(data_dir=tmp_path / "data", speech_engine="mock",
                                      keyboard="kiosk"),
                          dataclasses.replace(content, questionnaires=forms))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    patient = Patient(qtbot, window)
    patient.start()
    patient.check_in("Rosa", "Delgado", dt.date(1958, 3, 14), "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    assert patient.step.link_id == "blood-thinners"
    yield patient
    window.shut_down()
    window.writer.stop(2.0)


def follow_up_shown(patient) -> bool:
    widget = patient.screen.items.get("aspirin-bruising")
    return widget is not None and widget.isVisible()


def test_an_answer_that_opens_a_follow_up_on_the_next_page_shows_it_after_next(patient):
    patient.choose("None of these")
    # the patient reads: the bleeding page is readied, without the aspirin question
    patient.qtbot.waitUntil(lambda: patient.flow.readied == BLEEDING)
    patient.choose("None of these")  # changed their mind at once, and taps Next
    patient.choose("Aspirin, any dose")
    patient.choose("Yesterday", within="blood-thinner-last-dose")
    patient.next()
    assert patient.step == BLEEDING
    assert follow_up_shown(patient)


def test_the_readied_page_is_readied_again_after_an_answer(patient):
    patient.choose("Aspirin, any dose")
    patient.choose("Yesterday", within="blood-thinner-last-dose")
    patient.qtbot.waitUntil(lambda: patient.flow.readied == BLEEDING)
    readied = patient.flow.readied_screen
    patient.next()
    assert patient.screen is readied  # the one built while the patient read
    assert follow_up_shown(patient)
    patient.back()
    patient.choose("Aspirin, any dose")  # off again: the follow-up goes
    patient.choose("None of these")
    patient.qtbot.waitUntil(lambda: patient.flow.readied == BLEEDING
                            and patient.flow.readied_screen is not readied)
    patient.next()
    assert patient.step == BLEEDING
    assert not follow_up_shown(patient)
    assert patient.screen.items["bleeding"].isVisible()
