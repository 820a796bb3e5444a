"""What a screen-reader user is told and can reach: the idle guard counts accessibility
actions, dialogs are modal, announced and focused, pickers say their value, and problems
are announced, focused and described on the field until fixed."""

import datetime as dt

import pytest
from PySide6.QtGui import QAccessibleActionInterface
from PySide6.QtWidgets import QApplication

from kiosk.intake.idle import IdleEvent
from kiosk.intake.records import Step, StepKind
from kiosk.ui import accessibility
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.touch import button
from tests.helpers.accessible import (
    PRESS,
    TOGGLE,
    Role,
    act,
    description,
    find,
    find_all,
    interface,
)

pytestmark = pytest.mark.gui

BORN = dt.date(1958, 3, 14)


@pytest.fixture
def announcements(monkeypatch):
    """What the screen reader is told (each announcement still goes to Qt)."""
    said: list[str] = []
    real = accessibility.announce

    def recording(widget, text, assertive=True):
        said.append(text)
        real(widget, text, assertive)

    monkeypatch.setattr(accessibility, "announce", recording)
    return said


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_accessibility_actions_count_as_activity_for_the_idle_guard(qapp, qtbot):
    """Issue 15: actions every 2 s still raised "Are you still there?"."""
    clock = FakeClock()
    watcher = IdleWatcher(1000, 1000, clock=clock)
    qapp.installEventFilter(watcher)
    try:
        target = button("Next")
        qtbot.addWidget(target)
        target.show()
        watcher.arm()
        for _ in range(5):  # an action every 0.9 s: never a second of quiet
            clock.now += 0.9
            assert watcher.rules.poll() is None
            act(interface(target), PRESS)
        clock.now += 1.0
        assert watcher.rules.poll() is IdleEvent.WARN  # quiet at last: the question comes
        with qtbot.waitSignal(watcher.resumed):  # and an action answers it
            act(interface(target), PRESS)
        assert not watcher.warning
    finally:
        qapp.removeEventFilter(watcher)


SET_FOCUS = QAccessibleActionInterface.setFocusAction()


def test_focus_moves_alone_keep_the_session_and_quiet_resets_it(make_window, qtbot):
    """Issue 15: a screen-reader user who only moves focus from control to control (the
    reader's "grab focus", no tap, no key) was asked "Are you still there?" and reset."""
    window = make_window(idle_seconds=10, warning_seconds=5)
    window.start_patient("en")
    clock = FakeClock()
    window.idle.rules.clock = clock
    window.idle.still_here()  # the quiet spell starts on the fake clock
    flow = window.flow
    controls = [find(flow, Role.Button, "Start over"), find(flow, Role.Button, "Next")]
    with qtbot.assertNotEmitted(window.idle.warn):
        for step in range(12):  # a focus move every 4 s of a 10 s idle period, for 48 s
            clock.now += 4
            window.idle.poll()
            act(controls[step % 2], SET_FOCUS)
            assert QApplication.focusWidget() is controls[step % 2].object()
    assert window.flow is flow and not window.idle_overlay.isVisible()
    clock.now += 10  # then nothing at all: the question, then the reset
    window.idle.poll()
    assert window.idle_overlay.isVisible()
    clock.now += 5
    with qtbot.waitSignal(window.patient_reset):
        window.idle.poll()
    assert window.flow is None


def test_the_warning_taking_focus_does_not_answer_it(qapp, qtbot):
    """Focus the kiosk gives (the warning's own button) is no patient: only a press ends
    the warning."""
    clock = FakeClock()
    watcher = IdleWatcher(1000, 1000, clock=clock)
    watcher.watch(qapp)
    try:
        first, second = button("Next"), button("I'm still here")
        for widget in (first, second):
            qtbot.addWidget(widget)
            widget.show()
        watcher.arm()
        clock.now += 1.0
        assert watcher.rules.poll() is IdleEvent.WARN
        with qtbot.assertNotEmitted(watcher.resumed):
            second.setFocus()
            watcher.on_focus_changed(first, second)
        assert watcher.warning
    finally:
        qapp.removeEventFilter(watcher)
        qapp.focusChanged.disconnect(watcher.on_focus_changed)


