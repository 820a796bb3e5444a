"""The idle rules with a fake clock: no real waits."""

import pytest

from kiosk.intake.idle import IdleClock, IdleEvent


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_quiet_then_warning_then_reset():
    clock = Clock()
    idle = IdleClock(120, 30, clock)
    idle.arm()
    clock.now = 119.9
    assert idle.poll() is None
    clock.now = 120
    assert idle.poll() is IdleEvent.WARN and idle.seconds_left() == 30
    clock.now = 121
    assert idle.poll() is IdleEvent.TICK and idle.seconds_left() == 29
    assert idle.poll() is None  # once a second, not once a poll
    clock.now = 150
    assert idle.poll() is IdleEvent.EXPIRED
    assert not idle.armed and idle.poll() is None


def test_activity_before_the_warning_restarts_the_quiet_spell():
    clock = Clock()
    idle = IdleClock(120, 30, clock)
    idle.arm()
    clock.now = 100
    assert idle.activity(press=False) is False  # a move counts before the warning
    clock.now = 219
    assert idle.poll() is None
    clock.now = 220
    assert idle.poll() is IdleEvent.WARN


def test_a_key_or_tap_during_the_warning_keeps_the_patient_a_move_does_not():
    clock = Clock()
    idle = IdleClock(10, 5, clock)
    idle.arm()
    clock.now = 10
    assert idle.poll() is IdleEvent.WARN
    assert idle.activity(press=False) is False and idle.warning
    clock.now = 12
    assert idle.activity(press=True) is True and not idle.warning
    clock.now = 16  # past the old warning's end: nothing happens
    assert idle.poll() is None
    clock.now = 22
    assert idle.poll() is IdleEvent.WARN


def test_a_disarmed_clock_never_fires_and_bad_times_are_refused():
    clock = Clock()
    idle = IdleClock(1, 1, clock)
    clock.now = 100
    assert idle.poll() is None and idle.activity(press=True) is False
    with pytest.raises(ValueError):
        IdleClock(-1, 5, clock)
