"""A screen reader can drive the kiosk: every control has a name, focus follows reading order."""

import pytest
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLineEdit, QWidget

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.records import Step, StepKind
from kiosk.staff.access import StaffActor
from kiosk.ui.touch import ChoiceButton
from tests.ui.test_staff import submit_intake

pytestmark = pytest.mark.gui

CONTROLS = (QAbstractButton, QLineEdit, QAbstractSpinBox)


def spoken_name(widget: QWidget) -> str:
    """What a screen reader announces: the accessible name, else a button's own text."""
    name = widget.accessibleName().strip()
    if not name and isinstance(widget, QAbstractButton):
        name = widget.text().strip()
    return name


def unnamed_controls(root: QWidget) -> list[str]:
    return [f"{type(w).__name__} {w.objectName()!r}" for w in root.findChildren(QWidget)
            if isinstance(w, CONTROLS) and w.isVisibleTo(root) and not spoken_name(w)
            and not w.objectName().startswith("qt_")]  # Qt's own parts of a named control


def every_patient_step(window):
    window.start_patient("en")
    flow = window.flow
    fill_demo_session(flow.session)
    for step in flow.session.steps():
        flow.session.current = step
        flow.show_step()
        yield step, flow


def test_every_control_on_every_patient_screen_has_a_name(make_window):
    window = make_window()
    assert unnamed_controls(window.welcome) == []
    seen = 0
    for step, flow in every_patient_step(window):
        assert unnamed_controls(flow) == [], step
        # an answer says which question it answers (read after its name)
        for choice in flow.screen.findChildren(ChoiceButton):
            if choice.isVisibleTo(flow.screen):
                assert choice.accessibleDescription().strip(), (step, choice.label_text())
        seen += 1
    assert seen > 20


def test_every_control_on_the_staff_screens_has_a_name(make_window):
    window = make_window()
    submit_intake(window, "Rosa", "Delgado")
    window.open_staff()
    area = window.staff
    area.on_signed_in(StaffActor("Kim", "admin"))
    assert unnamed_controls(area) == []
    area.open_intake(1)
    assert unnamed_controls(area) == []


def focus_chain(root: QWidget) -> list[QWidget]:
    chain, widget = [], root.nextInFocusChain()
    while widget is not root and len(chain) < 500:
        if widget.isVisibleTo(root) and widget.focusPolicy() and root.isAncestorOf(widget):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def test_focus_moves_top_to_bottom_on_the_question_screens(make_window):
    """Tab order follows reading order: each control starts no higher than the one before."""
    window = make_window()
    window.resize(1280, 800)
    for step, flow in every_patient_step(window):
        if step.kind not in (StepKind.QUESTIONS, StepKind.TEACH_BACK, StepKind.CHECK_IN):
            continue
        screen = flow.screen
        screen.resize(1280, 4000)  # everything laid out, nothing scrolled
        screen.layout().activate()
        positions = [w.mapTo(screen, w.rect().topLeft()) for w in focus_chain(screen)]
        assert positions, step
        for before, after in zip(positions, positions[1:], strict=False):
            assert after.y() >= before.y() - 4, (step, before, after)
    assert Step(StepKind.REVIEW) in flow.session.steps()
