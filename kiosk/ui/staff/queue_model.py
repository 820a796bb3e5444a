"""The review queue as a Qt item model that fetches rows page by page, newest first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.export.summary import procedure_title
from kiosk.storage import QueueFilter, QueueRow, StorageError, Store

PAGE_SIZE = 200
_Index = QModelIndex | QPersistentModelIndex


class QueueModel(QAbstractTableModel):
    COLUMNS = ("col_time", "col_name", "col_birth", "col_procedure", "col_status", "col_flags")

    def __init__(self, store: Store, content: ContentLibrary, t: Catalogue,
                 on_storage_error: Callable[[StorageError], None] | None = None) -> None:
        """``on_storage_error``: told when a page cannot be read as the list scrolls (Qt
        asks for it from inside the view, where an exception has nowhere to go)."""
        super().__init__()
        self.on_storage_error = on_storage_error
        self.store = store
        self.content = content
        self.t = t
        self.rows: list[QueueRow] = []
        self.where: QueueFilter | None = None
        self._more = True
        self.birth_under_name = False
        self._titles = {p.id: procedure_title(content, p.id) for p in content.procedures}

    def reload(self, where: QueueFilter | None = None) -> None:
        rows = self.store.queue_page(limit=PAGE_SIZE, where=where)  # may raise: read first
        self.beginResetModel()
        self.where = where
        self.rows = rows
        self._more = len(self.rows) == PAGE_SIZE
        self.endResetModel()

    def set_birth_under_name(self, under: bool) -> None:
        """Show the date of birth on a second line of the patient column (when the view
        hides the birth-date column to make room, in portrait)."""
        if under != self.birth_under_name:
            self.birth_under_name = under
            if self.rows:
                self.dataChanged.emit(self.index(0, 1), self.index(len(self.rows) - 1, 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802
        return not parent.isValid() and self._more and bool(self.rows)

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802
        if parent.isValid() or not self.rows:
            return
        try:
            page = self.store.queue_page(after=self.rows[-1].cursor, limit=PAGE_SIZE,
                                         where=self.where)
        except StorageError as exc:
            self._more = False  # asked again on the next reload, not on every scroll step
            if self.on_storage_error is not None:
                self.on_storage_error(exc)
            return
        self._more = len(page) == PAGE_SIZE
        if page:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.t(self.COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return row.submitted_at.strftime("%Y-%m-%d %H:%M")
            if column == 1:
                name = f"{row.last_name}, {row.first_name}"
                if self.birth_under_name:
                    return f"{name}\n{row.birth_date.strftime('%Y-%m-%d')}"
                return name
            if column == 2:
                return row.birth_date.strftime("%Y-%m-%d")
            if column == 3:
                return self._titles.get(row.procedure_id, row.procedure_id)
            if column == 4:
                return (
                    f"{self.t('status_reviewed')} ({row.reviewed_by})"
                    if row.reviewed_at else self.t("status_new")
                )
            if column == 5:
                return f"{row.flag_count}: {row.flag_labels}" if row.flag_count else "—"
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 5 and row.high_flag_count:
                return QBrush(QColor("#b00020"))
            if column == 4 and not row.reviewed_at:
                return QBrush(QColor("#8a5300"))
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return row.flag_labels
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
