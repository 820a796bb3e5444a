"""What every patient screen shares: a scrolling body and a place for problems."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.session import IntakeSession, Problem
from kiosk.strings import Catalogue
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import label

MAX_TEXT_WIDTH = 1040


class Screen(QWidget):
    """A screen: a scroll area holding ``body`` (a vertical layout), with a problems banner."""

    def __init__(self, session: IntakeSession | None, t: Catalogue) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.session = session
        self.t = t
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        kinetic(self.scroll)
        inner = QWidget()
        centre = QHBoxLayout(inner)
        centre.setContentsMargins(0, 0, 0, 0)
        column = QWidget()
        column.setMaximumWidth(MAX_TEXT_WIDTH)  # long lines are hard to read
        centre.addWidget(column)
        self.body = QVBoxLayout(column)
        self.body.setContentsMargins(40, 24, 40, 24)
        self.body.setSpacing(16)
        self.banner = label(t("problems_banner"), "Banner")
        self.banner.hide()
        self.body.addWidget(self.banner)
        self.scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

    def finish_layout(self) -> None:
        self.body.addStretch(1)

    def show_problems(self, problems: Sequence[Problem]) -> QWidget | None:
        """Show each problem next to its field; return the widget to bring into view."""
        self.banner.setVisible(bool(problems))
        return self.banner if problems else None

    def reveal(self, widget: QWidget) -> None:
        self.scroll.ensureWidgetVisible(widget, 0, 48)

    def spoken_text(self) -> str:
        """The words on screen, top to bottom, for reading aloud: headings, text, answers."""
        parts = [w.text() for w in self.findChildren(QLabel)
                 if w.isVisibleTo(self) and w.text().strip() and w.objectName() != "Banner"]
        return "\n".join(parts)

    def message(self, problem: Problem) -> str:
        return self.t(problem.key, **problem.values)
