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


# -- every step Next leads to is readied: the review, Confirm, the explanation ----------------
REVIEW = Step(StepKind.REVIEW)
CONFIRM = Step(StepKind.CONFIRM)
FIRST_PAGE = Step(StepKind.LEARN, page=0)


@pytest.fixture
def window(qtbot, qapp, tmp_path):
    apply_theme(qapp)
    window = build_window(KioskConfig(data_dir=tmp_path / "data", speech_engine="mock",
                                      keyboard="kiosk"))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    yield window
    window.shut_down()
    window.writer.stop(2.0)


@pytest.fixture
def last_page(qtbot, window):
    """A patient on the form's last page (the PEG scale), every answer before it given."""
    from kiosk.demo.answers import fill_demo_session

    patient = Patient(qtbot, window)
    patient.start()
    fill_demo_session(patient.flow.service)
    window.writer.wait_idle()
    patient.flow.show_step()
    while patient.flow.session.step_after() != REVIEW:
        patient.next()
    assert patient.step.link_id == "peg"
    return patient


def readied_whole(patient, step: Step, not_this=None) -> None:
    """The patient reads until the screen for ``step`` is built, every slice of it (a new
    one, not ``not_this``, when given)."""
    flow = patient.flow
    patient.qtbot.waitUntil(lambda: flow.readied == step and not flow.building
                            and flow.readied_screen is not not_this)


def review_row(patient, link_id: str) -> str:
    return next(r.row.value for r in patient.screen.rows if r.row.link_id == link_id)


def test_the_review_readied_on_the_last_page_is_shown_with_every_answer(last_page):
    readied_whole(last_page, REVIEW)
    readied = last_page.flow.readied_screen
    last_page.next()
    assert last_page.step == REVIEW
    assert last_page.screen is readied  # built while the patient read
    shown = [(r.row.label, r.row.value) for r in last_page.screen.rows]
    assert shown == [(r.label, r.value) for r in last_page.flow.session.review_rows()]
    assert "Maria Santos" in last_page.visible_texts()


def test_an_answer_after_the_review_was_readied_is_on_the_review(last_page):
    readied_whole(last_page, REVIEW)
    readied = last_page.flow.readied_screen
    last_page.tap_number("peg-average", 3)
    last_page.next()
    assert last_page.step == REVIEW
    assert last_page.screen is not readied
    assert review_row(last_page, "peg-average") == "3"


def test_going_back_and_changing_an_answer_shows_it_on_the_readied_review(last_page):
    readied_whole(last_page, REVIEW)
    last_page.back()
    assert last_page.step.link_id == "pain-now"
    last_page.tap_number("pain-now", 2)  # was 6
    last_page.next()
    readied_whole(last_page, REVIEW)  # readied again, from the answers as they are now
    last_page.next()
    assert last_page.step == REVIEW
    assert review_row(last_page, "pain-now") == "2"


def test_a_change_from_the_review_comes_back_to_a_readied_review_showing_it(last_page):
    last_page.next()
    assert review_row(last_page, "diabetes") == "Yes"
    last_page.tap(next(r for r in last_page.screen.rows if r.row.link_id == "diabetes"))
    assert last_page.step == Step(StepKind.QUESTIONS, link_id="diabetes")
    readied_whole(last_page, REVIEW)  # straight back to the review, not the next page
    before = last_page.flow.readied_screen
    last_page.answer_yes_no("diabetes", False)
    readied_whole(last_page, REVIEW, not_this=before)  # readied again with the new answer
    readied = last_page.flow.readied_screen
    last_page.next()
    assert last_page.step == REVIEW
    assert last_page.screen is readied
    assert review_row(last_page, "diabetes") == "No"


def test_confirm_readied_on_the_review_keeps_the_typed_signature(last_page):
    last_page.next()
    last_page.next()
    assert last_page.step == CONFIRM
    confirm = last_page.screen
    last_page.tap(confirm.switch)  # "Type my name instead"
    last_page.type_into(confirm.typed_name, "Maria Santos")
    last_page.close_keyboard()
    last_page.tap(confirm.agree)
    last_page.back()
    assert last_page.step == REVIEW
    readied_whole(last_page, CONFIRM)
    readied = last_page.flow.readied_screen
    last_page.next()
    assert last_page.screen is readied
    assert readied.typed_name.text() == "Maria Santos" and readied.typed_name.isVisible()
    assert readied.agree.isChecked()
    session = last_page.flow.session
    assert (session.signature_mode, session.typed_name, session.typed_agreed) == (
        "typed", "Maria Santos", True)


def check_in_without_next(patient, procedure: str) -> None:
    screen = patient.screen
    patient.type_into(screen.first_name, "Rosa")
    patient.type_into(screen.last_name, "Delgado")
    patient.close_keyboard()
    patient.pick(screen.birth.month, "March")
    patient.pick(screen.birth.day, "14")
    patient.pick(screen.birth.year, "1958")
    patient.choose(procedure)


def test_the_explanation_readied_on_check_in_follows_the_procedure_chosen(qtbot, window):
    patient = Patient(qtbot, window)
    patient.start()
    check_in_without_next(patient, "Nerve block")
    readied_whole(patient, FIRST_PAGE)
    before = patient.flow.readied_screen
    patient.choose("Radiofrequency ablation")  # another procedure after all
    readied_whole(patient, FIRST_PAGE, not_this=before)
    readied = patient.flow.readied_screen
    patient.next()
    assert patient.step == FIRST_PAGE
    assert patient.screen is readied
    texts = " ".join(patient.visible_texts())
    assert "Radiofrequency ablation" in texts and "Nerve block" not in texts


def test_an_answer_while_the_next_page_is_being_built_drops_the_half_built_page(
        patient, monkeypatch):
    from kiosk.ui.patient_flow import PatientFlow

    flow = patient.flow
    # the event loop builds no slice: the readied page stays half-built until the answer
    monkeypatch.setattr(PatientFlow, "_build_slice", lambda self: None)
    patient.choose("Aspirin, any dose")
    patient.qtbot.waitUntil(lambda: flow.readied == BLEEDING and flow.building)
    half_built = flow.readied_screen
    patient.choose("Yesterday", within="blood-thinner-last-dose")
    assert flow.readied is None and not flow.building  # it went with the answer
    monkeypatch.undo()
    patient.next()
    assert patient.step == BLEEDING
    assert patient.screen is not half_built
    assert follow_up_shown(patient)
