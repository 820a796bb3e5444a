"""The delivery outbox: submitted intakes on their way to the clinic's EHR.

A row is written in the intake's own transaction (store and forward: the intake is never
stored without it while delivery is on), taken by the background sender when due, and
marked *sent* (with where the server filed it), *waiting* again with a later try after a
failure that may pass (server down, network gone, 5xx), or *failed* with the server's
reason (a 4xx: resending the same thing would not help). Staff see the state per intake
and can resend; a resend is audited. Reasons hold no patient data of the kiosk's making;
they are shown to staff, never logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from peewee import fn

from kiosk.staff.access import StaffActor
from kiosk.storage.records import IntakeDetail
from kiosk.storage.times import naive_local

if TYPE_CHECKING:
    from kiosk.storage.access import Access
    from kiosk.storage.audit import AuditLog
    from kiosk.storage.database import Database
    from kiosk.storage.intakes import Intakes
    from kiosk.storage.models import Models

WAITING, SENT, FAILED = "waiting", "sent", "failed"
REASON_LENGTH = 500


@dataclass(frozen=True)
class Delivery:
    """One intake's delivery, as staff see it."""

    intake_id: int
    state: str  # waiting | sent | failed
    attempts: int
    queued_at: dt.datetime
    next_attempt_at: dt.datetime
    last_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None
    reason: str
    location: str


class Outbox:
    def __init__(self, database: Database, models: Models, audit: AuditLog, access: Access,
                 intakes: Intakes) -> None:
        self.database = database
        self.models = models
        self.audit = audit
        self.access = access
        self.intakes = intakes

    # -- the sender ------------------------------------------------------------------------
    def due(self, now: dt.datetime, limit: int = 10) -> list[Delivery]:
        """Waiting deliveries whose next try has come, oldest first."""
        box = self.models.Outbox
        query = (box.select().where((box.state == WAITING)
                                    & (box.next_attempt_at <= naive_local(now)))
                 .order_by(box.next_attempt_at, box.id).limit(limit))
        return self.database.run("could not read the outbox",
                                 lambda: [_delivery(row) for row in query])

    def next_due(self) -> dt.datetime | None:
        """When the earliest waiting delivery is due (None: nothing waits)."""
        box = self.models.Outbox
        query = (box.select(box.next_attempt_at).where(box.state == WAITING)
                 .order_by(box.next_attempt_at).limit(1))
        rows = self.database.run("could not read the outbox", lambda: list(query.tuples()))
        return rows[0][0] if rows else None

    def claim(self, intake_id: int, now: dt.datetime, lease_seconds: float) -> bool:
        """Take a due delivery for this kiosk alone: its next try moves ``lease_seconds``
        on, in one UPDATE that only one kiosk sharing the database can win. False: another
        kiosk took it (or it is no longer due)."""
        box = self.models.Outbox
        now = naive_local(now)

        def write() -> int:
            with self.database.writing():
                return int(box.update(
                    next_attempt_at=now + dt.timedelta(seconds=lease_seconds)).where(
                    (box.intake == intake_id) & (box.state == WAITING)
                    & (box.next_attempt_at <= now)).execute())

        return self.database.run("could not update the outbox", write) == 1

    def intake_for_delivery(self, intake_id: int) -> IntakeDetail:
        """The stored intake, for the sender to build what it sends (no staff involved)."""
        return self.intakes.read(intake_id)

    def sent(self, intake_id: int, at: dt.datetime, location: str) -> None:
        self._update(intake_id, state=SENT, sent_at=naive_local(at),
                     last_attempt_at=naive_local(at), reason="", location=location[:500],
                     attempts=self.models.Outbox.attempts + 1)

    def retry_later(self, intake_id: int, at: dt.datetime, reason: str,
                    next_at: dt.datetime) -> None:
        self._update(intake_id, state=WAITING, last_attempt_at=naive_local(at),
                     next_attempt_at=naive_local(next_at), reason=reason[:REASON_LENGTH],
                     attempts=self.models.Outbox.attempts + 1)

    def failed(self, intake_id: int, at: dt.datetime, reason: str) -> None:
        self._update(intake_id, state=FAILED, last_attempt_at=naive_local(at),
                     reason=reason[:REASON_LENGTH], attempts=self.models.Outbox.attempts + 1)

    def _update(self, intake_id: int, **values: object) -> None:
        box = self.models.Outbox

        def write() -> None:
            with self.database.writing():
                box.update(**values).where(box.intake == intake_id).execute()

        self.database.run("could not update the outbox", write)

    # -- staff -----------------------------------------------------------------------------
    def delivery(self, intake_id: int, actor: StaffActor) -> Delivery | None:
        """The intake's delivery (None: it was never queued — delivery was off)."""
        self.access.require(actor, "view")
        box = self.models.Outbox
        row = self.database.run("could not read the outbox",
                                lambda: box.get_or_none(box.intake == intake_id))
        return _delivery(row) if row is not None else None

    def counts(self) -> dict[str, int]:
        """How many deliveries are waiting, sent and failed."""
        box = self.models.Outbox
        query = box.select(box.state, fn.COUNT(box.id)).group_by(box.state)
        found = self.database.run("could not read the outbox", lambda: dict(query.tuples()))
        return {state: int(found.get(state, 0)) for state in (WAITING, SENT, FAILED)}

    def resend(self, intake_id: int, actor: StaffActor, at: dt.datetime) -> None:
        """Queue the intake again now (failed, sent, or never queued); audited."""
        self.access.require(actor, "export")
        box = self.models.Outbox
        at = naive_local(at)

        def write() -> None:
            with self.database.writing():
                updated = box.update(state=WAITING, next_attempt_at=at, reason="").where(
                    box.intake == intake_id).execute()
                if not updated:
                    box.create(intake=intake_id, state=WAITING, queued_at=at,
                               next_attempt_at=at)
                self.audit.write(actor.name, "ehr_resend", at, intake_id)

        self.database.run("could not queue the intake for the EHR", write)


def _delivery(row: Any) -> Delivery:
    return Delivery(
        intake_id=int(row.intake_id),
        state=row.state,
        attempts=row.attempts,
        queued_at=row.queued_at,
        next_attempt_at=row.next_attempt_at,
        last_attempt_at=row.last_attempt_at,
        sent_at=row.sent_at,
        reason=row.reason,
        location=row.location,
    )
