"""Docks the kiosk's on-screen keyboard under a screen: shown when one of its text fields
is tapped. (Qt Virtual Keyboard, on a real display: ``system_keyboard.py``.)"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from shiboken6 import isValid

from kiosk.ui.keyboard.kiosk_keyboard import OnScreenKeyboard


class KeyboardDock(QObject):
    """Opens ``keyboard`` for text fields inside ``host``; ``reveal`` scrolls a field into view."""

    def __init__(self, host: QWidget, keyboard: QWidget,
                 reveal: Callable[[QWidget], None]) -> None:
        super().__init__(host)
        self.host = host
        self.keyboard = keyboard
        self.reveal = reveal
        self._disposed = False
        self._set_up()
        QApplication.instance().focusChanged.connect(self.on_focus_changed)

    def _set_up(self) -> None:
        assert isinstance(self.keyboard, OnScreenKeyboard)
        self.keyboard.hide()
        self.keyboard.done.connect(self.hide)

    def watch(self, container: QWidget) -> None:
        """Also open on a tap on a field that already has focus."""
        for edit in container.findChildren(QLineEdit):
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(watched, QLineEdit):
            self.open(watched)
        return False

    def on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QLineEdit) and self.host.isAncestorOf(new):
            self.open(new)

    def open(self, edit: QLineEdit) -> None:
        if self.keyboard.target() is not edit or not self.keyboard.isVisible():
            self.keyboard.attach(edit)
            self.keyboard.show()
            # Reveal once the keyboard has taken its place and the screen has shrunk.
            QTimer.singleShot(0, lambda: isValid(edit) and self.reveal(edit))

    def hide(self) -> None:
        self._close()
        focused = QApplication.focusWidget()
        if isinstance(focused, QLineEdit) and self.host.isAncestorOf(focused):
            focused.clearFocus()

    def _close(self) -> None:
        self.keyboard.attach(None)
        self.keyboard.hide()

    def dispose(self) -> None:
        """Disconnect from the application before the host is destroyed (once)."""
        if not self._disposed:
            self._disposed = True
            QApplication.instance().focusChanged.disconnect(self.on_focus_changed)
            self._disconnect()

    def _disconnect(self) -> None:
        """What a kind of dock connected beyond the focus changes."""
