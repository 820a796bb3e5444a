"""Inactivity: after a quiet spell ask "Are you still there?", then give up and reset."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel,
}

_PRESSES = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    """Watches the whole application's input while armed.

    ``warn`` fires after ``idle_ms`` without input; ``expired`` fires ``warning_ms`` later
    unless :meth:`still_here` is called (or any input arrives before the warning).
    """

    warn = Signal(int)  # seconds left
    tick = Signal(int)  # seconds left, once a second during the warning
    expired = Signal()
    resumed = Signal()  # a key or a tap during the warning: the patient is still here

    def __init__(self, idle_ms: int, warning_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_ms = idle_ms
        self.warning_ms = warning_ms
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._on_idle)
        self._warning = QTimer(self)
        self._warning.setSingleShot(True)
        self._warning.timeout.connect(self._on_expired)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._on_tick)
        self.armed = False
        self.warning = False

    def arm(self) -> None:
        self.armed = True
        self.still_here()

    def disarm(self) -> None:
        self.armed = False
        self.warning = False
        for timer in (self._idle, self._warning, self._ticker):
            timer.stop()

    def still_here(self) -> None:
        self.warning = False
        self._warning.stop()
        self._ticker.stop()
        if self.armed:
            self._idle.start(self.idle_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if not self.armed or kind not in _ACTIVITY:
            return False
        if not self.warning:
            self._idle.start(self.idle_ms)
        elif kind in _PRESSES:  # any key or tap during the warning (keyboard included)
            self.still_here()
            self.resumed.emit()
        return False

    def activity(self) -> None:
        """Input that does not come as an event here (an accessibility action): it counts."""
        if not self.armed:
            return
        if self.warning:
            self.still_here()
            self.resumed.emit()
        else:
            self._idle.start(self.idle_ms)

    def _on_idle(self) -> None:
        self.warning = True
        self._warning.start(self.warning_ms)
        self._ticker.start()
        self.warn.emit(self._seconds_left())

    def _on_tick(self) -> None:
        self.tick.emit(self._seconds_left())

    def _seconds_left(self) -> int:
        return max(0, round(self._warning.remainingTime() / 1000))

    def _on_expired(self) -> None:
        self.disarm()
        self.expired.emit()
