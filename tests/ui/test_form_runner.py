"""The generic form runner: live scores, errors next to their items, the full check."""

import pytest
from PySide6.QtWidgets import QPushButton

from kiosk.content.core_value_sets import standard_value_sets
from kiosk.questionnaire import load_questionnaire
from kiosk.ui.form_runner import FormRunner
from kiosk.ui.theme import apply_theme
from tests.helpers.taps import tap

pytestmark = pytest.mark.gui


@pytest.fixture
def runner_for(qtbot, qapp, content, shared_questionnaire):
    apply_theme(qapp)
    made = []

    def make(name):
        runner = FormRunner(load_questionnaire(shared_questionnaire(name),
                                               value_sets=standard_value_sets()),
                            content.strings("en"))
        qtbot.addWidget(runner)
        runner.resize(1280, 800)
        with qtbot.waitActive(runner):
            runner.show()
            runner.activateWindow()
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.dispose()


def test_phq9_total_updates_on_screen_as_answers_are_tapped(qtbot, runner_for):
    runner = runner_for("11_sdc_phq9.json")
    total = runner.screen.items["H1/TS"]
    assert not total.edit.isEnabled()  # calculated: the patient cannot type over it
    questions = [w for w in runner.screen.items.values() if getattr(w, "buttons", None)]
    tap(qtbot, questions[0].buttons[3][1])  # "Nearly every day" = 3
    assert total.edit.text() == "3"
    tap(qtbot, questions[1].buttons[2][1])  # "More than half the days" = 2
    assert total.edit.text() == "5"
    tap(qtbot, questions[0].buttons[3][1])  # untapped: the answer and its points go
    assert total.edit.text() == "2"


def test_out_of_range_number_is_shown_next_to_its_item_on_next(qtbot, runner_for):
    runner = runner_for("37_rkof_number_validation.json")
    page = runner.session.page_id
    widget = runner.screen.items[page]
    assert widget.item.type == "integer"
    qtbot.keyClicks(widget.edit, "5000")
    tap(qtbot, runner.next_button)
    assert runner.session.page_id == page  # Next stayed
    assert widget.error.isVisible()
    low, high = int(widget.item.min_value), int(widget.item.max_value)
    assert widget.error.text() == f"Please enter a value from {low} to {high}."
    widget.edit.clear()
    qtbot.keyClicks(widget.edit, str(high))
    assert not widget.error.isVisible()
    tap(qtbot, runner.next_button)
    assert runner.session.page_id != page


def test_submit_runs_the_full_check_and_returns_to_the_unfinished_page(qtbot, runner_for):
    runner = runner_for("34_s4h_backpain_presession.json")
    first = runner.session.page_id
    while not runner.session.is_last():
        widget = runner.screen.items[runner.session.page_id]
        tap(qtbot, widget.buttons[0][1])
        tap(qtbot, runner.next_button)
    tap(qtbot, runner.screen.items[runner.session.page_id].buttons[0][1])
    runner.session.sheet.set(first, [])  # as if the answer were lost on an earlier page
    with qtbot.assertNotEmitted(runner.submitted):
        tap(qtbot, runner.next_button)
    assert runner.session.page_id == first
    assert runner.screen.items[first].error.isVisible()


def test_repeating_group_add_answer_and_remove_on_screen(qtbot, qapp, content, tmp_path):
    import json

    from PySide6.QtWidgets import QPushButton

    from tests.questionnaire.test_repeats import MEDICINES

    apply_theme(qapp)
    path = tmp_path / "meds.json"
    path.write_text(json.dumps(MEDICINES))
    runner = FormRunner(load_questionnaire(path), content.strings("en"))
    qtbot.addWidget(runner)
    runner.resize(1280, 800)
    runner.show()
    screen = runner.screen
    add = next(b for b in screen.findChildren(QPushButton) if b.objectName() == "AddAnother")
    assert add.text() == "+ Add another: Medicine"
    tap(qtbot, add)
    screen = runner.screen
    assert runner.session.sheet.instances("meds") == 2
    assert screen.widgets[("who", (0,))].isHidden() and screen.widgets[("who", (1,))].isHidden()
    tap(qtbot, screen.widgets[("thins", (1,))].buttons[True])
    assert screen.widgets[("who", (1,))].isVisible()
    assert not screen.widgets[("who", (0,))].isVisible()  # the follow-up of instance 2 only
    qtbot.keyClicks(screen.widgets[("name", (1,))].edit, "Warfarin")
    remove = [b for b in screen.findChildren(QPushButton)
              if b.text() == "Remove this one" and b.isVisible()]
    assert len(remove) == 2
    tap(qtbot, remove[0])  # remove the first, empty instance
    assert runner.session.sheet.instances("meds") == 1
    assert screen.widgets[("name", (0,))].edit.text() == "Warfarin"
    assert screen.widgets[("who", (0,))].isVisible()
    runner.dispose()


