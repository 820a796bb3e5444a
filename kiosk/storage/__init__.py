"""Local storage of intakes, flags, reviews, the staff PIN hash and the audit log."""

from kiosk.storage.store import (
    DraftRecord,
    IntakeDetail,
    QueueFilter,
    QueueRow,
    StorageError,
    Store,
)

__all__ = [
    "DraftRecord", "IntakeDetail", "QueueFilter", "QueueRow", "StorageError", "Store",
]
