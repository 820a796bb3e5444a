"""Inactivity: after a quiet spell ask "Are you still there?", then give up and reset.

The rules are in :class:`kiosk.intake.idle.IdleClock` (plain Python, tested with a fake
clock); this watcher feeds it the application's input and polls it with a Qt timer.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTouchEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.intake.idle import IdleClock, IdleEvent
from kiosk.ui.accessibility import ACTIVITY, ActivityEvent

# ACTIVITY: an accessibility action (Press, Toggle) or text set through the accessibility
# tree — no key or tap comes with it, but it is the patient as much as a tap is
_PRESSES = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
            ACTIVITY}
_ACTIVITY = _PRESSES | {QEvent.Type.MouseMove, QEvent.Type.TouchUpdate, QEvent.Type.Wheel}
POLL_MS = 100
#: the classes of the events above: the filter sees every event of the application (paint,
#: layout, polish, show: about a thousand on a screen change) and looks only at the class of
#: those, which costs far less in Python than asking each one its type
_INPUT_CLASSES = frozenset({QMouseEvent, QKeyEvent, QTouchEvent, QWheelEvent, ActivityEvent})


class IdleWatcher(QObject):
    """Watches the whole application's input while armed.

    ``warn`` fires after ``idle_ms`` without input; ``expired`` fires ``warning_ms`` later
    unless :meth:`still_here` is called or a key or tap arrives (``resumed``).
    """

    warn = Signal(int)  # seconds left
    tick = Signal(int)  # seconds left, once a second during the warning
    expired = Signal()
    resumed = Signal()  # a key or a tap during the warning: the patient is still here

    def __init__(self, idle_ms: int, warning_ms: int, parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.rules = IdleClock(idle_ms / 1000, warning_ms / 1000, clock)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll)

    @property
    def idle_ms(self) -> int:
        return round(self.rules.idle_seconds * 1000)

    @idle_ms.setter
    def idle_ms(self, value: int) -> None:
        self.rules.idle_seconds = value / 1000

    @property
    def armed(self) -> bool:
        return self.rules.armed

    @property
    def warning(self) -> bool:
        return self.rules.warning

    def watch(self, app: QApplication) -> None:
        """Count ``app``'s input, and every move of its keyboard focus: a screen-reader user
        moving from control to control (Tab, or the reader's own "grab focus") taps
        nothing, and must not be reset for it (issue 15)."""
        app.installEventFilter(self)
        app.focusChanged.connect(self.on_focus_changed)

    def on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # not a press: focus the kiosk itself gives (the warning's button) must not
        # answer the warning; before it, any move starts the quiet spell again
        if new is not None:
            self.rules.activity(press=False)

    def arm(self) -> None:
        self.rules.arm()
        self._poll.start()

    def disarm(self) -> None:
        self.rules.disarm()
        self._poll.stop()

    def still_here(self) -> None:
        self.rules.still_here()

    def activity(self) -> None:
        """Input that does not come as an event here (an accessibility action): it counts."""
        if self.rules.activity(press=True):
            self.resumed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if type(event) not in _INPUT_CLASSES:
            return False
        kind = event.type()
        if kind in _ACTIVITY and self.rules.activity(press=kind in _PRESSES):
            self.resumed.emit()  # any key or tap during the warning (keyboard included)
        return False

    def poll(self) -> None:
        happened = self.rules.poll()
        if happened is IdleEvent.WARN:
            self.warn.emit(self.rules.seconds_left())
        elif happened is IdleEvent.TICK:
            self.tick.emit(self.rules.seconds_left())
        elif happened is IdleEvent.EXPIRED:
            self._poll.stop()
            self.expired.emit()
