"""A combo box whose chosen entry is always shown whole: a name wider than the box wraps
onto a second (third …) line and the box grows to hold it, instead of being cut off."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget


def wrapped_lines(metrics: QFontMetrics, text: str, width: int) -> list[str]:
    """``text`` broken between words (or after a hyphen) into lines no wider than
    ``width``; a piece wider than that keeps a line of its own."""
    lines: list[str] = []
    for word in text.split():
        for number, piece in enumerate(_HYPHENATED.findall(word)):
            joined = f"{lines[-1]}{'' if number else ' '}{piece}" if lines else piece
            if lines and metrics.horizontalAdvance(joined) <= width:
                lines[-1] = joined
            else:
                lines.append(piece)
    return lines or [""]


_HYPHENATED = re.compile(r"[^-]+-|[^-]+$|-")


class WrappingComboBox(QComboBox):
    """A QComboBox that draws its current text wrapped to the box's width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._extra_lines = 0
        self.currentIndexChanged.connect(self._fit_height)

    def text_rect(self) -> QRect:
        """Where the current text is drawn (inside the frame, left of the arrow)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self)

    def shown_lines(self) -> list[str]:
        """The current text as it is drawn, one entry a line."""
        return wrapped_lines(self.fontMetrics(), self.currentText(),
                             max(1, self.text_rect().width() - 2))

    def _fit_height(self) -> None:
        extra = len(self.shown_lines()) - 1
        if extra != self._extra_lines:
            self._extra_lines = extra
            self.updateGeometry()  # the layout asks sizeHint again

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)  # a new stylesheet (text size) changes the font
        if event.type() in (event.Type.FontChange, event.Type.StyleChange):
            self._fit_height()

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()  # one line (and the stylesheet's min-height)
        return QSize(hint.width(),
                     hint.height() + self._extra_lines * self.fontMetrics().lineSpacing())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self.sizeHint().height()))

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = "\n".join(self.shown_lines())
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
        self._draw_arrow(painter, option)

    def arrow_rect(self) -> QRect:
        """Where the down arrow is drawn (the box's drop-down part)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxArrow, self)

    def _draw_arrow(self, painter: QPainter, option: QStyleOptionComboBox) -> None:
        """A down chevron in the text's colour: the stylesheet's drop-down (a wide target)
        leaves it blank, and a box with no arrow does not look like it opens a list."""
        box = self.arrow_rect()
        if box.width() < 8:
            return
        half = min(box.width(), box.height()) // 5
        centre = box.center()
        pen = QPen(option.palette.color(QPalette.ColorRole.Text), 3)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        top = centre.y() - half // 2
        painter.drawPolyline([QPoint(centre.x() - half, top), QPoint(centre.x(), top + half),
                              QPoint(centre.x() + half, top)])

