"""An in-window dialog over a dimmed screen (no separate window, so it works full-screen).

Modal for everyone: while it shows, the widgets it covers (its parent's other children)
are disabled — no tap, key, Tab or accessibility action reaches them — and enabled again
when it hides, with focus back where it was. Assistive technology sees a modal dialog
named by its heading, hears the heading and body when it opens, and finds focus on its
first button.
"""

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

from kiosk.ui import accessibility
from kiosk.ui.touch import button, label

MAX_WIDTH = 900  # long lines are hard to read
MARGIN = 24  # the dimmed screen shows round the dialog


class DialogPanel(QWidget):
    """The dialog's box: a modal dialog for assistive technology."""

    def __init__(self) -> None:
        super().__init__()
        accessibility.install()
        accessibility.mark_dialog(self)


class Overlay(QWidget):
    def __init__(self, parent: QWidget, heading: str, body: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._covered: list[QWidget] = []
        self._focus_before: QWidget | None = None
        dialog = DialogPanel()
        self.dialog = dialog
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
        self._name_dialog()
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

    def set_heading(self, text: str) -> None:
        self.heading.setText(text)
        self._name_dialog()

    def set_body(self, text: str) -> None:
        self.body.setText(text)
        self.body.setVisible(bool(text))
        self._name_dialog()
        self._fit()

    def _name_dialog(self) -> None:
        self.dialog.setAccessibleName(self.heading.text())
        self.dialog.setAccessibleDescription(self.body.text())

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

    def open(self, focus: QWidget | None = None) -> None:
        """Show it over everything, modal; focus on ``focus`` (else its first button);
        the screen reader hears its heading and body."""
        self.setGeometry(self.parentWidget().rect())
        self._fit()
        self._focus_before = QApplication.focusWidget()
        self.raise_()
        self.show()
        target = focus if isinstance(focus, QWidget) else None  # clicked(bool) may call it
        if target is None:
            first = self.buttons.itemAt(0)
            target = first.widget() if first is not None else None
        if target is not None:
            target.setFocus(Qt.FocusReason.PopupFocusReason)
        said = self.heading.text()
        if self.body.isVisibleTo(self) and self.body.text():
            said += "\n" + self.body.text()
        accessibility.announce(self.dialog, said)

    def showEvent(self, event) -> None:  # noqa: N802
        self._cover(True)
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        self._cover(False)
        super().hideEvent(event)

    def _cover(self, on: bool) -> None:
        """Disable what the overlay covers, or enable it again (only what this overlay
        disabled: a control disabled for its own reason stays so — Qt keeps a child's own
        setEnabled(False) when its parent is enabled again)."""
        parent = self.parentWidget()
        if on and not self._covered:
            focused = QApplication.focusWidget()
            self._focus_before = focused if focused is not None and parent.isAncestorOf(
                focused) and not self.isAncestorOf(focused) else None
            self._covered = [w for w in parent.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if w is not self and w.isEnabled() and not w.isWindow()]
            for widget in self._covered:
                widget.setEnabled(False)
        elif not on and self._covered:
            for widget in self._covered:
                if isValid(widget):
                    widget.setEnabled(True)
            self._covered = []
            before, self._focus_before = self._focus_before, None
            if before is not None and isValid(before) and before.isVisible() \
                    and not isinstance(before, QLineEdit):  # a field would pop the keyboard up
                before.setFocus(Qt.FocusReason.PopupFocusReason)

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
