"""Qt Virtual Keyboard for patients on a real display: when to use it, making room for it,
its layout in the patient's language, and falling back to the kiosk's own keyboard."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QInputMethodQueryEvent
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QWidget
from shiboken6 import isValid

from kiosk.ui.keyboard.dock import KeyboardDock

log = logging.getLogger(__name__)

class SystemKeyboardDock(KeyboardDock):
    """The same, for Qt Virtual Keyboard (``QT_IM_MODULE=qtvirtualkeyboard``, on a real
    display): Qt draws the keyboard in a window of its own over the lower part of the
    screen; ``room``, a widget at the bottom of the host's layout, grows to the keyboard's
    height so that nothing (the field, Back and Next) is left under it."""

    APPEAR_MS = 2000  # no keyboard by then: it cannot show here (see ``failed``)
    #: Qt Virtual Keyboard did not come up for this field (its plugin or QML would not
    #: load on this machine): the host should give the patient the kiosk's own keyboard.
    failed = Signal(QLineEdit)

    def __init__(self, host: QWidget, room: QWidget,
                 reveal: Callable[[QWidget], None], locale: str = "en_US") -> None:
        super().__init__(host, room, reveal)  # ``keyboard`` is the room
        self.locale = locale  # from the language's catalogue (``keyboard.qt_locale``)
        self._locale_set = False
        self._edit: QLineEdit | None = None
        self._waits = 0

    def _set_up(self) -> None:
        self.keyboard.setFixedHeight(0)
        self.input_method = QGuiApplication.inputMethod()
        self.input_method.keyboardRectangleChanged.connect(self._make_room)
        self.input_method.visibleChanged.connect(self._make_room)

    def open(self, edit: QLineEdit) -> None:
        hints = Qt.InputMethodHint.ImhNoPredictiveText
        if edit.property("digitsOnly"):  # decimals too: the digit pad has a decimal point
            # (ImhFormattedNumbersOnly shows the calculator pad: + - * / ( ) =, issue 12.7)
            hints |= Qt.InputMethodHint.ImhDigitsOnly
        if edit.inputMethodHints() != hints:
            edit.setInputMethodHints(hints)
        self._edit = edit
        self._waits = 0
        self.input_method.show()
        QTimer.singleShot(self.APPEAR_MS, self, self._check_it_came)

    def _check_it_came(self) -> None:
        edit = self._edit
        if self._disposed or edit is None or not isValid(edit) or not edit.hasFocus():
            return
        if self.input_method.isVisible():
            return
        if self._keyboard_window_exists() and self._waits < 3:
            self._waits += 1  # loaded, still on its way (a slow first start): wait on
            QTimer.singleShot(self.APPEAR_MS, self, self._check_it_came)
            return
        log.warning("Qt Virtual Keyboard did not appear: the kiosk's own keyboard instead")
        self.failed.emit(edit)

    @staticmethod
    def _keyboard_window_exists() -> bool:
        return any(w.metaObject().className().startswith("QtVirtualKeyboard::")
                   for w in QGuiApplication.topLevelWindows())

    def _make_room(self) -> None:
        if not isValid(self.keyboard):
            return
        shown = self.input_method.isVisible()
        if shown and not self._locale_set:
            self._locale_set = self._use_patient_layout()
        height = round(self.input_method.keyboardRectangle().height()) if shown else 0
        self.keyboard.setFixedHeight(height)
        edit = self._edit
        if shown and edit is not None:
            QTimer.singleShot(0, lambda: isValid(edit) and self.reveal(edit))

    def _use_patient_layout(self) -> bool:
        """The keyboard in the patient's language (Spanish has Ñ and its accents): set
        through Qt Virtual Keyboard's QML settings, once its window exists."""
        from PySide6.QtQml import qmlEngine
        from PySide6.QtQuick import QQuickWindow

        for window in QGuiApplication.topLevelWindows():
            if not isinstance(window, QQuickWindow):
                continue
            for item in window.contentItem().childItems():
                engine = qmlEngine(item)
                if engine is None:
                    continue
                settings = engine.singletonInstance("QtQuick.VirtualKeyboard.Settings",
                                                    "VirtualKeyboardSettings")
                if settings is not None:
                    settings.setProperty("locale", self.locale)
                    return True
        return False

    def _close(self) -> None:
        self.input_method.hide()

    def _disconnect(self) -> None:
        self.input_method.keyboardRectangleChanged.disconnect(self._make_room)
        self.input_method.visibleChanged.disconnect(self._make_room)


QT_KEYBOARD_PLUGIN = "libqtvirtualkeyboardplugin.so"


def keyboard_kind(requested: str) -> str:
    """"kiosk" or "qt" for ``requested`` ("auto", "kiosk" or "qt"). Auto picks Qt Virtual
    Keyboard on a real display when its plugin is installed (PySide6-Addons); it cannot
    show offscreen, so tests and headless runs get the kiosk's own keyboard."""
    import PySide6

    if requested in ("kiosk", "qt"):
        return requested
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    plugin = (Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforminputcontexts"
              / QT_KEYBOARD_PLUGIN)
    return "qt" if platform not in ("offscreen", "minimal") and plugin.exists() else "kiosk"


def use_qt_keyboard() -> None:
    """Before the QApplication exists: load Qt Virtual Keyboard."""
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"


class _NoInputMethod(QObject):
    """Answers "does this field take input-method text?" with no.

    Qt Virtual Keyboard shows for a focused field whose ``ImEnabled`` query says yes, and a
    QLineEdit says yes whatever its WA_InputMethodEnabled attribute (a PIN field opened the
    keyboard's letters over the kiosk's number pad)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.InputMethodQuery or not isinstance(watched, QWidget):
            return False
        query_event: QInputMethodQueryEvent = event  # type: ignore[assignment]
        queries = query_event.queries()
        if not queries & Qt.InputMethodQuery.ImEnabled:
            return False
        for bit in range(32):
            query = Qt.InputMethodQuery(1 << bit)
            if queries & query:
                query_event.setValue(query, False if query == Qt.InputMethodQuery.ImEnabled
                                     else watched.inputMethodQuery(query))
        event.accept()
        return True


def without_system_keyboard(root: QWidget) -> None:
    """Staff screens keep the kiosk's own keyboard (and the desk's real one): their fields
    do not call up Qt Virtual Keyboard on top of it (call again after adding fields)."""
    blocker = root.findChild(_NoInputMethod, "NoInputMethod")
    if blocker is None:
        blocker = _NoInputMethod(root)
        blocker.setObjectName("NoInputMethod")
    for field in root.findChildren(QLineEdit) + root.findChildren(QAbstractSpinBox):
        field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        field.removeEventFilter(blocker)
        field.installEventFilter(blocker)