def test_attachment_from_a_file_in_the_form_runner_only(qtbot, runner_for, tmp_path, qapp,
                                                        content, shared_questionnaire):
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
    from PySide6.QtGui import QColor, QImage

    photo = tmp_path / "knee.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image.save(str(photo))
    runner = runner_for("06_sdc_all_data_types.json")
    widget = runner.screen.items["id-attachment"]
    assert widget.choose.isVisible()
    assert widget.attach_file(str(photo))
    assert widget.status.text().startswith("Attached: knee.png")
    with qtbot.waitSignal(runner.submitted) as submitted:
        tap(qtbot, runner.next_button)
    response = submitted.args[0]
    QuestionnaireResponse.model_validate(response)
    nodes = [n for g in response["item"] for n in g.get("item", [])
             if n["linkId"] == "id-attachment"]
    answer = nodes[0]["answer"][0]["valueAttachment"]
    assert answer["contentType"] == "image/png" and answer["title"] == "knee.png"
    assert answer["size"] == photo.stat().st_size

    # the patient tablet never offers files: it says so instead
    tablet = FormRunner(load_questionnaire(shared_questionnaire("06_sdc_all_data_types.json")),
                        content.strings("en"), allow_files=False)
    qtbot.addWidget(tablet)
    notice = tablet.screen.items["id-attachment"]
    assert not hasattr(notice, "choose")
    tablet.dispose()


def test_reference_item_says_it_is_typed_text(qtbot, runner_for, tmp_path, content):
    import json

    from PySide6.QtWidgets import QLabel

    path = tmp_path / "ref.json"
    path.write_text(json.dumps({"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "gp", "type": "reference", "text": "Your family doctor"}]}))
    runner = FormRunner(load_questionnaire(path), content.strings("en"))
    qtbot.addWidget(runner)
    widget = runner.screen.items["gp"]
    texts = [label.text() for label in widget.findChildren(QLabel)]
    assert "Type a name or number. The tablet cannot look up records." in texts
    qtbot.keyClicks(widget.edit, "Dr Ana Lee")
    response, problems = runner.session.submit()
    assert response["item"][0]["answer"] == [{"valueReference": {"display": "Dr Ana Lee"}}]
    runner.dispose()


def test_answer_options_on_string_integer_date_and_time_items_are_buttons(qtbot, tmp_path,
                                                                          content):
    import json

    path = tmp_path / "options.json"
    path.write_text(json.dumps({"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "page", "type": "group", "text": "Options", "item": [
        {"linkId": "side", "type": "string", "text": "Which side?",
         "answerOption": [{"valueString": "Left"}, {"valueString": "Right"}]},
        {"linkId": "nights", "type": "integer", "text": "Nights woken",
         "answerOption": [{"valueInteger": 0}, {"valueInteger": 1}, {"valueInteger": 2}]},
        {"linkId": "visit", "type": "date", "text": "Visit date",
         "answerOption": [{"valueDate": "2026-12-03"}, {"valueDate": "2026-12-10"}]},
        {"linkId": "slot", "type": "time", "text": "Time",
         "answerOption": [{"valueTime": "09:00:00"}, {"valueTime": "14:30:00"}]},
        {"linkId": "where", "type": "string", "text": "Where?",
         "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/"
                               "questionnaire-answerConstraint", "valueCode": "optionsOrString"}],
         "answerOption": [{"valueString": "Back"}, {"valueString": "Neck"}]},
    ]}]}))
    runner = FormRunner(load_questionnaire(path), content.strings("en"))
    qtbot.addWidget(runner)
    runner.resize(1280, 800)
    with qtbot.waitActive(runner):
        runner.show()
    items = runner.screen.items
    assert [b.label_text() for _, b in items["side"].buttons] == ["Left", "Right"]
    assert [b.label_text() for _, b in items["nights"].buttons] == ["0", "1", "2"]
    assert [b.label_text() for _, b in items["slot"].buttons] == ["09:00", "14:30"]
    tap(qtbot, items["side"].buttons[1][1])
    tap(qtbot, items["nights"].buttons[2][1])
    tap(qtbot, items["visit"].buttons[0][1])
    tap(qtbot, items["slot"].buttons[1][1])
    assert items["where"].other is not None  # optionsOrString: the patient may type another
    qtbot.keyClicks(items["where"].other, "Hip")
    response, problems = runner.session.submit()
    answers = {node["linkId"]: node["answer"] for node in response["item"][0]["item"]}
    assert answers["side"] == [{"valueString": "Right"}]
    assert answers["nights"] == [{"valueInteger": 2}]
    assert answers["visit"] == [{"valueDate": "2026-12-03"}]
    assert answers["slot"] == [{"valueTime": "14:30:00"}]
    assert answers["where"] == [{"valueString": "Hip"}]
    runner.dispose()


