"""Every way of answering changes the answer through the same code: a tap, a key, and each
accessibility action (Press, Toggle) — what a screen reader hears is what is stored."""

import datetime as dt

import pytest
from PySide6.QtWidgets import QAbstractButton

from kiosk.intake.records import Step, StepKind
from kiosk.ui.touch import ChoiceButton
from tests.helpers.accessible import PRESS, TOGGLE, Role, act, find, interface

pytestmark = pytest.mark.gui

BORN = dt.date(1958, 3, 14)


def to_blood_thinners(patient):
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    assert patient.step == Step(StepKind.QUESTIONS, link_id="blood-thinners")


def stored(patient, link_id):
    return [getattr(v, "code", v) for v in patient.flow.session.answers.get(link_id)]


@pytest.mark.parametrize("action", [TOGGLE, PRESS])
def test_each_accessibility_action_on_a_choice_stores_what_it_shows(patient, qtbot, action):
    """Issue 15: Toggle showed Apixaban and fish oil checked; Review had neither."""
    to_blood_thinners(patient)
    screen = patient.screen
    apixaban = find(screen, Role.CheckBox, "Apixaban (Eliquis)")
    fish_oil = find(screen, Role.CheckBox, "Fish oil (omega-3)")
    act(apixaban, action)
    act(fish_oil, action)
    qtbot.waitUntil(lambda: len(stored(patient, "supplements")) == 1)  # Press is animated
    assert apixaban.state().checked and fish_oil.state().checked
    assert stored(patient, "blood-thinners") == ["apixaban"]
    assert [c.code for c in stored_codings(patient, "supplements")] == ["fish-oil"]
    act(fish_oil, action)  # and off again
    qtbot.waitUntil(lambda: stored(patient, "supplements") == [])
    assert not fish_oil.state().checked
    act(fish_oil, action)
    qtbot.waitUntil(lambda: len(stored(patient, "supplements")) == 1)

    # a blood thinner opens "when did you last take it?" (required)
    act(find(patient.screen, Role.RadioButton, "Yesterday"), action)
    qtbot.waitUntil(lambda: len(stored(patient, "blood-thinner-last-dose")) == 1)
    act(find(patient.flow, Role.Button, "Next"), PRESS)
    qtbot.waitUntil(lambda: patient.step.link_id == "bleeding")
    patient.wait_written()
    row = patient.flow.service.session  # what Review will show comes from the session
    assert "apixaban" in stored(patient, "blood-thinners")
    assert row.answers.get("supplements")


def stored_codings(patient, link_id):
    return patient.flow.session.answers.get(link_id)


def test_a_bare_toggle_on_a_choice_is_stored_too(patient):
    """Whatever calls ``toggle()`` (Qt's own accessibility interface does), the answer follows
    the checked state."""
    to_blood_thinners(patient)
    widget = patient.screen.items["blood-thinners"]
    choice = next(c for c in widget.findChildren(ChoiceButton)
                  if c.label_text() == "Warfarin (Coumadin, Jantoven)")
    choice.toggle()
    assert stored(patient, "blood-thinners") == ["warfarin"]
    choice.toggle()
    assert stored(patient, "blood-thinners") == []


def test_single_choice_is_a_radio_button_and_moves_the_answer(patient, qtbot):
    to_blood_thinners(patient)
    patient.choose("None of these")
    patient.next()
    assert patient.step.link_id == "bleeding"
    widget = patient.screen.items["bleeding"]
    question = widget.item.text
    yes = find(widget, Role.RadioButton, "Yes", described=question)
    no = find(widget, Role.RadioButton, "No", described=question)
    act(yes, TOGGLE)
    assert stored(patient, "bleeding") == [True]
    act(no, TOGGLE)
    assert stored(patient, "bleeding") == [False]
    assert no.state().checked and not yes.state().checked


def test_the_answers_given_by_accessibility_actions_are_on_review(patient, qtbot):
    to_blood_thinners(patient)
    act(find(patient.screen, Role.CheckBox, "Apixaban (Eliquis)"), TOGGLE)
    act(find(patient.screen, Role.CheckBox, "Fish oil (omega-3)"), TOGGLE)
    service = patient.flow.service
    service.session.current = Step(StepKind.REVIEW)
    patient.flow.show_step()
    rows = {r.row.link_id: r.row.value for r in patient.screen.rows}
    assert "Apixaban (Eliquis)" in rows["blood-thinners"]
    assert "Fish oil (omega-3)" in rows["supplements"]


def test_welcome_language_by_the_toggle_action_switches_the_screen(window, qtbot):
    welcome = window.welcome
    espanol = find(welcome, Role.RadioButton, "Español")
    act(espanol, TOGGLE)
    assert welcome.language == "es"
    assert welcome.start.text() == welcome.content.strings("es")("start")
    assert espanol.state().checked
    assert not find(welcome, Role.RadioButton, "English").state().checked
    act(find(welcome, Role.Button, welcome.start.text()), PRESS)
    qtbot.waitUntil(lambda: window.flow is not None)
    assert window.flow.session.language == "es"


def test_a_button_reads_its_name_once(window):
    """A choice's text label is the button's name: not also a child read after it."""
    for button in window.welcome.findChildren(QAbstractButton):
        assert interface(button).childCount() == 0


def to_confirm(window):
    from kiosk.demo.answers import fill_demo_session

    window.start_patient("en")
    flow = window.flow
    fill_demo_session(flow.service)
    flow.service.session.sign(None)  # nothing drawn
    flow.service.session.current = Step(StepKind.CONFIRM)
    flow.show_step()
    return flow


def test_a_patient_signs_by_typed_name_through_accessibility_actions_only(window, qtbot):
    flow = to_confirm(window)
    screen = flow.screen
    act(find(flow, Role.Button, "I confirm. Send my answers."), PRESS)
    qtbot.waitUntil(lambda: screen.error.isVisible())
    assert screen.error.text() == "Please sign in the box with your finger."

    act(find(screen, Role.Button, "Type my name instead"), PRESS)
    qtbot.waitUntil(lambda: screen.typed_box.isVisible())
    assert not screen.pad.isVisible() and not screen.error.isVisible()
    name = find(screen, Role.EditableText, "Your full name")
    name.editableTextInterface().insertText(0, "Maria Santos")
    act(find(flow, Role.Button, "I confirm. Send my answers."), PRESS)
    qtbot.waitUntil(lambda: screen.agree_error.isVisible())
    assert not screen.typed_name_error.isVisible()
    agree = find(screen, Role.CheckBox, "I agree — this is my signature")
    act(agree, TOGGLE)
    assert agree.state().checked and not screen.agree_error.isVisible()
    with qtbot.waitSignal(flow.submitted) as submitted:
        act(find(flow, Role.Button, "I confirm. Send my answers."), PRESS)
    row = window.store.models.Intake.get_by_id(submitted.args[0])
    assert (row.signature_kind, row.signature_name) == ("typed", "Maria Santos")
    assert row.signature_statement == "I agree — this is my signature"
    assert row.signature_png is None
