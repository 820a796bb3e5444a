"""The kiosk's stylesheet and touch behaviour, applied once to the application."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QScroller

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
STYLESHEET = RESOURCES / "kiosk.qss"


def apply_theme(app: QApplication) -> None:
    sheet = STYLESHEET.read_text(encoding="utf-8")
    if app.styleSheet() == sheet:
        return  # re-setting it would re-polish every widget alive
    app.setStyle("Fusion")
    app.setStyleSheet(sheet)


def kinetic(area: QAbstractScrollArea) -> None:
    """Let a finger drag the area's content (touch screens have no scroll wheel).

    Touch gestures only: the mouse-button gesture swallows the next tap on a button in
    the area after a popup opened from it (seen with Qt 6.12), and a tablet sends touch.
    """
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
