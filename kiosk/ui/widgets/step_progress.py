"""The patient's progress bar: "Step 3 of 18" on a plate of the bar's own colour, so the
moving end of the fill never runs through the words (issue 12: in the real-window
screenshots the fill's dark edge crossed the text halfway through the intake, and in
portrait the text nearly filled the bar)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QProgressBar, QStyle, QStyleOptionProgressBar, QStylePainter

TEXT_PAD = 12  # room left and right of the words, on the plate
FILL_ROOM = 16  # bar either side of the plate, so the fill shows at both ends


class StepProgressBar(QProgressBar):
    #: never narrower: squeezed beside the header's buttons (Spanish, A++, portrait) the
    #: bar was a sliver round its words, and read as a label, not as progress
    MIN_WIDTH = 200

    def __init__(self) -> None:
        super().__init__()
        self.setTextVisible(True)  # text() is what assistive technology reads

    def setFormat(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setFormat(text)
        self.updateGeometry()  # a longer text asks for a wider bar

    def text_rect(self) -> QRect:
        """The plate the step text is drawn on, centred in the bar."""
        metrics = self.fontMetrics()
        width = metrics.horizontalAdvance(self.text()) + 2 * TEXT_PAD
        height = min(self.height() - 4, metrics.height() + 4)
        return QRect((self.width() - width) // 2, (self.height() - height) // 2,
                     width, height)

    def _least_width(self) -> int:
        words = self.fontMetrics().horizontalAdvance(self.text()) + 2 * (TEXT_PAD + FILL_ROOM)
        return max(words, self.MIN_WIDTH)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - QProgressBar's asks sizeHint
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self._least_width()), hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._least_width()), hint.height())

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QStylePainter(self)
        option = QStyleOptionProgressBar()
        self.initStyleOption(option)
        option.textVisible = False  # the stylesheet's groove and fill, no words
        painter.drawControl(QStyle.ControlElement.CE_ProgressBar, option)
        text = self.text()
        if not text:
            return
        plate = self.text_rect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(QPalette.ColorRole.Window))  # the groove's
        radius = plate.height() / 2
        painter.drawRoundedRect(plate, radius, radius)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        painter.drawText(plate, Qt.AlignmentFlag.AlignCenter, text)
