"""The audit log: who did what and when (ids, never patient data), append-only."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kiosk.storage.records import AuditLine
from kiosk.storage.times import naive_local

if TYPE_CHECKING:
    from kiosk.storage.database import Database
    from kiosk.storage.models import Models


class AuditLog:
    def __init__(self, database: Database, models: Models) -> None:
        self.database = database
        self.models = models

    def add(self, actor: str, action: str, at: dt.datetime, intake_id: int | None = None,
            success: bool = True, detail: str = "") -> None:
        """One line, in its own transaction."""
        def write() -> None:
            with self.database.writing():
                self.write(actor, action, at, intake_id, success, detail)

        self.database.run("could not write the audit log", write)

    def write(self, actor: str, action: str, at: dt.datetime, intake_id: int | None = None,
              success: bool = True, detail: str = "") -> None:
        """One line inside the caller's transaction (the change and its audit line together)."""
        self.models.AuditEvent.create(at=naive_local(at), actor=actor[:200], action=action,
                                      intake_id=intake_id, success=success, detail=detail)

    def lines(self, limit: int = 200) -> list[AuditLine]:
        event = self.models.AuditEvent
        query = (event.select(event.id, event.at, event.actor, event.action, event.intake_id,
                              event.success, event.detail)
                 .order_by(event.id.desc()).limit(limit))
        return self.database.run("could not read the audit log",
                                 lambda: [AuditLine(*row) for row in query.tuples()])
