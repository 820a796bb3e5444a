"""Local storage of intakes, drafts, staff accounts and the audit log (SQLite or PostgreSQL)."""

from kiosk.storage.records import (
    AuditLine,
    DraftRecord,
    IntakeDetail,
    NotPermitted,
    QueueFilter,
    QueueRow,
    StaffMember,
    StorageError,
)
from kiosk.storage.store import Store

__all__ = [
    "AuditLine", "DraftRecord", "IntakeDetail", "NotPermitted", "QueueFilter", "QueueRow",
    "StaffMember", "StorageError", "Store",
]
