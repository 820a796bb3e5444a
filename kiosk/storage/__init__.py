"""Local storage of intakes, flags, reviews, the staff PIN hash and the audit log."""

from kiosk.storage.store import IntakeDetail, QueueRow, StorageError, Store

__all__ = ["IntakeDetail", "QueueRow", "StorageError", "Store"]