def test_a_core_value_set_is_shown_as_buttons_and_yes_opens_the_follow_up(qtbot, runner_for):
    runner = runner_for("01_r4_cancer_3141.json")
    widget = runner.screen.items["1.1"]
    assert [button.label_text() for _, button in widget.buttons] == ["Yes", "No", "Don't know"]
    assert "1.1.1.1" not in runner.screen.items or not runner.screen.items["1.1.1.1"].isVisible()
    tap(qtbot, widget.buttons[0][1])
    qtbot.waitUntil(lambda: "1.1.1.1" in runner.screen.items
                    and runner.screen.items["1.1.1.1"].isVisible())
    follow_up = runner.screen.items["1.1.1.1"]
    assert [button.label_text() for _, button in follow_up.buttons] == ["Yes", "No", "Don't know"]


def test_an_option_the_form_toggles_appears_on_the_page_when_its_condition_holds(
        qtbot, qapp, content):
    from kiosk.questionnaire import parse_questionnaire
    from tests.questionnaire.test_prefill import MEDICINES

    apply_theme(qapp)
    form = {**MEDICINES, "item": [{"linkId": "page", "type": "group", "text": "Pain",
                                   "item": MEDICINES["item"][2:]}]}
    runner = FormRunner(parse_questionnaire(form), content.strings("en"))
    qtbot.addWidget(runner)
    runner.resize(1280, 800)
    runner.show()
    where = runner.screen.items["where"]
    assert [b.label_text() for _, b in where.buttons] == ["Low back", "Neck"]
    tap(qtbot, runner.screen.items["knee-trouble"].buttons[True])
    where = runner.screen.items["where"]
    assert [b.label_text() for _, b in where.buttons] == ["Low back", "Neck", "Knee"]
    tap(qtbot, where.buttons[2][1])
    assert runner.session.sheet.get("where")[0].code == "knee"
    tap(qtbot, runner.screen.items["knee-trouble"].buttons[False])
    assert [b.label_text() for _, b in where.buttons] == ["Low back", "Neck"]
    assert runner.session.sheet.get("where") == []
    runner.dispose()


def test_the_keyboard_is_built_when_a_text_field_is_first_tapped(qtbot, runner_for):
    """A form starts without its on-screen keyboard; tapping a number field opens it under
    the page, and keys typed on it go into the field; on the next page it is still there."""
    runner = runner_for("37_rkof_number_validation.json")
    assert runner.keyboard is None
    widget = runner.screen.items[runner.session.page_id]
    tap(qtbot, widget.edit)
    qtbot.waitUntil(lambda: runner.keyboard is not None and runner.keyboard.isVisible())
    assert runner.keyboard.target() is widget.edit
    keyboard = runner.keyboard
    assert keyboard.geometry().top() >= runner.host.geometry().bottom()  # under the page
    digit = next(k for k in keyboard.findChildren(QPushButton)
                 if k.property("keyId") == "7" and k.isVisible())
    tap(qtbot, digit)
    assert widget.edit.text() == "7"
    tap(qtbot, runner.next_button)
    assert runner.keyboard is keyboard and not keyboard.isVisible()


