"""The sign-in screen checks a PIN (argon2, about 0.4 s) on a worker thread: the kiosk keeps
drawing, a second tap starts nothing, a closed screen ignores the late answer."""

import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt, QTimer

from kiosk.staff.access import COMMAND_LINE, FREE_ATTEMPTS
from kiosk.storage.pin_checks import PinCheck
from tests.helpers.staff import StaffUser

pytestmark = pytest.mark.gui

PIN = "482913"


@pytest.fixture
def staff(qtbot, window):
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    return StaffUser(qtbot, window)


@pytest.fixture
def gate(monkeypatch):
    """PIN checks wait for ``gate.open.set()``; ``gate.calls`` counts them, and
    ``gate.threads`` names the threads they ran on."""

    class Gate:
        open = threading.Event()
        calls = 0
        threads: list[str] = []

    real_run = PinCheck.run

    def held_run(check):
        Gate.calls += 1
        Gate.threads.append(threading.current_thread().name)
        assert Gate.open.wait(20), "the test never let the PIN check finish"
        return real_run(check)

    monkeypatch.setattr(PinCheck, "run", held_run)
    yield Gate
    Gate.open.set()  # a test that failed early leaves no worker waiting


def fill_in(staff, name, pin):
    area = staff.window.staff or staff.open_staff_mode()
    screen = area.sign_in
    staff.type_on_screen(screen, screen.name, name)
    staff.type_on_screen(screen, screen.pin, pin)
    return area, screen


def sign_in_rows(window):
    return [(e.actor, e.success) for e in window.store.audit_events(COMMAND_LINE)
            if e.action == "sign_in"]


def test_the_screen_keeps_drawing_while_the_pin_is_checked(staff, window, gate, qtbot):
    area, screen = fill_in(staff, "Kim", PIN)
    staff.tap(screen.submit_button)
    qtbot.waitUntil(lambda: gate.calls == 1)
    assert screen.checking
    assert not screen.submit_button.isEnabled()
    assert screen.submit_button.text() == "Checking…"
    assert screen.pin.isReadOnly() and screen.name.isReadOnly()
    assert gate.threads[0] != threading.current_thread().name  # not the GUI thread
    ticks = QTimer()
    ticks.setInterval(5)
    ticks.start()
    with qtbot.waitSignal(ticks.timeout, timeout=2000):  # the event loop runs meanwhile
        pass
    ticks.stop()
    assert area.queue is None and screen.checking  # still waiting for the check
    with qtbot.waitSignal(screen.signed_in, timeout=20_000) as signed:
        gate.open.set()
    actor = signed.args[0]
    assert (actor.name, actor.role) == ("Kim", "front_desk")
    assert actor.account_id == window.store.models.StaffAccount.get().id
    qtbot.waitUntil(lambda: area.queue is not None and area.queue.isVisible())
    assert sign_in_rows(window) == [("Kim", True)]


@pytest.mark.real_pin_hash  # the kiosk's own argon2 cost, not the suite's cheap one
def test_at_the_real_argon2_cost_a_timer_fires_during_the_check(staff, window, qtbot):
    area, screen = fill_in(staff, "Kim", PIN)
    ticks_while_checking = []
    ticks = QTimer()
    ticks.setInterval(10)
    ticks.timeout.connect(lambda: ticks_while_checking.append(1) if screen.checking else None)
    ticks.start()
    with qtbot.waitSignal(screen.signed_in, timeout=30_000) as signed:
        staff.tap(screen.submit_button)
        assert screen.submit_button.text() == "Checking…"
    ticks.stop()
    assert signed.args[0].name == "Kim"
    assert ticks_while_checking  # the GUI thread was free during argon2


def test_a_wrong_pin_is_refused_counted_and_leads_to_the_lockout(staff, window, qtbot):
    attempt = window.store.models.SignInAttempt
    for tries in range(1, FREE_ATTEMPTS + 1):
        area, screen = fill_in(staff, "Kim", "111111")
        with qtbot.assertNotEmitted(screen.signed_in):
            staff.submit(screen)
        assert area.queue is None
        assert screen.message.text() == "That name and PIN do not match. Please try again."
        assert screen.pin.text() == "" and not screen.pin.isReadOnly()
        assert screen.pin.hasFocus()
        assert screen.submit_button.isEnabled() and screen.submit_button.text() == "Sign in"
        assert attempt.get(attempt.name_key == "kim").failures == tries
        screen.name.clear()
    assert sign_in_rows(window) == [("Kim", False)] * FREE_ATTEMPTS
    area, screen = fill_in(staff, "Kim", PIN)  # now even the right PIN waits
    staff.submit(screen)
    assert area.queue is None
    assert screen.message.text().startswith("Too many wrong PINs. Please wait 30 seconds")


def test_a_second_tap_or_enter_during_the_check_starts_nothing(staff, window, gate, qtbot):
    area, screen = fill_in(staff, "Kim", PIN)
    emitted = []
    screen.signed_in.connect(emitted.append)
    staff.tap(screen.submit_button)
    qtbot.waitUntil(lambda: gate.calls == 1)
    qtbot.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)  # a finger again
    screen.submit_button.click()
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
    screen.keyboard.done.emit()
    screen.on_submit()
    qtbot.keyClicks(screen.pin, "7")  # the PIN cannot change meanwhile
    assert not screen.keyboard.isEnabled()
    assert screen.pin.text() == PIN
    with qtbot.waitSignal(screen.signed_in, timeout=20_000):
        gate.open.set()
    qtbot.waitUntil(lambda: area.queue is not None)
    qtbot.wait(50)  # a second result, had one been started, would arrive here
    assert gate.calls == 1 and len(emitted) == 1
    assert sign_in_rows(window) == [("Kim", True)]


def test_a_check_that_ends_after_staff_mode_closed_signs_nobody_in(staff, window, gate, qtbot):
    area, screen = fill_in(staff, "Kim", PIN)
    emitted = []
    screen.signed_in.connect(emitted.append)
    staff.tap(screen.submit_button)
    qtbot.waitUntil(lambda: gate.calls == 1)
    staff.tap(screen.cancel_button)  # the cancel button stays usable
    assert window.staff is None
    gate.open.set()
    # the attempt is still recorded as before (audited, counts reset by the right PIN) ...
    qtbot.waitUntil(lambda: sign_in_rows(window) == [("Kim", True)], timeout=20_000)
    qtbot.wait(50)
    # ... but nobody is signed in, and the next staff mode starts at sign-in
    assert emitted == []
    assert window.staff is None
    again = staff.open_staff_mode()
    assert again.queue is None and again.actor is None and not again.sign_in.checking


def test_a_check_that_ends_after_the_screen_was_hidden_changes_nothing_on_it(
        staff, window, gate, qtbot):
    area, screen = fill_in(staff, "Kim", "111111")
    staff.tap(screen.submit_button)
    qtbot.waitUntil(lambda: gate.calls == 1)
    screen.hide()  # reset while checking: the screen is ready again, the check forgotten
    assert not screen.checking and screen.submit_button.isEnabled()
    assert screen.pin.text() == "" and not screen.pin.isReadOnly()
    gate.open.set()
    qtbot.waitUntil(lambda: sign_in_rows(window) == [("Kim", False)], timeout=20_000)
    qtbot.wait(50)
    assert screen.message.isHidden()  # no late "wrong PIN" on a screen shown anew
    assert area.queue is None
