"""What a person would see as broken on a screen: a control over another, text cut off."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QWidget

CONTROLS = (QLabel, QAbstractButton, QLineEdit, QComboBox)


def _name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") else ""
    return f"{type(widget).__name__}#{widget.objectName()} {text[:30]!r}"


def layout_problems(root: QWidget) -> list[str]:
    """Visible controls under ``root`` that overlap a visible sibling control, or whose
    one-line text (a button's, a label's that does not wrap) is wider than the widget."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, CONTROLS):
            continue
        room = widget.contentsRect().width()
        if isinstance(widget, QAbstractButton) and widget.text() \
                and not widget.findChildren(QLabel):
            widest = max(widget.fontMetrics().horizontalAdvance(line)
                         for line in widget.text().split("\n"))
            if widest > room - 8:
                found.append(f"text cut off: {_name(widget)}")
        elif isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
            if widget.fontMetrics().horizontalAdvance(widget.text()) > room + 1:
                found.append(f"text cut off: {_name(widget)}")
        elif isinstance(widget, QLabel) and widget.wordWrap() and widget.text() \
                and widget.heightForWidth(widget.width()) > widget.height() + 1:
            found.append(f"lines cut off: {_name(widget)}")
    for parent in [root, *root.findChildren(QWidget)]:
        kids = [c for c in parent.children() if isinstance(c, CONTROLS) and c.isVisible()]
        for i, first in enumerate(kids):
            for second in kids[i + 1:]:
                if first.geometry().intersects(second.geometry()):
                    found.append(f"overlap: {_name(first)} / {_name(second)}")
    return sorted(set(found))
