"""The kiosk's look: stylesheet, text size and high contrast, applied to the whole app.

Sizes in the stylesheet are pixels; a larger text size scales every ``font-size`` (and the
minimum heights, so targets grow with their text). Switching needs no restart.
"""

from __future__ import annotations

import re
from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QScroller, QStyle, QWidget

# Package data (pyproject.toml, [tool.setuptools.package-data]): an installed wheel has them.
STYLES = resources.files("kiosk.ui").joinpath("styles")
STYLESHEET = STYLES.joinpath("kiosk.qss")
HIGH_CONTRAST = STYLES.joinpath("high-contrast.qss")
TEXT_SIZES = (1.0, 1.25, 1.5)  # the three steps offered on the Welcome screen
_SCALED = re.compile(r"(font-size|min-height):\s*(\d+)px")


def stylesheet(text_size: float = 1.0, high_contrast: bool = False) -> str:
    sheet = STYLESHEET.read_text(encoding="utf-8")
    if high_contrast:
        sheet += "\n" + HIGH_CONTRAST.read_text(encoding="utf-8")
    if text_size != 1.0:
        # Keyboard keys keep their height: a taller keyboard would push the field it types
        # into off a 800 px screen.
        sheet = "\n".join(
            line if line.startswith("QPushButton#Key") else _SCALED.sub(
                lambda m: f"{m.group(1)}: {round(int(m.group(2)) * text_size)}px", line)
            for line in sheet.splitlines())
    return sheet


def apply_theme(app: QApplication, text_size: float = 1.0, high_contrast: bool = False) -> None:
    sheet = stylesheet(text_size, high_contrast)
    app.setProperty("highContrast", high_contrast)  # for what a stylesheet cannot colour
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


def tinted_icon(pixmap: QStyle.StandardPixmap, widget: QWidget) -> QIcon:
    """One of the style's standard icons in the theme's text colour (Fusion draws them
    dark: on the high-contrast theme's black they would vanish)."""
    high_contrast = bool(QApplication.instance().property("highContrast"))
    colour = QColor("#ffffff" if high_contrast else "#1b2733")
    source = widget.style().standardIcon(pixmap).pixmap(64, 64)
    tinted = QPixmap(source.size())
    tinted.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tinted)
    painter.drawPixmap(0, 0, source)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(tinted.rect(), colour)
    painter.end()
    return QIcon(tinted)