def test_a_text_the_form_computes_changes_on_screen_as_answers_are_typed(qtbot, tmp_path,
                                                                         content):
    """cqf-expression on ``_text`` (Smart Forms' calculated display): the patient sees the
    words the form computes from the answers, and the fixed text until there are any."""
    import json

    cqf = "http://hl7.org/fhir/StructureDefinition/cqf-expression"
    path = tmp_path / "dynamic.json"
    path.write_text(json.dumps({"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "page", "type": "group", "text": "Pain", "item": [
            {"linkId": "a", "type": "integer", "text": "Pain now (0-10)"},
            {"linkId": "b", "type": "integer", "text": "Worst pain this week (0-10)"},
            {"linkId": "sum", "type": "display", "text": "Your total appears here",
             "_text": {"extension": [{"url": cqf, "valueExpression": {
                 "language": "text/fhirpath", "expression":
                 "'Your total is ' + (%resource.repeat(item).where(linkId='a').answer.value"
                 " + %resource.repeat(item).where(linkId='b').answer.value).toString()"}}]}},
        ]}]}))
    runner = FormRunner(load_questionnaire(path), content.strings("en"))
    qtbot.addWidget(runner)
    runner.resize(1280, 800)
    with qtbot.waitActive(runner):
        runner.show()
    items = runner.screen.items
    shown = items["sum"].words
    assert shown.isVisible() and shown.text() == "Your total appears here"
    qtbot.keyClicks(items["a"].edit, "3")
    qtbot.keyClicks(items["b"].edit, "4")
    qtbot.waitUntil(lambda: shown.text() == "Your total is 7")
    items["a"].edit.clear()
    qtbot.keyClicks(items["a"].edit, "9")
    qtbot.waitUntil(lambda: shown.text() == "Your total is 13")
    runner.dispose()


def test_a_forms_own_validation_message_is_shown_next_to_its_item(qtbot, qapp, content):
    """ResearchKitOnFHIR's validationtext: the form's words, not the kiosk's."""
    from kiosk.questionnaire import parse_questionnaire

    apply_theme(qapp)
    form = parse_questionnaire({"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "age", "type": "integer", "text": "How old are you?", "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 18},
            {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 120},
            {"url": "http://biodesign.stanford.edu/fhir/StructureDefinition/validationtext",
             "valueString": "Please enter a valid age."}]},
        {"linkId": "next", "type": "boolean", "text": "Anything else?"}]})
    runner = FormRunner(form, content.strings("en"))
    qtbot.addWidget(runner)
    runner.resize(1280, 800)
    runner.show()
    widget = runner.screen.items["age"]
    qtbot.keyClicks(widget.edit, "5")
    tap(qtbot, runner.next_button)
    assert widget.error.isVisible()
    assert widget.error.text() == "Please enter a valid age."
    widget.edit.clear()
    qtbot.keyClicks(widget.edit, "40")
    assert not widget.error.isVisible()
    runner.dispose()


def test_a_calculated_month_shows_its_year_and_month_and_no_day(qtbot, qapp, content):
    from kiosk.questionnaire import parse_questionnaire

    apply_theme(qapp)
    form = parse_questionnaire({"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "last", "type": "date", "text": "Last injection", "readOnly": True,
         "extension": [{"url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
                               "sdc-questionnaire-calculatedExpression",
                        "valueExpression": {"language": "text/fhirpath",
                                            "expression": "@2010-04"}}]}]})
    runner = FormRunner(form, content.strings("en"))
    qtbot.addWidget(runner)
    runner.resize(1280, 800)
    runner.show()
    widget = runner.screen.items["last"]
    assert widget.field.value() == (2010, 4, None)
    runner.dispose()
