"""Review: every answer in plain words; a tap on one goes back to change it."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.intake.records import ReviewRow, Step
from kiosk.intake.session import IntakeSession
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import WrappingButton, label


class ReviewRowButton(WrappingButton):
    """One answer on the review: the question, the answer, and "Change"."""

    MIN_HEIGHT = 72

    def __init__(self, row: ReviewRow, change: str) -> None:
        super().__init__()
        self.setObjectName("ReviewRow")
        self.row = row
        self.setAccessibleName(f"{row.label}: {row.value}. {change}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 10)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.add_label(texts, row.label, "RowQuestion")
        self.add_label(texts, row.value, "RowAnswer")
        layout.addLayout(texts, 1)
        action = self.add_label(layout, f"{change} ›", "RowAction")
        action.setWordWrap(False)


class ReviewScreen(Screen):
    edit_requested = Signal(object)  # Step

    def __init__(self, session: IntakeSession, t: Catalogue, sliced: bool = False) -> None:
        """``sliced``: the rows are added by :meth:`build_slices`."""
        super().__init__(session, t)
        self.body.addWidget(label(t("review_heading"), "Heading"))
        self.body.addWidget(label(t("review_intro"), "Muted"))
        self.rows: list[ReviewRowButton] = []
        slices = self._add_rows(session)
        self._slices: Iterator[QWidget] = slices if sliced else iter(())
        if not sliced:
            for _ in slices:
                pass

    def build_slices(self) -> Iterator[QWidget]:
        return self._slices

    def _add_rows(self, session: IntakeSession) -> Iterator[QWidget]:
        for row in session.review_rows():  # the answers as they are now, taken at once
            row_button = ReviewRowButton(row, self.t("change"))
            row_button.clicked.connect(lambda _=False, s=row.step: self.on_row_tapped(s))
            self.rows.append(row_button)
            self.body.addWidget(row_button)
            yield row_button
        self.finish_layout()

    def on_row_tapped(self, step: Step) -> None:
        self.edit_requested.emit(step)


if __name__ == "__main__":
    from kiosk.ui.preview import preview_screen

    preview_screen(lambda service, t: ReviewScreen(service.session, t), answered=True)
