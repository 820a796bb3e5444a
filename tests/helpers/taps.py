"""Taps on real widgets, as a finger would: scroll the widget into view, then press."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from kiosk.ui.widgets.date_field import ChoicePicker


def scroll_to(widget: QWidget) -> None:
    """Drag the screen until ``widget`` is in view."""
    QApplication.processEvents()  # let a keyboard that just opened settle the layout
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 0, 0)
            break
        parent = parent.parentWidget()


def covering_overlay(widget: QWidget):
    """The open dialog (an Overlay: modal) over ``widget``, if any."""
    from kiosk.ui.overlay import Overlay

    for overlay in widget.window().findChildren(Overlay):
        if overlay.isVisible() and not overlay.isAncestorOf(widget):
            return overlay
    return None


def tap(qtbot, widget: QWidget) -> None:
    overlay = covering_overlay(widget)
    if overlay is not None and not widget.isEnabled():
        # A finger lands on the dialog that covers the widget (the idle question goes
        # with any tap on it; any other dialog stays, and the widget stays disabled).
        qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton)
    assert widget.isVisible(), f"cannot tap a hidden widget: {widget!r}"
    assert widget.isEnabled(), f"cannot tap a disabled widget: {widget!r}"
    scroll_to(widget)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def pick(qtbot, picker: ChoicePicker, text: str) -> None:
    """Tap a picker field, then tap the entry in the panel that opens."""
    tap(qtbot, picker)
    qtbot.waitUntil(lambda: picker.panel is not None and picker.panel.isVisible())
    entries = [b for b in picker.entry_buttons() if b.text() == text]
    assert entries, f"{text!r} is not in the list"
    tap(qtbot, entries[0])
    assert picker.current_text() == text