def test_the_idle_warning_is_a_modal_dialog_announced_with_focus_on_its_button(
        make_window, qtbot, announcements):
    window = make_window(idle_seconds=0.2, warning_seconds=60)
    window.start_patient("es")
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=3000)
    dialog = interface(window.idle_overlay.dialog)
    assert dialog.role() == Role.Dialog and dialog.state().modal
    assert dialog.text(accessibility.QAccessible.Text.Name) == "¿Sigue ahí?"
    assert "segundos" in description(dialog)
    assert window.still_here.hasFocus()
    assert any(text.startswith("¿Sigue ahí?") and "segundos" in text for text in announcements)
    # nothing behind it can be used, by a tap, Tab or an accessibility action
    behind = interface(window.flow.next_button)
    assert behind.state().disabled
    assert behind.actionInterface().actionNames() == []
    act(find(window.idle_overlay, Role.Button, "Sigo aquí"), PRESS)
    assert not window.idle_overlay.isVisible()
    assert window.flow.next_button.isEnabled()


def test_start_over_is_modal_and_focused(patient, qtbot, announcements):
    patient.start()
    flow = patient.flow
    act(find(flow, Role.Button, "Start over"), PRESS)
    qtbot.waitUntil(flow.confirm_restart.isVisible)
    assert not patient.screen.first_name.isEnabled()
    assert QApplication.focusWidget() in flow.confirm_restart.findChildren(type(
        flow.start_over))
    assert announcements[-1] == flow.confirm_restart.heading.text()
    act(find(flow.confirm_restart, Role.Button, "No, go back"), PRESS)
    qtbot.waitUntil(lambda: not flow.confirm_restart.isVisible())
    assert patient.screen.first_name.isEnabled()


def test_a_picker_says_what_was_picked_and_its_panel_is_modal(window, qtbot):
    window.start_patient("es")
    screen = window.flow.screen
    month = find(screen, Role.Button, "Mes")
    act(month, PRESS)
    panel = screen.birth.month.panel
    qtbot.waitUntil(lambda: panel is not None and panel.isVisible())
    assert not screen.first_name.isEnabled()  # the screen behind cannot be used
    assert find(panel, Role.Button, "Cerrar")  # the ✕, in the patient's language
    act(find(panel, Role.CheckBox, "marzo"), TOGGLE)
    assert screen.birth.month.accessibleName() == "Mes, marzo"
    assert find(screen, Role.Button, "Mes, marzo")
    assert screen.first_name.isEnabled()
    assert window.flow.session.patient.birth_month == 3


def test_a_required_question_says_why_focuses_the_answer_and_clears_after_the_fix(
        patient, qtbot, announcements):
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    message = "Please answer this question. Your care team needs the answer to keep you safe."
    act(find(patient.flow, Role.Button, "Next"), PRESS)
    qtbot.waitUntil(lambda: patient.screen.banner.isVisible())
    assert message in announcements[-1]
    widget = patient.screen.items["blood-thinners"]
    focused = QApplication.focusWidget()
    assert focused is widget.focus_target() and focused in widget.controls()
    node = interface(focused)
    assert message in description(node) and node.state().invalid
    first_none = find_all(widget, Role.CheckBox, "None of these")[0]  # the supplements' next
    act(first_none, TOGGLE)
    assert not patient.screen.banner.isVisible()  # gone once fixed
    assert message not in description(node) and not node.state().invalid


def test_a_missing_name_is_announced_and_the_banner_takes_focus_not_the_field(
        patient, qtbot, announcements):
    """Focus on a text field would open the keyboard over the message: the banner has it."""
    patient.start()
    screen = patient.screen
    act(find(patient.flow, Role.Button, "Next"), PRESS)
    qtbot.waitUntil(screen.banner.isVisible)
    assert QApplication.focusWidget() is screen.banner
    assert screen.banner.text() in announcements[-1]
    assert screen.errors["first_name"].text() in announcements[-1]
    assert screen.errors["first_name"].text() in screen.first_name.accessibleDescription()
    name = find(screen, Role.EditableText, "First name")
    name.editableTextInterface().insertText(0, "Rosa")
    assert not screen.errors["first_name"].isVisible()
    assert screen.errors["first_name"].text() not in screen.first_name.accessibleDescription()


def test_confirm_without_a_signature_is_announced(window, qtbot, announcements):
    from kiosk.demo.answers import fill_demo_session

    window.start_patient("en")
    flow = window.flow
    fill_demo_session(flow.service)
    flow.service.session.sign(None)
    flow.service.session.current = Step(StepKind.CONFIRM)
    flow.show_step()
    act(find(flow, Role.Button, "I confirm. Send my answers."), PRESS)
    qtbot.waitUntil(flow.screen.error.isVisible)
    assert "Please sign in the box with your finger." in announcements[-1]
