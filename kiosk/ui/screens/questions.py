"""A page of a questionnaire: one page item and everything nested in it.

Repeating groups show each instance with a Remove button and end with "Add another".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget
from shiboken6 import isValid

from kiosk.content.catalogue import Catalogue
from kiosk.intake.records import Problem
from kiosk.questionnaire import Item
from kiosk.questionnaire.answering import Answerer
from kiosk.questionnaire.instances import Key, Path, is_repeating_group
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import button, label
from kiosk.ui.widgets.items import GroupWidget, ItemWidget, build_item_widget, is_anchor


class QuestionScreen(Screen):
    def __init__(self, answers: Answerer, t: Catalogue, top: Item,
                 allow_files: bool = False, sliced: bool = False) -> None:
        """``sliced``: only the frame now; :meth:`build_slices` adds the items."""
        super().__init__(None, t)
        self.answers = answers  # every change goes through it
        self.sheet = answers.sheet
        self.allow_files = allow_files
        self.top = top
        self.widgets: dict[Key, ItemWidget] = {}
        #: each repeating group's block (its instances and "Add another"), by (linkId, the
        #: path around it): hidden whole when no instance is enabled, so no Add another
        self.repeat_blocks: dict[Key, tuple[Item, QWidget]] = {}
        self.body.addWidget(label(t("questions_label"), "Muted"))
        if top.type == "group" and top.text:
            self.body.addWidget(label(top.text, "Heading"))
        slices = self._build_items()
        self._slices: Iterator[QWidget] = slices if sliced else iter(())
        if not sliced:
            for _ in slices:
                pass

    def build_slices(self) -> Iterator[QWidget]:
        return self._slices

    def _build_items(self) -> Iterator[QWidget]:
        # Pages are top-level items or children of a plain top-level group: no repeating
        # group surrounds them, so their path (or their parent's) is empty.
        yield from self._add(self.top, self.body, (), is_top=True)
        self.finish_layout()
        self._refresh(set(self.widgets), fresh=True)

    @property
    def items(self) -> dict[str, ItemWidget]:
        """The first instance's widget of every item, by linkId."""
        first: dict[str, ItemWidget] = {}
        for (link_id, _path), widget in sorted(self.widgets.items()):
            first.setdefault(link_id, widget)
        return first

    def _add(self, item: Item, layout: QVBoxLayout, path: Path, is_top: bool = False,
             indent: int = 0) -> Iterator[QWidget]:
        """Add ``item``; ``path`` is its own path, or its parent's for a repeating group.
        Yields each widget as it is added (a screen built in slices)."""
        if is_anchor(item) or item.hidden:
            return
        if is_repeating_group(item):
            block = QWidget()
            block_layout = QVBoxLayout(block)
            block_layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(block)
            self.repeat_blocks[(item.link_id, path)] = (item, block)
            yield from self._fill_repeats(item, block_layout, path)
            return
        widget = build_item_widget(item, self.answers, self.t, top=is_top, path=path,
                                   allow_files=self.allow_files)
        if indent:
            widget.layout_.setContentsMargins(indent, 8, 0, 8)
        widget.answered.connect(self.on_answered)
        self.widgets[(item.link_id, path)] = widget
        layout.addWidget(widget)
        yield widget
        for child in item.items:
            # Follow-up questions nested under a question are indented beneath it.
            yield from self._add(child, widget.layout_, path,
                                 indent=32 if item.is_question else 0)

    def _fill_repeats(self, group: Item, layout: QVBoxLayout,
                      parent_path: Path) -> Iterator[QWidget]:
        count = self.sheet.instances(group.link_id, parent_path)
        what = group.text or group.fhir_link_id
        for index in range(count):
            path = parent_path + (index,)
            heading = self.t("instance_heading", what=what, n=index + 1) if count > 1 else what
            if count == 1 and group is self.top:
                heading = ""  # the page's heading already says it
            widget = GroupWidget(group, self.answers, self.t, False, path, heading)
            self.widgets[(group.link_id, path)] = widget
            layout.addWidget(widget)
            yield widget
            for child in group.items:
                yield from self._add(child, widget.layout_, path)
            if count > 1:
                remove = button(self.t("remove_this"), "Quiet")
                remove.clicked.connect(
                    lambda _=False, p=path: self._change_repeats(group, layout, parent_path, p))
                widget.layout_.addWidget(remove)
        add = button(self.t("add_another", what=what))
        add.setObjectName("AddAnother")
        add.clicked.connect(lambda: self._change_repeats(group, layout, parent_path, None))
        layout.addWidget(add)

    def _change_repeats(self, group: Item, layout: QVBoxLayout, parent_path: Path,
                        remove: Path | None) -> None:
        """Add an instance (``remove`` None) or remove one, then rebuild the group's block."""
        if remove is None:
            self.answers.add_instance(group.link_id, parent_path)
        else:
            self.answers.remove_instance(group.link_id, remove)
        inside = {i.link_id for i in group.walk()}
        for key in [k for k in self.widgets if k[0] in inside]:
            del self.widgets[key]
        while layout.count():
            old = layout.takeAt(0).widget()
            if old is not None:
                old.hide()
                old.deleteLater()
        for _ in self._fill_repeats(group, layout, parent_path):
            pass
        self._refresh({k for k in self.widgets if k[0] in inside})

    def on_answered(self, link_id: str, changed: set[Key]) -> None:
        self._refresh(changed)
        self.changed.emit()
        self.refresh_banner()
        for calculated in self.sheet.recalculated:  # totals and scores, updated live
            if calculated in self.items:
                self.items[calculated].sync()
        for link_id in self.sheet.texts_changed:  # texts the form computes (cqf-expression)
            for (widget_link_id, _path), widget in self.widgets.items():
                if widget_link_id == link_id and hasattr(widget, "refresh_text"):
                    widget.refresh_text()
        for link_id in self.sheet.options_changed:  # option lists the form computes
            for (widget_link_id, _path), widget in self.widgets.items():
                if widget_link_id == link_id and hasattr(widget, "refresh_options"):
                    widget.refresh_options()
        appeared = [self.widgets[k] for k in changed if k in self.widgets
                    and self.widgets[k].isVisible()]
        answered = self.sender()
        if appeared and isinstance(answered, QWidget):
            # A follow-up that opens below the fold would go unseen: bring the first one
            # into view, never scrolling the question just answered off the top.
            first = min(appeared, key=lambda w: w.mapTo(self, w.rect().topLeft()).y())
            QTimer.singleShot(0, lambda: isValid(first) and isValid(answered)
                              and self.reveal_below(answered, first))

    def _refresh(self, keys: set[Key], fresh: bool = False) -> None:
        """Show or hide only the item instances whose enabled state changed (``fresh``: a
        screen being built, whose widgets show with it unless hidden here)."""
        for key in keys:
            widget = self.widgets.get(key)
            if widget is None:
                continue
            enabled = self.sheet.is_enabled(*key)
            if not fresh or not enabled:
                # Not setVisible(True) on a new widget: showing polishes it (the stylesheet)
                # before it is on screen, and the screen's move there would polish it again.
                widget.setVisible(enabled)
        changed = {link_id for link_id, _path in keys}
        for (link_id, parent_path), (_group, block) in self.repeat_blocks.items():
            if link_id in changed:
                count = self.sheet.instances(link_id, parent_path)
                shown = any(self.sheet.is_enabled(link_id, parent_path + (i,))
                            for i in range(count))
                if not fresh or not shown:
                    block.setVisible(shown)

    def show_problems(self, problems: Sequence[Problem]) -> QWidget | None:
        super().show_problems(problems)
        first: QWidget | None = None
        failing = {(p.field, p.path): p for p in problems}
        for key, widget in self.widgets.items():
            if key in failing:
                widget.show_error(self.message(failing[key]))
                first = first or widget
            else:
                widget.clear_error()
        return first


if __name__ == "__main__":
    from kiosk.ui.preview import preview_screen

    preview_screen(
        lambda service, t: QuestionScreen(
            service, t, service.session.content.questionnaire.items[0]
        )
    )
