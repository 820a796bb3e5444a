"""Labelled fields laid out in rows that fit the width: side by side when every field's
name (and what it must show) fits, else in fewer per row, down to one under the other
(portrait at the largest text). A field's name is never cut off (issue 12.9)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

# One way to arrange a group: how many of its fields go on each row, in order.
Arrangement = tuple[int, ...]


def labelled(field: QWidget) -> QWidget:
    """``field`` with its name shown above it: the label is the field's buddy, and the
    field's accessible name is the same words."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    caption = QLabel(field.accessibleName())
    caption.setObjectName("FieldLabel")
    caption.setBuddy(field)
    column.addWidget(caption)
    column.addWidget(field)
    holder.setProperty("field", field)
    return holder


def caption_of(holder: QWidget) -> QLabel:
    label = holder.findChild(QLabel)
    assert label is not None
    return label


def needed_width(holder: QWidget) -> int:
    """What a labelled field needs across: its whole name, and its field's least width."""
    field = holder.property("field")
    least = max(field.minimumSizeHint().width(), field.minimumWidth())
    return max(caption_of(holder).sizeHint().width(), least)


class FieldGroup:
    """Fields shown together, each with a stretch, and the arrangements to try in turn
    (the first that fits the width is used; the last is every field on its own row)."""

    def __init__(self, fields: Sequence[tuple[QWidget, int]],
                 arrangements: Sequence[Arrangement]) -> None:
        self.fields = list(fields)
        self.arrangements = [*arrangements, (1,) * len(fields)]

    def choose(self, width: int, spacing: int) -> Arrangement:
        for arrangement in self.arrangements:
            if all(self._row_width(row, spacing) <= width for row in self._rows(arrangement)):
                return arrangement
        return self.arrangements[-1]

    def _rows(self, arrangement: Arrangement) -> list[list[tuple[QWidget, int]]]:
        rows, start = [], 0
        for count in arrangement:
            rows.append(self.fields[start:start + count])
            start += count
        return rows

    def _row_width(self, row: list[tuple[QWidget, int]], spacing: int) -> int:
        return sum(needed_width(holder) for holder, _ in row) + spacing * (len(row) - 1)


class FittedRows(QVBoxLayout):
    """The rows of several field groups, rearranged when the width calls for it (the
    owning widget calls ``fit`` from its resize and style-change events)."""

    def __init__(self, groups: Sequence[FieldGroup]) -> None:
        super().__init__()
        self.setContentsMargins(0, 0, 0, 0)
        self.groups = list(groups)
        self.plan: tuple[Arrangement, ...] = ()
        self._place(tuple(group.arrangements[0] for group in self.groups))

    def fit(self, width: int) -> None:
        spacing = max(0, self.spacing())
        plan = tuple(group.choose(width, spacing) for group in self.groups)
        if plan != self.plan:
            self._place(plan)

    def _place(self, plan: tuple[Arrangement, ...]) -> None:
        while self.count():
            row = self.takeAt(0).layout()
            if isinstance(row, QBoxLayout):
                while row.count():
                    row.takeAt(0)
                row.deleteLater()
        for group, arrangement in zip(self.groups, plan, strict=True):
            for fields in group._rows(arrangement):
                row = QHBoxLayout()
                for holder, stretch in fields:
                    # top-aligned: a field that wraps its text grows without moving the
                    # names of the fields beside it
                    row.addWidget(holder, stretch, Qt.AlignmentFlag.AlignTop)
                self.addLayout(row)
        self.plan = plan
