"""Local storage of intakes, flags, reviews, the staff PIN hash and the audit log."""

from kiosk.storage.store import DraftRecord, IntakeDetail, QueueRow, StorageError, Store

__all__ = ["DraftRecord", "IntakeDetail", "QueueRow", "StorageError", "Store"]
