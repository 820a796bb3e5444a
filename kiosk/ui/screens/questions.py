"""A page of the risk questionnaire: one top-level item and everything nested in it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from kiosk.questionnaire import AnswerSheet, Item
from kiosk.session import Problem
from kiosk.strings import Catalogue
from kiosk.ui.item_widgets import ItemWidget, build_item_widget, is_anchor
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import label


class QuestionScreen(Screen):
    def __init__(self, sheet: AnswerSheet, t: Catalogue, top: Item) -> None:
        super().__init__(None, t)
        self.sheet = sheet
        self.top = top
        self.items: dict[str, ItemWidget] = {}
        self.body.addWidget(label(t("questions_label"), "Muted"))
        if top.type == "group" and top.text:
            self.body.addWidget(label(top.text, "Heading"))
        self._add(top, self.body, is_top=True)
        self.finish_layout()
        self._refresh(set(self.items))

    def _add(self, item: Item, layout, is_top: bool = False, indent: int = 0) -> None:
        if is_anchor(item) or item.hidden:
            return
        widget = build_item_widget(item, self.sheet, self.t, top=is_top)
        if indent:
            widget.layout_.setContentsMargins(indent, 8, 0, 8)
        widget.answered.connect(self.on_answered)
        self.items[item.link_id] = widget
        layout.addWidget(widget)
        for child in item.items:
            # Follow-up questions nested under a question are indented beneath it.
            self._add(child, widget.layout_, indent=32 if item.is_question else 0)

    def on_answered(self, link_id: str, changed: set[str]) -> None:
        self._refresh(changed)
        for calculated in self.sheet.recalculated:  # totals and scores, updated live
            if calculated in self.items:
                self.items[calculated].sync()
        appeared = [self.items[k] for k in changed if k in self.items and self.items[k].isVisible()]
        if appeared:
            # A follow-up that opens below the fold would go unseen: bring it into view.
            last = max(appeared, key=lambda w: w.mapTo(self, w.rect().bottomLeft()).y())
            QTimer.singleShot(0, lambda: isValid(last) and self.reveal(last))

    def _refresh(self, link_ids: set[str]) -> None:
        """Show or hide only the items whose enabled state changed."""
        for link_id in link_ids:
            widget = self.items.get(link_id)
            if widget is not None:
                widget.setVisible(self.sheet.is_enabled(link_id))

    def show_problems(self, problems: Sequence[Problem]) -> QWidget | None:
        super().show_problems(problems)
        first: QWidget | None = None
        failing = {p.field: p for p in problems}
        for link_id, widget in self.items.items():
            if link_id in failing:
                widget.show_error(self.message(failing[link_id]))
                first = first or widget
            else:
                widget.clear_error()
        return first


if __name__ == "__main__":
    from kiosk.ui.preview import preview_screen

    preview_screen(
        lambda session, t: QuestionScreen(
            session.answers, t, session.content.questionnaire.items[0]
        )
    )
