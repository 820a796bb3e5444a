"""The kiosk's store: intention-revealing functions over one database.

Screens never build queries; they call these. Each concern has its module — intakes,
drafts, staff accounts, the audit log — sharing one :class:`~kiosk.storage.database.Database`
(which reconnects after a lost connection and turns every failure into a StorageError) and
models bound to this store alone. Every write that must be whole (a submitted intake with
its flags, a review with its audit line) is one transaction. Staff operations take the
acting :class:`~kiosk.staff.access.StaffActor` and check its role here.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from peewee import PeeweeException

from kiosk.intake.records import PatientIdentifier, SubmittedIntake
from kiosk.private_files import purge_older
from kiosk.staff.access import StaffActor
from kiosk.storage.access import Access
from kiosk.storage.audit import AuditLog
from kiosk.storage.audit_triggers import ensure_audit_triggers
from kiosk.storage.backups import back_up
from kiosk.storage.database import Database, describe, open_peewee, without_password
from kiosk.storage.drafts import Drafts
from kiosk.storage.intakes import Intakes
from kiosk.storage.migrations import migrate
from kiosk.storage.models import bind_models
from kiosk.storage.outbox import Outbox
from kiosk.storage.records import (
    AuditLine,
    DraftRecord,
    IntakeDetail,
    QueueFilter,
    QueueRow,
    StorageError,
)
from kiosk.storage.staff_accounts import StaffAccounts

log = logging.getLogger(__name__)


class Store:
    """The kiosk's database. With ``key`` it is encrypted with SQLCipher (AES-256)."""

    def __init__(self, path: Path | None = None, key: str | None = None,
                 url: str | None = None, password: str | None = None) -> None:
        """Open ``path`` (SQLite, encrypted with ``key``) or ``url`` (``sqlite:///FILE`` or
        ``postgresql://user@host:port/db`` for a database shared by several kiosks;
        ``password``, when given, is its password, kept out of the URL)."""
        if url is not None and url.startswith("sqlite:///"):
            path, url = Path(url[len("sqlite:///"):]), None
        self.url = url
        self.path = Path(path) if path is not None else None
        self.encrypted = key is not None
        self._key = key
        where = str(self.path) if self.path is not None else without_password(url or "")
        self.database = Database(open_peewee(self.path, key, url, password), where)
        self.db = self.database.db
        self.engine = self.database.engine
        self.models = bind_models(self.db)
        self.audit_log = AuditLog(self.database, self.models)
        self.access = Access(self.database, self.models, self.audit_log)
        self.intakes = Intakes(self.database, self.models, self.audit_log, self.access)
        self.outbox = Outbox(self.database, self.models, self.audit_log, self.access,
                             self.intakes)
        self.draft_store = Drafts(self.database, self.models, self.audit_log, self.access)
        self.staff = StaffAccounts(self.database, self.models, self.audit_log, self.access,
                                   self.holds_patient_data)
        existed = self.path is not None and self.path.exists() and self.path.stat().st_size > 0
        try:
            self.db.connect()
            migrate(self.db)
            self._check_audit_triggers()
        except (PeeweeException, sqlite3.Error, StorageError) as exc:
            self.database.close()
            reason = describe(exc)
            if "file is not a database" in reason and existed:
                reason = ("the key does not open it (a wrong key, or an encrypted file opened "
                          "without its key, or a plain file opened with one)"
                          if key is not None else
                          "it is not a readable SQLite file (if it is encrypted, give its key)")
            raise StorageError(f"cannot open the database {where}: {reason}") from None
        self.database.on_reconnect = self._check_audit_triggers

    def _check_audit_triggers(self) -> None:
        """The audit log's append-only triggers, verified at every start (and reconnect):
        one that was dropped is put back, and that is logged and audited."""
        restored = ensure_audit_triggers(self.db)
        if restored:
            log.warning("audit log triggers were missing and have been restored: %s",
                        ", ".join(restored))
            self.audit_log.add("kiosk", "audit_triggers_restored", dt.datetime.now(),
                               success=False, detail=", ".join(restored))

    @property
    def deliver(self) -> bool:
        """Each submitted intake is queued for the clinic's EHR (delivery is configured)."""
        return self.intakes.deliver

    @deliver.setter
    def deliver(self, on: bool) -> None:
        self.intakes.deliver = on

    @property
    def last_error(self) -> str | None:
        """The last storage failure (what and why, never patient data), for staff to see."""
        return self.database.last_error

    def holds_patient_data(self) -> bool:
        return self.intakes.exist() or self.draft_store.count() > 0

    def rekey(self, new_key: str) -> None:
        """Re-encrypt the database with a new key (SQLCipher's ``PRAGMA rekey``)."""
        if not self.encrypted:
            raise StorageError("the database is not encrypted; there is no key to change")
        self.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.rekey(new_key)  # type: ignore[attr-defined] # a SqlCipherDatabase here
        self._key = new_key

    def backup(self, destination: Path, actor: StaffActor) -> Path:
        """A consistent copy of the database, taken with SQLite's backup API while the kiosk
        keeps running (encrypted under the same key), checked before it gets its name
        (:mod:`kiosk.storage.backups`); refuses to overwrite an existing file."""
        self.access.require(actor, "backup")
        if self.engine != "sqlite":
            raise StorageError("a shared PostgreSQL database is backed up on its server "
                               "(pg_dump), not from a kiosk")
        return back_up(self.db, self._key if self.encrypted else None, Path(destination))

    @property
    def protects_exports(self) -> bool:
        """Exports are encrypted: the kiosk holds patient data (an encrypted database, or
        the clinic's PostgreSQL), not the unencrypted demo."""
        return self.encrypted or self.engine != "sqlite"

    def purge_files_older_than(self, days: int, folders: Sequence[Path], actor: StaffActor,
                               at: dt.datetime) -> int:
        """Retention for exports and backups: delete the files in ``folders`` last changed
        more than ``days`` ago; audited with the count."""
        self.access.require(actor, "purge")
        if days < 1:
            raise ValueError("retention must be at least one day")
        cutoff = at - dt.timedelta(days=days)
        removed = sum(purge_older(folder, cutoff) for folder in folders)
        self.audit_log.add(actor.name, "purge_files", at,
                           detail=f"{removed} export and backup files older than {days} days")
        return removed

    def close(self) -> None:
        self.database.close()

    # -- patient side ----------------------------------------------------------------------
    def save_draft(self, uid: str, started_at: dt.datetime, data: dict[str, Any]) -> None:
        self.draft_store.save(uid, started_at, data)

    def discard_draft(self, uid: str) -> None:
        self.draft_store.discard(uid)

    def submit(self, intake: SubmittedIntake) -> int:
        return self.intakes.submit(intake)

    # -- staff side ------------------------------------------------------------------------
    def drafts(self, actor: StaffActor, limit: int = 50, offset: int = 0) -> list[DraftRecord]:
        return self.draft_store.interrupted(actor, limit, offset)

    def count_drafts(self) -> int:
        return self.draft_store.count()

    def discard_interrupted(self, draft_id: int, actor: StaffActor, at: dt.datetime) -> None:
        self.draft_store.discard_interrupted(draft_id, actor, at)

    def count_intakes(self, where: QueueFilter | None = None) -> int:
        return self.intakes.count(where)

    def queue_page(self, after: tuple[dt.datetime, int] | None = None, limit: int = 100,
                   where: QueueFilter | None = None) -> list[QueueRow]:
        return self.intakes.page(after, limit, where)

    def intake(self, intake_id: int, actor: StaffActor) -> IntakeDetail:
        return self.intakes.detail(intake_id, actor)

    def mark_reviewed(self, intake_id: int, actor: StaffActor, at: dt.datetime) -> None:
        self.intakes.mark_reviewed(intake_id, actor, at)

    def match_appointment(self, intake_id: int, actor: StaffActor,
                          identifier: PatientIdentifier, appointment_id: str,
                          at: dt.datetime) -> None:
        self.intakes.match_appointment(intake_id, actor, identifier, appointment_id, at)

    def intakes_between(self, start: dt.date, end: dt.date,
                        actor: StaffActor) -> Iterator[IntakeDetail]:
        """Intakes submitted from ``start`` to ``end`` inclusive, oldest first."""
        return self.intakes.matching(QueueFilter(start=start, end=end), actor)

    def intakes_matching(self, where: QueueFilter, actor: StaffActor, limit: int | None = None,
                         signatures: bool = True) -> Iterator[IntakeDetail]:
        return self.intakes.matching(where, actor, limit, signatures)

    def purge_older_than(self, days: int, actor: StaffActor, at: dt.datetime) -> int:
        return self.intakes.purge_older_than(days, actor, at)

    def setting(self, name: str, default: str = "") -> str:
        setting = self.models.Setting
        found = self.database.run("could not read a setting",
                                  lambda: setting.get_or_none(setting.name == name))
        return found.value if found else default

    def audit(self, actor: str, action: str, at: dt.datetime, intake_id: int | None = None,
              success: bool = True, detail: str = "") -> None:
        self.audit_log.add(actor, action, at, intake_id, success, detail)

    def audit_events(self, actor: StaffActor, limit: int = 200) -> list[AuditLine]:
        self.access.require(actor, "view_audit")
        return self.audit_log.lines(limit)
