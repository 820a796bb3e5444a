"""What the patient must see without hunting: whole dialog titles, a validation message
brought into view, the send button on the screen, buttons that stay under the finger
(issue 12.3, 12.5)."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from kiosk.content.teach_back import UNSURE
from kiosk.intake.records import Step, StepKind
from kiosk.ui.theme import TEXT_SIZES
from kiosk.ui.touch import ChoiceButton
from tests.helpers.geometry import layout_problems
from tests.helpers.taps import scroll_to

pytestmark = pytest.mark.gui

SIZES = pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])


@SIZES
@pytest.mark.parametrize("text_size", TEXT_SIZES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_start_over_question_is_shown_whole_at_every_text_size(
        patient, window, themed, size, text_size, language):
    themed(text_size)
    window.resize(*size)
    if language == "es":
        patient.tap(window.welcome.language_buttons.buttons()[1])
    patient.start()
    patient.tap(patient.flow.start_over)
    dialog = patient.flow.confirm_restart
    QApplication.processEvents()
    heading = dialog.heading
    assert heading.isVisible() and heading.text().startswith(("Start over?", "¿"))
    assert heading.heightForWidth(heading.width()) <= heading.height()
    assert dialog.dialog.geometry().top() >= 0
    assert dialog.dialog.geometry().bottom() <= dialog.height()
    assert layout_problems(dialog) == []


def in_view(widget) -> bool:
    """``widget`` shows in its scroll area's viewport (a part of it at least, and not
    hidden), as the patient sees it."""
    screen = widget.window()
    area = screen.flow.host
    top_left = widget.mapTo(area.viewport(), widget.rect().topLeft())
    shown = area.viewport().rect().intersected(widget.rect().translated(top_left))
    return widget.isVisible() and not widget.visibleRegion().isEmpty() \
        and shown.height() >= min(widget.height(), 20)


def fully_in_view(widget) -> bool:
    area = widget.window().flow.host
    top_left = widget.mapTo(area.viewport(), widget.rect().topLeft())
    return area.viewport().rect().contains(widget.rect().translated(top_left))


def on_screen(widget) -> tuple[int, int]:
    return widget.mapToGlobal(widget.rect().topLeft()).toTuple()


BORN = dt.date(1958, 3, 14)


@SIZES
def test_next_without_a_procedure_brings_the_message_into_view_and_the_cards_stay_put(
        patient, window, qtbot, size):
    window.resize(*size)
    patient.start()
    screen = patient.screen
    patient.type_into(screen.first_name, "Rosa")
    patient.type_into(screen.last_name, "Delgado")
    patient.close_keyboard()
    patient.pick(screen.birth.month, "March")
    patient.pick(screen.birth.day, "14")
    patient.pick(screen.birth.year, "1958")
    patient.flow.host.verticalScrollBar().setValue(0)  # back at the top, where Next is tapped
    patient.tap(patient.flow.next_button)
    message = screen.errors["procedure"]
    assert patient.errors() == [
        "Please tap the procedure you are here for. If you are not sure, ask the front desk."]
    qtbot.waitUntil(lambda: in_view(message))
    qtbot.waitUntil(lambda: layout_problems(screen) == [])  # the cards have their room
    before = {c.title.text(): on_screen(c) for c in screen.cards.values() if in_view(c)}
    card = next(c for c in screen.cards.values() if fully_in_view(c))
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)  # where it is: the message goes
    QApplication.processEvents()
    assert patient.errors() == [] and card.isChecked()
    assert before and {c.title.text(): on_screen(c) for c in screen.cards.values()
                       if c.title.text() in before} == before  # nothing moved


def test_answers_stay_under_the_finger_when_a_message_goes(patient, qtbot):
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    patient.choose("None of these")
    patient.next()
    patient.answer_yes_no("bleeding", False)
    patient.next()
    patient.choose("None of these")
    patient.next()
    assert patient.step.link_id == "infection"
    patient.next()  # nothing answered: a message under each required question
    required = len(patient.errors())
    assert required >= 3
    antibiotics_no = next(b for b in patient.screen.items["antibiotics"].findChildren(
        ChoiceButton) if b.label_text() == "No")
    fever_no = next(b for b in patient.screen.items["fever-infection"].findChildren(
        ChoiceButton) if b.label_text() == "No")
    scroll_to(fever_no)
    where = on_screen(antibiotics_no)
    qtbot.mouseClick(fever_no, Qt.MouseButton.LeftButton)  # answered: its message goes
    QApplication.processEvents()
    assert len(patient.errors()) == required - 1
    assert on_screen(antibiotics_no) == where


@SIZES
@pytest.mark.parametrize("text_size", TEXT_SIZES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_send_button_is_on_screen_without_scrolling(
        patient, window, themed, size, text_size, language):
    from kiosk.demo.answers import fill_demo_session

    themed(text_size)
    window.resize(*size)
    if language == "es":
        patient.tap(window.welcome.language_buttons.buttons()[1])
    patient.start()
    fill_demo_session(patient.flow.session)
    patient.flow.session.current = Step(StepKind.CONFIRM)
    patient.flow.show_step()
    QApplication.processEvents()
    send = patient.screen.confirm_button
    assert send.isVisible() and not send.visibleRegion().isEmpty()
    assert window.rect().contains(send.mapTo(window, send.rect().bottomRight()))
    assert send.text().replace("\n", " ") == patient.flow.t("confirm_button")
    assert layout_problems(patient.flow.footer) == []
    patient.sign()
    patient.tap(send)
    patient.qtbot.waitUntil(lambda: patient.step.kind is StepKind.DONE, timeout=10_000)
    assert not send.isVisible() if isValid(send) else True  # it went with its screen


def viewport_span(widget) -> tuple[int, int]:
    """Where ``widget``'s top and bottom are in its scroll area's viewport."""
    area = widget.window().flow.host
    top = widget.mapTo(area.viewport(), widget.rect().topLeft()).y()
    return top, top + widget.height()


@SIZES
@pytest.mark.parametrize("text_size", TEXT_SIZES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_answered_check_stays_in_view_with_its_feedback_below(
        patient, window, themed, qtbot, size, text_size, language):
    themed(text_size)
    window.resize(*size)
    if language == "es":
        patient.tap(window.welcome.language_buttons.buttons()[1])
    patient.start()
    patient.flow.service.choose_procedure("nerve-block")  # straight to the checks
    patient.flow.session.current = Step(StepKind.TEACH_BACK, page=0)
    patient.flow.show_step()
    QApplication.processEvents()
    area = patient.flow.host
    view = area.viewport().height()
    number = 0
    while patient.step.kind is StepKind.TEACH_BACK:
        screen = patient.screen
        check = screen.check
        # the right answer, then "not sure" (the longest feedback: the verdict, the
        # reason, the lines of the explanation it comes from)
        chosen = screen.buttons[check.correct if number % 2 == 0 else UNSURE]
        scroll_to(chosen)  # as the patient would, if it is below the fold
        before = viewport_span(screen.question)[0]  # below 0: dragged off to reach it
        qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda s=screen: s.feedback.isVisible() and bool(s.feedback_texts()))
        for _ in range(3):  # the reveal waits for the feedback to be laid out
            QApplication.processEvents()
        question_top, _ = viewport_span(screen.question)
        feedback_top, feedback_bottom = viewport_span(screen.feedback)
        where = f"check {number + 1}: question at {before} then {question_top}, feedback " \
                f"{feedback_top}..{feedback_bottom} in a {view} px view"
        # the question just answered keeps its top on screen (never moved further up)
        assert question_top >= min(before, 0), where
        if before >= 0:  # a question the patient sees: the feedback as much as fits
            bar = area.verticalScrollBar()  # read again: the one read earlier can be gone
            if feedback_bottom > view and bar.value() < bar.maximum():
                assert question_top <= 24, where  # as far as the question allows
            if feedback_top - question_top < view - 64:  # room under the question:
                assert feedback_top < view - 40, where  # the verdict shows at least
        number += 1
        patient.next()
    assert number >= 2
