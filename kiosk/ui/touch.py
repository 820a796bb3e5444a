"""Touch widgets shared by the screens: big buttons, choice rows, cards, labels."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def label(text: str, name: str = "Body", wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def button(text: str, name: str = "", accessible: str = "") -> QPushButton:
    widget = QPushButton(text)
    if name:
        widget.setObjectName(name)
    widget.setAccessibleName(accessible or text)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return widget


class ChoiceButton(QPushButton):
    """A whole-row, checkable answer; long text wraps inside the button."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Choice")
        self.setCheckable(True)
        self.setAccessibleName(text)
        self._label = QLabel(text, self)
        self._label.setWordWrap(True)
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._label.setStyleSheet("background: transparent; color: inherit; font-size: 22px;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 8, 16, 8)
        layout.addWidget(self._label)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.toggled.connect(self._on_toggled)

    def label_text(self) -> str:
        return self._label.text()

    def _on_toggled(self, checked: bool) -> None:
        colour = "white" if checked else "#1b2733"
        weight = 600 if checked else 400
        self._label.setStyleSheet(
            f"background: transparent; color: {colour}; font-size: 22px; font-weight: {weight};"
        )

    def sizeHint(self):  # noqa: N802 (Qt name)
        hint = self._label.sizeHint()
        hint.setHeight(max(64, self._label.heightForWidth(max(self.width() - 40, 200)) + 20))
        return hint

    def minimumSizeHint(self):  # noqa: N802
        return self.sizeHint()


class CardButton(QPushButton):
    """A large selectable card with a title and a line of description."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.setCheckable(True)
        self.setAccessibleName(title)
        self.setAccessibleDescription(description)
        self.title = QLabel(title)
        self.title.setStyleSheet("font-size: 24px; font-weight: 600; background: transparent;")
        self.description = QLabel(description)
        self.description.setWordWrap(True)
        self.description.setStyleSheet("font-size: 18px; color: #4a5a6a; background: transparent;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(4)
        for child in (self.title, self.description):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(child)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def sizeHint(self):  # noqa: N802
        hint = super().sizeHint()
        width = max(self.width() - 40, 240)
        height = self.title.sizeHint().height() + self.description.heightForWidth(width) + 32
        hint.setHeight(max(96, height))
        return hint

    def minimumSizeHint(self):  # noqa: N802
        return self.sizeHint()


class TapCounter(QLabel):
    """A label that reports ``count`` taps within ``window_ms`` (the hidden staff gesture)."""

    triggered = Signal()

    def __init__(self, text: str, count: int = 5, window_ms: int = 3000) -> None:
        super().__init__(text)
        self._count = count
        self._window_ms = window_ms
        self._taps: list[int] = []
        self._clock_ms = 0

    def mousePressEvent(self, event) -> None:  # noqa: N802
        from PySide6.QtCore import QDateTime

        now = QDateTime.currentMSecsSinceEpoch()
        self._taps = [t for t in self._taps if now - t <= self._window_ms] + [now]
        if len(self._taps) >= self._count:
            self._taps.clear()
            self.triggered.emit()
        event.accept()
