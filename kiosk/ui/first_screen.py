"""Saying when the kiosk's first screen is really on the display.

``show()`` only asks for a window; on Wayland the compositor must configure it before it
is exposed. The log line written then ("first screen shown") is what an installation check
(``--check-start``) and the locked-down deployment's test wait for. It names the screen,
the process id and Qt's platform (offscreen, xcb, wayland), never anything a patient typed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

POLL_MS = 20


class FirstScreenWatch(QObject):
    """Calls ``on_shown(name)`` once, when ``window`` is exposed on the display."""

    def __init__(self, window: QWidget, name: Callable[[], str],
                 on_shown: Callable[[str], object] | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._name = name
        self._on_shown = on_shown
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.on_poll)
        self._timer.start()

    def on_poll(self) -> None:
        handle = self._window.windowHandle()
        if handle is None or not handle.isExposed() or not self._window.isVisible():
            return
        self._timer.stop()
        name = self._name()
        log.info("first screen shown: %s (pid %d, platform %s)", name, os.getpid(),
                 QGuiApplication.platformName())
        if self._on_shown is not None:
            self._on_shown(name)
