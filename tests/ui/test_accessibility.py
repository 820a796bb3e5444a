"""A screen reader can drive the kiosk: every control has a name, focus follows reading order."""

import pytest
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLineEdit, QProgressBar, QWidget

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


def test_tab_goes_header_then_the_screen_then_back_and_next(make_window):
    """Issue 15: Tab went header → footer → content."""
    window = make_window()
    for step, flow in every_patient_step(window):
        if step.kind not in (StepKind.QUESTIONS, StepKind.CHECK_IN, StepKind.LEARN):
            continue
        chain = focus_chain(flow)
        screen = [w for w in chain if flow.screen.isAncestorOf(w)]
        if not screen:
            assert step.kind is StepKind.LEARN  # a page of text only
            continue
        first, last = chain.index(screen[0]), chain.index(screen[-1])
        assert chain.index(flow.start_over) < first, step
        assert last < chain.index(flow.back_button) < chain.index(flow.next_button), step
        assert chain[first:last + 1] == screen, step  # the screen's controls in one run


def test_each_new_page_puts_focus_on_its_heading(make_window):
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.accessibility import role_of

    window = make_window()
    for step, flow in every_patient_step(window):
        if step.kind is StepKind.DONE:
            continue
        focused = QApplication.focusWidget()
        assert focused is not None and flow.screen.isAncestorOf(focused), step
        assert role_of(focused) == QAccessible.Role.Heading, step
        assert focused.text().strip(), step


def test_question_texts_are_headings_and_single_choices_radio_buttons(make_window):
    from PySide6.QtGui import QAccessible

    from kiosk.ui.accessibility import role_of

    window = make_window()
    roles = {}
    for step, flow in every_patient_step(window):
        if step.kind is not StepKind.QUESTIONS:
            continue
        for link_id, widget in flow.screen.items.items():
            if hasattr(widget, "question"):
                assert role_of(widget.question) == QAccessible.Role.Heading, link_id
            for choice in widget.findChildren(ChoiceButton):
                if widget.isAncestorOf(choice) and choice.parentWidget() is not None:
                    roles.setdefault(link_id, set()).add(role_of(choice))
    assert roles["bleeding"] == {QAccessible.Role.RadioButton}  # yes/no
    assert roles["last-food"] == {QAccessible.Role.RadioButton}  # one of several
    assert QAccessible.Role.CheckBox in roles["blood-thinners"]  # all that apply


def test_pain_numbers_carry_their_question(make_window):
    window = make_window()
    for step, flow in every_patient_step(window):
        if step.link_id == "peg":
            rows = [w for k, w in flow.screen.items.items() if k.startswith("peg-")
                    and hasattr(w, "buttons") and isinstance(w.buttons, dict)]
            assert len(rows) == 3
            described = {w.buttons[5].accessibleDescription() for w in rows}
            assert len(described) == 3 and all(described)  # three different questions
            return
    raise AssertionError("no PEG page")


def test_in_spanish_no_accessible_name_is_left_in_english(make_window, content):
    """Issue 15: text size, "High contrast", the pickers' close and "progress" stayed English."""
    english = {v for k, v in content.strings("en").strings.items()
               if v != content.strings("es").strings.get(k)} | {"progress", "close"}
    window = make_window()
    window.welcome.set_language("es")

    def english_names(root):
        return sorted({spoken_name(w) for w in root.findChildren(QWidget)
                       if isinstance(w, (*CONTROLS, QProgressBar)) and w.isVisibleTo(root)
                       and spoken_name(w) in english})

    assert english_names(window.welcome) == []
    window.start_patient("es")
    flow = window.flow
    fill_demo_session(flow.session)
    for step in flow.session.steps():
        flow.session.current = step
        flow.show_step()
        assert english_names(flow) == [], step
    flow.session.current = Step(StepKind.CHECK_IN)
    flow.show_step()
    flow.screen.birth.month.open_panel()
    assert english_names(flow.screen.birth.month.panel) == []
