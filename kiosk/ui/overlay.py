"""An in-window dialog over a dimmed screen (no separate window, so it works full-screen)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.touch import button, label


class Overlay(QWidget):
    def __init__(self, parent: QWidget, heading: str, body: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        dialog = QWidget()
        dialog.setObjectName("Dialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        dialog.setMaximumWidth(900)
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
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())
        self.hide()

    def set_body(self, text: str) -> None:
        self.body.setText(text)
        self.body.setVisible(bool(text))

    def add_button(self, text: str, name: str = "") -> QPushButton:
        action = button(text, name)
        self.buttons.addWidget(action)
        return action

    def open(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False
