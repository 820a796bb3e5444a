"""The review queue's table: a row opens with a tap, Return, Enter or Space, or the
accessibility action on one of its cells."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

_OPEN_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space}


class QueueTable(QTableView):
    opened = Signal(QModelIndex)  # a row the staff member asked to open
    resized = Signal()  # its width changed: the screen fits the columns to it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.clicked.connect(self.opened)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.resized.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in _OPEN_KEYS and self.currentIndex().isValid():
            self.opened.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def selectionChanged(self, selected: QItemSelection,  # noqa: N802
                         deselected: QItemSelection) -> None:
        super().selectionChanged(selected, deselected)
        # Qt's accessible table cell has one action, Toggle, which selects the cell without
        # making it current (a tap or an arrow key moves the current row with it): a row
        # selected so was asked for by assistive technology — open it.
        current = self.currentIndex().row()
        for index in selected.indexes():
            if index.row() != current:
                self.opened.emit(index)
                return
