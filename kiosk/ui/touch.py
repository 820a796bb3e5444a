"""Touch widgets shared by the screens: big buttons, choice rows, cards, labels."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDateTime, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import accessibility

#: label object names that are headings for assistive technology (a page's, a question's)
HEADINGS = frozenset({"Heading", "WelcomeHeading", "Question", "SubHeading"})


class HeadingLabel(QLabel):
    """A page or question text: announced with the heading role."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        accessibility.install()
        accessibility.mark_heading(self)


class KioskButton(QPushButton):
    """The kiosk's push button: every accessibility action on it is a tap
    (see :mod:`kiosk.ui.accessibility`).

    A checkable one says ``chosen(checked)`` whenever the patient changed it — a tap, a
    key, or any accessibility action (Qt's *Toggle* only calls ``toggle()``: no
    ``clicked``) — and never when the screen shows a stored answer with
    :meth:`show_answer`. Answers connect to ``chosen``: what is shown is what is stored.
    """

    chosen = Signal(bool)

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        accessibility.install()
        self._showing = False
        self.toggled.connect(self._on_toggled_by_anyone)

    def show_answer(self, checked: bool) -> None:
        """Show the stored state (not a change by the patient: ``chosen`` stays quiet)."""
        self._showing = True
        try:
            self.setChecked(checked)
        finally:
            self._showing = False

    def _on_toggled_by_anyone(self, checked: bool) -> None:
        if not self._showing:
            self.chosen.emit(checked)


def label(text: str, name: str = "Body", wrap: bool = True) -> QLabel:
    widget = HeadingLabel(text) if name in HEADINGS else QLabel(text)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


class MessageLine(QLabel):
    """A message (a red error line, the problems banner) that keeps its place once shown:
    when it goes, the controls below it stay where the finger is (issue 12.5). Hidden
    before it is first shown, it takes no room."""

    def __init__(self, text: str = "", name: str = "Error") -> None:
        super().__init__(text)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._shown = False

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt's name (hide/show call it)
        self._shown = self._shown or visible
        policy = self.sizePolicy()
        if policy.retainSizeWhenHidden() != self._shown:
            policy.setRetainSizeWhenHidden(self._shown)
            self.setSizePolicy(policy)
        super().setVisible(visible)


def button(text: str, name: str = "", accessible: str = "") -> KioskButton:
    widget = KioskButton(text)
    if name:
        widget.setObjectName(name)
    widget.setAccessibleName(accessible or text)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return widget


class WrappingButton(KioskButton):
    """A button whose content is a layout of labels that wrap: as tall as its text needs.

    Plain QPushButton text never wraps, and its size hint would make a long answer
    widen the whole screen (past 800 px in portrait).
    """

    MIN_HEIGHT = 64

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add_label(self, layout, text: str, name: str) -> QLabel:
        """A wrapping label styled by the theme through its object name."""
        child = QLabel(text)
        child.setObjectName(name)
        child.setWordWrap(True)
        child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(child)
        return child

    CHECK_MARK = "\u2714"  # a heavy check mark: chosen is told by a shape, not colour alone

    def add_mark(self, layout) -> QLabel:
        """The check mark a chosen answer shows (its width kept when not chosen, so the
        text does not move under the finger)."""
        mark = QLabel("")
        mark.setObjectName("CheckMark")
        mark.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        mark.setFixedWidth(36)
        mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        mark.setAccessibleName("")
        layout.addWidget(mark, 0, Qt.AlignmentFlag.AlignVCenter)
        return mark

    def show_checked(self, checked: bool, *labels: QLabel) -> None:
        """Theme the chosen state: the labels' ``checked`` property and the mark."""
        mark = self.findChild(QLabel, "CheckMark")
        if mark is not None:
            mark.setText(self.CHECK_MARK if checked else "")
        for child in (*labels, *([mark] if mark is not None else [])):
            child.setProperty("checked", checked)  # the theme colours a chosen answer
            child.style().unpolish(child)
            child.style().polish(child)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        layout = self.layout()
        inner = layout.totalHeightForWidth(width) if layout is not None else 0
        return max(self.MIN_HEIGHT, inner)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(240, self.heightForWidth(240))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(120, self.MIN_HEIGHT)


def back_header(t, heading: str, on_back) -> QHBoxLayout:
    """A staff screen's top row: "‹ Back to list" and the screen's heading."""
    row = QHBoxLayout()
    back = button("‹ " + t("detail_back"), accessible=t("detail_back"))
    back.clicked.connect(on_back)
    row.addWidget(back)
    row.addWidget(label(heading, "Heading"))
    row.addStretch(1)
    return row


class ChoiceButton(WrappingButton):
    """A whole-row, checkable answer; long text wraps inside the button."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Choice")
        self.setCheckable(True)
        self.setAccessibleName(text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 10, 16, 10)
        self._label = self.add_label(layout, text, "ChoiceText")
        self.mark = self.add_mark(layout)
        self.toggled.connect(self._on_toggled)

    def label_text(self) -> str:
        return self._label.text()

    def _on_toggled(self, checked: bool) -> None:
        self.show_checked(checked, self._label)


class CardButton(WrappingButton):
    """A large selectable card with a title and a line of description."""

    MIN_HEIGHT = 96

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.setCheckable(True)
        self.setAccessibleName(title)
        self.setAccessibleDescription(description)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        self.title = self.add_label(top, title, "CardTitle")
        self.mark = self.add_mark(top)
        layout.addLayout(top)
        self.description = self.add_label(layout, description, "CardText")
        self.toggled.connect(
            lambda checked: self.show_checked(checked, self.title, self.description))


class CardGrid(QWidget):
    """Cards in one column, or two side by side when there is room (a landscape tablet):
    a long list of choices stays short enough to see most of it at once."""

    TWO_COLUMNS_FROM = 880  # px of width; below it a card's text would wrap too much

    def __init__(self, cards: Sequence[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards = list(cards)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(14)
        self.columns = 0
        self._place(1)
        for before, after in zip(self.cards, self.cards[1:], strict=False):
            QWidget.setTabOrder(before, after)  # reading order, row by row

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:
            self._grid.removeWidget(card)
        for index, card in enumerate(self.cards):
            self._grid.addWidget(card, index // columns, index % columns)
        for column in range(2):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._place(2 if event.size().width() >= self.TWO_COLUMNS_FROM else 1)
        super().resizeEvent(event)


class TapCounter(QLabel):
    """A label that reports ``count`` taps within ``window_ms`` (the hidden staff gesture)."""

    triggered = Signal()

    def __init__(self, text: str, count: int = 5, window_ms: int = 3000) -> None:
        super().__init__(text)
        self._count = count
        self._window_ms = window_ms
        self._taps: list[int] = []

    def mousePressEvent(self, event) -> None:  # noqa: N802
        now = QDateTime.currentMSecsSinceEpoch()
        self._taps = [t for t in self._taps if now - t <= self._window_ms] + [now]
        if len(self._taps) >= self._count:
            self._taps.clear()
            self.triggered.emit()
        event.accept()
