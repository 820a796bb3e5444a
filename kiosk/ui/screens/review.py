"""Review: every answer in plain words; a tap on one goes back to change it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kiosk.session import IntakeSession, ReviewRow, Step
from kiosk.strings import Catalogue
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import label


class ReviewRowButton(QPushButton):
    def __init__(self, row: ReviewRow, change: str) -> None:
        super().__init__()
        self.setObjectName("ReviewRow")
        self.row = row
        self.setAccessibleName(f"{row.label}: {row.value}. {change}")
        question = QLabel(row.label)
        question.setWordWrap(True)
        question.setStyleSheet("color: #4a5a6a; font-size: 18px; background: transparent;")
        answer = QLabel(row.value)
        answer.setWordWrap(True)
        answer.setStyleSheet("font-size: 22px; font-weight: 600; background: transparent;")
        action = QLabel(f"{change} ›")
        action.setStyleSheet("color: #0d6efd; font-size: 20px; background: transparent;")
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(question)
        texts.addWidget(answer)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 10)
        layout.addLayout(texts, 1)
        layout.addWidget(action)
        for child in (question, answer, action):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._texts = texts

    def sizeHint(self):  # noqa: N802
        hint = super().sizeHint()
        hint.setHeight(max(72, self.layout().sizeHint().height()))
        return hint

    def minimumSizeHint(self):  # noqa: N802
        return self.sizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return max(72, self.layout().totalHeightForWidth(width))


class ReviewScreen(Screen):
    edit_requested = Signal(object)  # Step

    def __init__(self, session: IntakeSession, t: Catalogue) -> None:
        super().__init__(session, t)
        self.body.addWidget(label(t("review_heading"), "Heading"))
        self.body.addWidget(label(t("review_intro"), "Muted"))
        self.rows: list[ReviewRowButton] = []
        for row in session.review_rows():
            row_button = ReviewRowButton(row, t("change"))
            row_button.clicked.connect(lambda _=False, s=row.step: self.on_row_tapped(s))
            self.rows.append(row_button)
            self.body.addWidget(row_button)
        self.finish_layout()

    def on_row_tapped(self, step: Step) -> None:
        self.edit_requested.emit(step)


if __name__ == "__main__":
    from kiosk.ui.preview import preview_screen

    preview_screen(lambda session, t: ReviewScreen(session, t), answered=True)
