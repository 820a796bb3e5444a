"""How items look on a page: units beside the number, read-only values, repeating groups
that are off, read-only required items, the help mark, one heading per page."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.content.core_value_sets import standard_value_sets
from kiosk.questionnaire import load_questionnaire, parse_questionnaire
from kiosk.questionnaire.load_report import format_report
from kiosk.ui.form_runner import FormRunner
from kiosk.ui.theme import apply_theme
from kiosk.ui.widgets.items.display import HELP_MARK
from tests.helpers.taps import tap

pytestmark = pytest.mark.gui


@pytest.fixture
def run(qtbot, qapp, content):
    apply_theme(qapp)
    made = []

    def make(questionnaire, size=(1280, 800)):
        runner = FormRunner(questionnaire, content.strings("en"))
        qtbot.addWidget(runner)
        runner.resize(*size)
        with qtbot.waitActive(runner):
            runner.show()
            runner.activateWindow()
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.dispose()


def shared(shared_questionnaire, name):
    return load_questionnaire(shared_questionnaire(name), value_sets=standard_value_sets())


def go_to(qtbot, runner, link_id):
    for _ in range(60):
        if runner.session.page_id == link_id:
            return
        runner.session.page_id = link_id  # tests only: straight to the page
        runner.show_page()
    raise AssertionError(link_id)


def beside(field, unit) -> bool:
    """``unit`` on the same line as ``field``, to its right."""
    a = field.mapTo(field.window(), field.rect().topLeft())
    b = unit.mapTo(unit.window(), unit.rect().topLeft())
    return b.x() >= a.x() + field.width() - 1 and abs(
        (b.y() + unit.height() / 2) - (a.y() + field.height() / 2)) < field.height()


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)])
def test_units_show_beside_decimal_and_quantity_fields(qtbot, run, shared_questionnaire, size):
    framingham = run(shared(shared_questionnaire, "12_sdc_framingham_hchd.json"), size)
    go_to(qtbot, framingham, "/8480-6")
    widget = framingham.screen.items["/8480-6"]
    assert widget.unit_label.text() == "mmHg" and widget.unit_label.isVisible()  # UCUM mm[Hg]
    assert beside(widget.edit, widget.unit_label)
    grams = run(shared(shared_questionnaire, "37_rkof_number_validation.json"), size)
    go_to(qtbot, grams, "508db543-88b3-4ce8-809e-1ec9f73b1eb7")
    widget = grams.screen.items["508db543-88b3-4ce8-809e-1ec9f73b1eb7"]
    assert widget.unit_label.text() == "gram" and beside(widget.edit, widget.unit_label)
    kmp = run(shared(shared_questionnaire, "20_adf_kmp_sample_form.json"), size)
    kmp.session.sheet.set("age", [10])  # the form asks the length of children only
    go_to(qtbot, kmp, "measurement")
    widget = kmp.screen.items["measurement"]
    assert widget.unit is not None and beside(widget.edit, widget.unit)  # unitOption: a pick


def test_calculated_and_read_only_items_show_a_value_not_a_field(qtbot, run,
                                                                 shared_questionnaire):
    phq9 = run(shared(shared_questionnaire, "11_sdc_phq9.json"))
    total = phq9.screen.items["H1/TS"]
    assert total.edit.isReadOnly()
    assert total.edit.placeholderText() != "Tap here to type"
    form = run(parse_questionnaire({"resourceType": "Questionnaire", "status": "active",
                                    "item": [{"linkId": "id", "type": "string",
                                              "text": "Your clinic number", "readOnly": True,
                                              "initial": [{"valueString": "C-1042"}]}]}))
    widget = form.screen.items["id"]
    assert widget.edit.isReadOnly() and widget.edit.text() == "C-1042"
    assert "Tap here" not in widget.edit.placeholderText()


MEDS = {"resourceType": "Questionnaire", "status": "active", "item": [
    {"linkId": "page", "type": "group", "text": "Medicines", "item": [
        {"linkId": "takes", "type": "boolean", "text": "Do you take any medicines?"},
        {"linkId": "med", "type": "group", "repeats": True, "text": "Medicine",
         "enableWhen": [{"question": "takes", "operator": "=", "answerBoolean": True}],
         "item": [{"linkId": "med-name", "type": "string", "text": "Name"}]}]}]}


def add_buttons(runner):
    return [b for b in runner.screen.findChildren(QPushButton) if b.objectName() == "AddAnother"]


def test_a_repeating_group_that_is_off_offers_no_add_another(qtbot, run):
    runner = run(parse_questionnaire(MEDS))
    assert not any(b.isVisible() for b in add_buttons(runner))
    takes = runner.screen.items["takes"]
    tap(qtbot, takes.buttons[True])
    assert [b.isVisible() for b in add_buttons(runner)] == [True]
    tap(qtbot, add_buttons(runner)[0])
    assert runner.session.sheet.instances("med") == 2
    tap(qtbot, takes.buttons[False])
    assert not any(b.isVisible() for b in add_buttons(runner))
    assert not any(w.isVisible() for (link_id, _), w in runner.screen.widgets.items()
                   if link_id in ("med", "med-name"))


READ_ONLY_REQUIRED = {"resourceType": "Questionnaire", "status": "active",
                      "url": "urn:test:ro", "item": [
    {"linkId": "page", "type": "group", "text": "Visit", "item": [
        {"linkId": "clinic-id", "type": "string", "text": "Clinic number", "required": True,
         "readOnly": True},
        {"linkId": "pain", "type": "integer", "text": "Pain today (0-10)"}]}]}


def test_a_read_only_required_item_left_empty_neither_blocks_nor_claims_completed(qtbot, run):
    questionnaire = parse_questionnaire(READ_ONLY_REQUIRED)
    runner = run(questionnaire)
    assert runner.session.is_last()
    with qtbot.waitSignal(runner.submitted) as submitted:
        tap(qtbot, runner.next_button)  # Submit: not stopped by what the patient cannot fill
    response = submitted.args[0]
    assert response["status"] == "in-progress"  # completed would lack a required answer
    QuestionnaireResponse.model_validate(response)
    assert "item clinic-id: required, but read-only or hidden with nothing to fill it" in \
        format_report(questionnaire)


def test_a_filled_form_is_completed(qtbot, run):
    form = {**READ_ONLY_REQUIRED, "item": [{**READ_ONLY_REQUIRED["item"][0], "item": [
        {**READ_ONLY_REQUIRED["item"][0]["item"][0], "initial": [{"valueString": "C-1"}]}]}]}
    runner = run(parse_questionnaire(form))
    with qtbot.waitSignal(runner.submitted) as submitted:
        tap(qtbot, runner.next_button)
    assert submitted.args[0]["status"] == "completed"


def test_help_text_has_a_mark_the_font_can_draw(qtbot, run, shared_questionnaire):
    kmp = run(shared(shared_questionnaire, "20_adf_kmp_sample_form.json"))
    go_to(qtbot, kmp, "open-choice-dialog-select")
    helps = [w for w in kmp.screen.findChildren(QLabel) if w.text().startswith(HELP_MARK)]
    assert helps, "the page's help text is shown with its mark"
    for label in helps:
        assert QFontMetrics(label.font()).inFontUcs4(ord(HELP_MARK)), label.font().family()


def test_a_repeating_group_page_says_its_heading_once(qtbot, run, shared_questionnaire):
    kmp = run(shared(shared_questionnaire, "20_adf_kmp_sample_form.json"))
    go_to(qtbot, kmp, "repeated-group")
    texts = [w.text() for w in kmp.screen.findChildren(QLabel) if w.isVisible()]
    assert texts.count("Repeated Group") == 1
    tap(qtbot, add_buttons(kmp)[0])  # two instances: each says which it is
    texts = [w.text() for w in kmp.screen.findChildren(QLabel) if w.isVisible()]
    assert texts.count("Repeated Group") == 1
    assert any(t.startswith("Repeated Group") and "2" in t for t in texts)


def test_a_spanish_patient_types_and_reads_decimals_with_a_comma(qtbot, qapp, content):
    """2,3 in Spanish, not 2.3 (issue 13.12); the digit pad's point is still accepted."""
    form = parse_questionnaire({"resourceType": "Questionnaire", "status": "active",
                                "item": [{"linkId": "temp", "type": "decimal",
                                          "text": "Temperatura"}]})
    runner = FormRunner(form, content.strings("es"))
    qtbot.addWidget(runner)
    runner.show()
    widget = runner.screen.items["temp"]
    qtbot.keyClicks(widget.edit, "37,5")
    assert runner.session.sheet.get("temp") == [37.5]
    widget.edit.clear()
    qtbot.keyClicks(widget.edit, "36.8")
    assert runner.session.sheet.get("temp") == [36.8]
    runner.session.sheet.set("temp", [38.2])
    widget.sync()
    assert widget.edit.text() == "38,2"
    runner.dispose()
