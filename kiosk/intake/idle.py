"""When a quiet kiosk asks "Are you still there?" and when it gives up: plain Python, driven
by whatever clock it is given (the window's Qt timer in the kiosk; a fake clock in tests).

``IdleClock`` is told of activity and polled; ``poll`` says what has happened since the
last poll: the warning began, a second passed during it, or time ran out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from enum import Enum


class IdleEvent(Enum):
    WARN = "warn"  # the warning begins
    TICK = "tick"  # another second of the warning went by
    EXPIRED = "expired"  # no answer to the warning: reset


class IdleClock:
    def __init__(self, idle_seconds: float, warning_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if idle_seconds <= 0 or warning_seconds < 0:
            raise ValueError("idle times must be positive")
        self.idle_seconds = idle_seconds
        self.warning_seconds = warning_seconds
        self.clock = clock
        self.armed = False
        self.warning = False
        self._last_activity = clock()
        self._last_tick = 0

    def arm(self) -> None:
        self.armed = True
        self.still_here()

    def disarm(self) -> None:
        self.armed = False
        self.warning = False

    def still_here(self) -> None:
        """Activity, or "I'm still here": the quiet spell starts again."""
        self.warning = False
        self._last_activity = self.clock()

    def activity(self, press: bool) -> bool:
        """Input arrived (``press``: a key, a tap, an accessibility action — not a mere
        mouse move). Returns True when it ended a warning."""
        if not self.armed:
            return False
        if self.warning and not press:
            return False  # a hand resting on the screen does not answer the warning
        ended = self.warning
        self.still_here()
        return ended

    def seconds_left(self) -> int:
        """Seconds of the warning left (rounded up)."""
        left = self._warning_ends() - self.clock()
        return max(0, math.ceil(left - 1e-9))

    def _warning_ends(self) -> float:
        return self._last_activity + self.idle_seconds + self.warning_seconds

    def poll(self) -> IdleEvent | None:
        if not self.armed:
            return None
        now = self.clock()
        quiet = now - self._last_activity
        if quiet < self.idle_seconds:
            return None
        if now >= self._warning_ends():
            self.disarm()
            return IdleEvent.EXPIRED
        if not self.warning:
            self.warning = True
            self._last_tick = self.seconds_left()
            return IdleEvent.WARN
        left = self.seconds_left()
        if left != self._last_tick:
            self._last_tick = left
            return IdleEvent.TICK
        return None
