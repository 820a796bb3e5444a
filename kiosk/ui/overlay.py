"""An in-window dialog over a dimmed screen (no separate window, so it works full-screen)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from kiosk.ui.touch import button, label

MAX_WIDTH = 900  # long lines are hard to read
MARGIN = 24  # the dimmed screen shows round the dialog


class Overlay(QWidget):
    def __init__(self, parent: QWidget, heading: str, body: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.dialog = dialog = QWidget()
        dialog.setObjectName("Dialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        inner = QVBoxLayout(dialog)
        inner.setContentsMargins(32, 32, 32, 32)
        inner.setSpacing(16)
        self.heading = label(heading, "Heading")
        self.body = label(body, "Body")
        inner.addWidget(self.heading)
        inner.addWidget(self.body)
        self.body.setVisible(bool(body))
        self.content = QVBoxLayout()
        inner.addLayout(self.content)
        self.buttons = QHBoxLayout()
        inner.addLayout(self.buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(dialog, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self._focus_before: QWidget | None = None
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())
        self.hide()

    def set_body(self, text: str) -> None:
        self.body.setText(text)
        self.body.setVisible(bool(text))
        self._fit()

    def _fit(self) -> None:
        """Size the dialog for its wrapped text. A centred item gets its size hint, and a
        word-wrapped label's hint is for a guessed width: a two-line heading was given the
        height of one and cut in half (issue 12.3)."""
        room = self.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        inner = self.dialog.layout()
        inner.invalidate()
        width = min(max(inner.sizeHint().width(), inner.minimumSize().width()),
                    MAX_WIDTH, room.width())
        height = inner.totalHeightForWidth(width)
        if height < 0:  # nothing in it wraps
            height = inner.totalSizeHint().height()
        self.dialog.setFixedSize(width, max(0, min(height, room.height())))

    def add_button(self, text: str, name: str = "") -> QPushButton:
        action = button(text, name)
        self.buttons.addWidget(action)
        return action

    def open(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self._fit()
        self._focus_before = QApplication.focusWidget()
        self.raise_()
        self.show()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt's name (hide calls it)
        focused = QApplication.focusWidget()
        if not visible and focused is not None and self.isAncestorOf(focused):
            # Qt would hand focus to the next widget in the chain, a text field often,
            # and the keyboard would pop up uninvited (issue 12.7): back where it was, or
            # on the screen itself.
            before = self._focus_before
            if before is not None and isValid(before) and before.isVisible() \
                    and not isinstance(before, QLineEdit):
                before.setFocus()
            else:
                self.parentWidget().setFocus()
        super().setVisible(visible)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
            self._fit()
        return False
