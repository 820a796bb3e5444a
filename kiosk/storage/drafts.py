"""Drafts: an intake saved as the patient answers it; interrupted intakes for staff."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from kiosk.staff.access import StaffActor
from kiosk.storage.records import DraftRecord
from kiosk.storage.times import naive_local

if TYPE_CHECKING:
    from kiosk.storage.access import Access
    from kiosk.storage.audit import AuditLog
    from kiosk.storage.database import Database
    from kiosk.storage.models import Models


class Drafts:
    def __init__(self, database: Database, models: Models, audit: AuditLog,
                 access: Access) -> None:
        self.database = database
        self.models = models
        self.audit = audit
        self.access = access

    def save(self, uid: str, started_at: dt.datetime, data: dict[str, Any]) -> None:
        """Save (or replace) the draft of an intake being answered, in one transaction.
        An upsert: running it twice (after a reconnect) leaves the same row."""
        draft = self.models.Draft
        text = json.dumps(data, ensure_ascii=False)

        def write() -> None:
            with self.database.writing():
                draft.insert(
                    uid=uid, started_at=naive_local(started_at),
                    updated_at=naive_local(dt.datetime.now()), data_json=text,
                ).on_conflict(
                    conflict_target=[draft.uid], preserve=[draft.updated_at, draft.data_json],
                ).execute()

        self.database.run("could not save a draft", write)
        self.database.saved()

    def discard(self, uid: str) -> None:
        """The patient left (start over, idle): their unfinished answers go."""
        draft = self.models.Draft

        def delete() -> None:
            with self.database.writing():
                draft.delete().where(draft.uid == uid).execute()

        self.database.run("could not discard the draft", delete)

    def count(self) -> int:
        return self.database.run("could not count drafts",
                                 lambda: self.models.Draft.select().count())

    def interrupted(self, actor: StaffActor, limit: int = 50,
                    offset: int = 0) -> list[DraftRecord]:
        """Drafts for staff, newest first, a page at a time."""
        self.access.require(actor, "view")
        draft = self.models.Draft
        query = (draft.select(draft.id, draft.uid, draft.started_at, draft.updated_at,
                              draft.data_json)
                 .order_by(draft.started_at.desc(), draft.id.desc()).offset(offset).limit(limit))
        return self.database.run("could not read interrupted intakes", lambda: [
            DraftRecord(i, uid, started, updated, json.loads(data))
            for i, uid, started, updated, data in query.tuples()])

    def discard_interrupted(self, draft_id: int, actor: StaffActor, at: dt.datetime) -> None:
        """Staff discard an interrupted intake (audited, without patient data)."""
        self.access.require(actor, "discard_interrupted")
        draft = self.models.Draft

        def delete() -> None:
            with self.database.writing():
                draft.delete().where(draft.id == draft_id).execute()
                self.audit.write(actor.name, "interrupted_discarded", at,
                                 detail=f"draft {draft_id}")

        self.database.run("could not discard the interrupted intake", delete)
