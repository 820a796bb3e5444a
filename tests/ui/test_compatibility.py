"""The compatibility suite: every published questionnaire loads, renders page by page, is
filled by driving its widgets, submits, and yields a valid R4 QuestionnaireResponse.

The folder comes from $KIOSK_QUESTIONNAIRE_CORPUS when set, so a clinic can run its own
forms through exactly these checks; otherwise ../shared/questionnaires/.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from kiosk.content.core_value_sets import standard_value_sets
from kiosk.questionnaire import Item, load_questionnaire
from kiosk.questionnaire.answers import UNANSWERABLE
from kiosk.questionnaire.presentation import present
from kiosk.ui.form_runner import FormRunner
from kiosk.ui.theme import apply_theme
from kiosk.ui.widgets.items import (
    BooleanWidget,
    ChoiceWidget,
    DateTimeWidget,
    DateWidget,
    QuantityWidget,
    RepeatingTextWidget,
    ScaleWidget,
    TextWidget,
    TimeWidget,
)
from tests.conftest import SHARED_QUESTIONNAIRES
from tests.helpers.taps import pick, tap

pytestmark = pytest.mark.gui

CORPUS = Path(os.environ.get("KIOSK_QUESTIONNAIRE_CORPUS", SHARED_QUESTIONNAIRES))
FILES = sorted(CORPUS.glob("*.json"))
RESPONSE_STATUSES = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}


def sample_number(item: Item) -> str:
    low = float(item.min_value) if isinstance(item.min_value, int | float) else None
    high = float(item.max_value) if isinstance(item.max_value, int | float) else None
    value = 1.0
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    return str(int(value)) if item.type == "integer" or value.is_integer() else str(value)


#: answers that pass the format checks (targetConstraint) published forms put on text fields
FORMATTED_SAMPLES = ("613-555-0123", "K1A 0B1", "test@example.org", "2123456701")


def sample_text(item: Item) -> str:
    if item.type == "url":
        return "https://example.org/test"  # a uri has no spaces
    if item.constraints:
        checks = " ".join(c.expression.lower() for c in item.constraints)
        if "@" in checks:
            return FORMATTED_SAMPLES[2]
        if "[a-vxy]" in checks:
            return FORMATTED_SAMPLES[1]
        if "\\d{3}" in checks or "[0-9]{3}" in checks:
            return FORMATTED_SAMPLES[0]
    text = "Test answer"
    if item.min_length and len(text) < item.min_length:
        text = text.ljust(item.min_length, "x")
    return text[: item.max_length] if item.max_length else text


def sample_year(widget: DateWidget) -> str:
    years = widget.field.year.entries
    today = str(dt.date.today().year)
    return today if today in years else years[len(years) // 2]


def fill(qtbot, widget) -> None:
    """Give ``widget``'s item a valid answer through its own controls."""
    item = widget.item
    if isinstance(widget, BooleanWidget):
        tap(qtbot, widget.buttons[True])
    elif isinstance(widget, ChoiceWidget):
        tap(qtbot, widget.buttons[0][1])
    elif isinstance(widget, ScaleWidget):
        tap(qtbot, next(iter(widget.buttons.values())))
    elif isinstance(widget, RepeatingTextWidget):
        kind = present(item).kind
        qtbot.keyClicks(widget.edits[0], sample_number(item) if kind == "number"
                        else sample_text(item))
        tap(qtbot, widget.add_button)  # a second answer, as a patient with two would
        qtbot.keyClicks(widget.edits[1], sample_number(item) if kind == "number"
                        else sample_text(item) + " 2")
    elif isinstance(widget, QuantityWidget):
        widget.edit.clear()
        qtbot.keyClicks(widget.edit, sample_number(item))
    elif isinstance(widget, TextWidget):
        widget.edit.clear()
        kind = present(item).kind
        qtbot.keyClicks(widget.edit, sample_number(item) if kind == "number" else sample_text(item))
    elif isinstance(widget, DateWidget):  # DateTimeWidget too
        pick(qtbot, widget.field.month, widget.field.month.entries[0])
        pick(qtbot, widget.field.day, "1")
        pick(qtbot, widget.field.year, sample_year(widget))
        if isinstance(widget, DateTimeWidget):
            pick(qtbot, widget.time.hour, "10")
            pick(qtbot, widget.time.minute, "30")
    elif isinstance(widget, TimeWidget):
        pick(qtbot, widget.field.hour, "10")
        pick(qtbot, widget.field.minute, "30")
    else:
        raise AssertionError(f"no way to fill {type(widget).__name__} for {item.link_id}")


def fill_page(qtbot, runner: FormRunner) -> set[str]:
    """Answer every enabled, empty question on the page (required ones first) through its
    widget, until nothing is left; returns the linkIds answered."""
    sheet = runner.session.sheet
    answered: set[str] = set()
    tried: set[str] = set()
    for _ in range(300):  # answering can enable further items
        missing = [p.link_id for p in runner.session.problems() if p.key == "error_required"]
        empty = [
            link_id for link_id, widget in runner.screen.items.items()
            if widget.item.is_question and not widget.item.read_only and widget.isVisible()
            and present(widget.item).kind not in UNANSWERABLE and not sheet.get(link_id)
            and link_id not in tried
        ]
        todo = missing or empty
        if not todo:
            assert not runner.session.problems(), runner.session.problems()
            return answered
        tried.add(todo[0])
        fill(qtbot, runner.screen.items[todo[0]])
        assert sheet.get(todo[0]), f"{todo[0]} still has no answer after filling"
        answered.add(todo[0])
    raise AssertionError("the page keeps asking for more")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_published_form_renders_fills_and_submits(qtbot, qapp, content, path):
    apply_theme(qapp)
    questionnaire = load_questionnaire(path, value_sets=standard_value_sets())
    runner = FormRunner(questionnaire, content.strings("en"))
    qtbot.addWidget(runner)
    runner.resize(1280, 800)
    with qtbot.waitActive(runner):
        runner.show()
        runner.activateWindow()
    response = None
    seen = []
    filled: set[str] = set()
    for _ in range(len(list(questionnaire.walk())) + 2):
        page = runner.session.page()
        assert page is not None, "the form has no page to show"
        seen.append(page.link_id)
        assert runner.screen is not None and runner.screen.isVisible()
        filled |= fill_page(qtbot, runner)
        if runner.session.is_last():
            with qtbot.waitSignal(runner.submitted) as submitted:
                tap(qtbot, runner.next_button)
            response = submitted.args[0]
            break
        tap(qtbot, runner.next_button)
        assert runner.session.page().link_id != page.link_id, "Next did not move on"
    assert response is not None, "never reached the last page"
    assert seen == [p.link_id for p in runner.session.pages()]

    QuestionnaireResponse.model_validate(response)
    assert response["status"] in RESPONSE_STATUSES
    answered = {n["linkId"] for n in _answered_nodes(response.get("item", []))}
    sheet = runner.session.sheet
    for link_id in filled:  # every answer given and still enabled leaves in the response
        if sheet.is_enabled(link_id):
            assert questionnaire.item(link_id).fhir_link_id in answered, link_id
    for item in questionnaire.walk():
        if (item.required and item.is_question and runner.session.sheet.is_enabled(item.link_id)
                and not item.hidden and present(item).kind not in UNANSWERABLE):
            assert item.fhir_link_id in answered, f"required {item.link_id} missing in response"
    runner.dispose()


def _answered_nodes(items):
    for node in items:
        if node.get("answer"):
            yield node
            for answer in node["answer"]:
                yield from _answered_nodes(answer.get("item", []))
        yield from _answered_nodes(node.get("item", []))
