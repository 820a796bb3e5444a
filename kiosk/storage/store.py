"""The kiosk's store: intention-revealing functions over one SQLite database.

Screens never build queries; they call these. Every write that must be whole
(a submitted intake with its flags, a review with its audit line) is one
transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from peewee import PeeweeException, SqliteDatabase

from kiosk.content.teach_back import CheckResult
from kiosk.intake.flags import Flag
from kiosk.intake.records import SubmittedIntake
from kiosk.storage.migrations import migrate
from kiosk.storage.models import (
    MODELS,
    AuditEvent,
    Draft,
    Intake,
    IntakeFlag,
    Review,
    Setting,
)
from kiosk.storage.staff_accounts import StaffAccounts

# peewee logs every query *with its parameters* at DEBUG: names, answers, PIN hashes.
# Keep it quiet whatever level the application runs at.
logging.getLogger("peewee").setLevel(logging.INFO)


@dataclass(frozen=True)
class QueueRow:
    id: int
    submitted_at: dt.datetime
    first_name: str
    last_name: str
    birth_date: dt.date
    procedure_id: str
    reviewed_at: dt.datetime | None
    reviewed_by: str | None
    flag_count: int
    high_flag_count: int
    flag_labels: str

    @property
    def cursor(self) -> tuple[dt.datetime, int]:
        return self.submitted_at, self.id


@dataclass(frozen=True)
class QueueFilter:
    """What staff narrowed the queue to. Empty: every intake."""

    flag: str = ""  # "" every intake; ANY_FLAG, HIGH_FLAG, or one rule id ("anticoagulant")
    to_review_only: bool = False
    start: dt.date | None = None  # submitted on or after this day
    end: dt.date | None = None  # submitted on or before this day

    ANY_FLAG = "*"
    HIGH_FLAG = "!"


@dataclass(frozen=True)
class DraftRecord:
    id: int
    uid: str
    started_at: dt.datetime
    updated_at: dt.datetime
    data: dict


@dataclass(frozen=True)
class IntakeDetail:
    row: QueueRow
    uid: str
    language: str
    questionnaire_url: str
    questionnaire_version: str
    response: dict
    flags: tuple[Flag, ...]
    signature_png: bytes | None = None
    understanding: tuple[CheckResult, ...] = ()


class StorageError(RuntimeError):
    """Storage failed (disk full, read-only, corrupt); the message holds no patient data."""


class Store:
    """The kiosk's database. With ``key`` it is encrypted with SQLCipher (AES-256)."""

    def __init__(self, path: Path | None = None, key: str | None = None,
                 url: str | None = None) -> None:
        """Open ``path`` (SQLite, encrypted with ``key``) or ``url`` (``sqlite:///FILE`` or
        ``postgresql://user@host:port/db`` for a database shared by several kiosks)."""
        if url is not None and url.startswith("sqlite:///"):
            path, url = Path(url[len("sqlite:///"):]), None
        self.url = url
        self.engine = "postgresql" if url else "sqlite"
        self.path = Path(path) if path is not None else None
        self.encrypted = key is not None
        self._key = key
        if url is not None:
            if key is not None:
                raise StorageError("a key encrypts SQLite files; protect PostgreSQL on the server")
            from playhouse.db_url import connect

            self.db = connect(url)
        else:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            pragmas = {
                "journal_mode": "wal",
                "foreign_keys": 1,
                "synchronous": "full",  # a submitted intake survives a power cut
                "busy_timeout": 5000,
            }
            if key is not None:
                from playhouse.sqlcipher_ext import SqlCipherDatabase

                # cipher_log_level first: a wrong key would otherwise print hmac errors.
                self.db = SqlCipherDatabase(str(self.path), passphrase=key,
                                            pragmas={"cipher_log_level": "NONE", **pragmas})
            else:
                self.db = SqliteDatabase(str(self.path), pragmas=pragmas)
        self.db.bind(MODELS)
        #: the last write that failed (what and why, never patient data), for staff to see
        self.last_error: str | None = None
        self.staff = StaffAccounts(self)
        existed = self.path is not None and self.path.exists() and self.path.stat().st_size > 0
        try:
            self.db.connect()
            migrate(self.db)
        except (PeeweeException, sqlite3.Error) as exc:
            self.db.close()
            reason = str(exc)
            if "file is not a database" in reason and existed:
                reason = ("the key does not open it (a wrong key, or an encrypted file opened "
                          "without its key, or a plain file opened with one)"
                          if key is not None else
                          "it is not a readable SQLite file (if it is encrypted, give its key)")
            where = self.path if self.path is not None else _without_password(self.url or "")
            raise StorageError(f"cannot open the database {where}: {reason}") from None

    def rekey(self, new_key: str) -> None:
        """Re-encrypt the database with a new key (SQLCipher's ``PRAGMA rekey``)."""
        if not self.encrypted:
            raise StorageError("the database is not encrypted; there is no key to change")
        self.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.rekey(new_key)
        self._key = new_key

    def _failed(self, what: str, exc: BaseException) -> StorageError:
        # sqlite's messages name the problem ("database or disk is full", "attempt to write a
        # readonly database"), never the values being written. When SQLite has already rolled
        # the transaction back itself (a full disk does), peewee's own rollback then fails and
        # hides the cause: report the error underneath.
        while "cannot rollback" in str(exc) and exc.__context__ is not None:
            exc = exc.__context__
        self.last_error = (f"{dt.datetime.now():%Y-%m-%d %H:%M}: {what}: "
                           f"{type(exc).__name__}: {exc}")
        return StorageError(f"{what}: {type(exc).__name__}: {exc}")

    def backup(self, destination: Path) -> Path:
        """A consistent copy of the database, taken with SQLite's backup API while the kiosk
        keeps running; refuses to overwrite an existing file."""
        destination = Path(destination)
        if self.engine != "sqlite":
            raise StorageError("a shared PostgreSQL database is backed up on its server "
                               "(pg_dump), not from a kiosk")
        if destination.exists():
            raise StorageError(f"{destination} already exists; choose a new name")
        destination.parent.mkdir(parents=True, exist_ok=True)
        if self.encrypted:
            return self._encrypted_backup(destination)
        target = sqlite3.connect(destination)
        try:
            self.db.connection().backup(target)
        except sqlite3.Error as exc:
            target.close()
            destination.unlink(missing_ok=True)
            raise StorageError(f"backup failed: {exc}") from None
        target.close()
        return destination

    def _encrypted_backup(self, destination: Path) -> Path:
        """An encrypted copy under the same key (sqlcipher_export reads one snapshot)."""
        quoted = str(destination).replace("'", "''")
        key = (self._key or "").replace("'", "''")
        try:
            self.db.execute_sql(f"ATTACH DATABASE '{quoted}' AS backup KEY '{key}'")
            try:
                self.db.execute_sql("SELECT sqlcipher_export('backup')")
                version = self.db.execute_sql("PRAGMA user_version").fetchone()[0]
                self.db.execute_sql(f"PRAGMA backup.user_version = {int(version)}")
            finally:
                self.db.execute_sql("DETACH DATABASE backup")
        except (PeeweeException, sqlite3.Error) as exc:
            destination.unlink(missing_ok=True)
            raise StorageError(f"backup failed: {type(exc).__name__}") from None
        return destination

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()

    # -- patient side ----------------------------------------------------------------------
    def save_draft(self, uid: str, started_at: dt.datetime, data: dict) -> None:
        """Save (or replace) the draft of an intake being answered, in one transaction."""
        try:
            with self.db.atomic():
                Draft.insert(
                    uid=uid, started_at=_naive_local(started_at),
                    updated_at=_naive_local(dt.datetime.now()),
                    data_json=json.dumps(data, ensure_ascii=False),
                ).on_conflict(
                    conflict_target=[Draft.uid],
                    preserve=[Draft.updated_at, Draft.data_json],
                ).execute()
            self.last_error = None
        except Exception as exc:  # noqa: BLE001 - disk full, read-only: said calmly upstream
            raise self._failed("could not save a draft", exc) from None

    def discard_draft(self, uid: str) -> None:
        """The patient left (start over, idle): their unfinished answers go."""
        try:
            with self.db.atomic():
                Draft.delete().where(Draft.uid == uid).execute()
        except Exception as exc:  # noqa: BLE001
            raise StorageError(f"could not discard the draft: {type(exc).__name__}") from None

    def drafts(self) -> list[DraftRecord]:
        return [DraftRecord(d.id, d.uid, d.started_at, d.updated_at, json.loads(d.data_json))
                for d in Draft.select().order_by(Draft.started_at.desc())]

    def discard_interrupted(self, draft_id: int, actor: str, at: dt.datetime) -> None:
        """Staff discard an interrupted intake (audited, without patient data)."""
        with self.db.atomic():
            Draft.delete().where(Draft.id == draft_id).execute()
            self._audit(actor, "interrupted_discarded", _naive_local(at),
                        detail=f"draft {draft_id}")

    def submit(self, intake: SubmittedIntake) -> int:
        """Write a submitted intake and its flags in one transaction, and drop its draft;
        returns its id. It is all there afterwards, or none of it."""
        try:
            with self.db.atomic():
                Draft.delete().where(Draft.uid == intake.uid).execute()
                row = Intake.create(
                    uid=intake.uid,
                    submitted_at=_naive_local(intake.submitted_at),
                    first_name=intake.first_name,
                    last_name=intake.last_name,
                    birth_date=intake.birth_date,
                    procedure_id=intake.procedure_id,
                    language=intake.language,
                    questionnaire_url=intake.questionnaire_url,
                    questionnaire_version=intake.questionnaire_version,
                    response_json=json.dumps(intake.response, ensure_ascii=False),
                    flag_count=len(intake.flags),
                    high_flag_count=sum(f.severity == "high" for f in intake.flags),
                    flag_labels="; ".join(f.label for f in intake.flags),
                    signature_png=intake.signature_png,
                    understanding_json=json.dumps(
                        [r.to_json() for r in intake.understanding], ensure_ascii=False),
                )
                if intake.flags:
                    IntakeFlag.insert_many(
                        [
                            {"intake": row.id, "rule_id": f.rule_id, "severity": f.severity,
                             "label": f.label, "text": f.text, "position": i}
                            for i, f in enumerate(intake.flags)
                        ]
                    ).execute()
            self.last_error = None
            return row.id
        except Exception as exc:  # peewee wraps sqlite3 errors; keep patient data out
            raise self._failed("could not save the intake", exc) from None

    # -- staff side ------------------------------------------------------------------------
    def count_intakes(self, where: QueueFilter | None = None) -> int:
        if where is not None and where.flag not in ("", QueueFilter.ANY_FLAG,
                                                    QueueFilter.HIGH_FLAG) \
                and where == QueueFilter(flag=where.flag):  # one flag only: its own index
            return (IntakeFlag.select(IntakeFlag.intake).where(IntakeFlag.rule_id == where.flag)
                    .distinct().count())
        return _filtered(Intake.select(), where).count()

    def queue_page(
        self, after: tuple[dt.datetime, int] | None = None, limit: int = 100,
        where: QueueFilter | None = None,
    ) -> list[QueueRow]:
        """Intakes newest first, ``limit`` at a time, continuing after ``after``'s cursor,
        narrowed by ``where``. Keyset paging: every page costs the same, even the last."""
        query = _filtered(Intake.select(
            Intake.id, Intake.submitted_at, Intake.first_name, Intake.last_name,
            Intake.birth_date, Intake.procedure_id, Intake.reviewed_at, Intake.reviewed_by,
            Intake.flag_count, Intake.high_flag_count, Intake.flag_labels,
        ), where)
        if after is not None:
            at, last_id = after
            query = query.where(
                (Intake.submitted_at < at) | ((Intake.submitted_at == at) & (Intake.id < last_id))
            )
        query = query.order_by(Intake.submitted_at.desc(), Intake.id.desc()).limit(limit)
        return [_queue_row(r) for r in query.tuples()]

    def intake(self, intake_id: int) -> IntakeDetail:
        row = Intake.get_by_id(intake_id)
        flags = tuple(
            Flag(f.rule_id, f.severity, f.label, f.text)
            for f in row.flags.order_by(IntakeFlag.position)
        )
        return _detail(row, flags)

    def mark_reviewed(self, intake_id: int, staff_name: str, at: dt.datetime) -> None:
        at = _naive_local(at)
        with self.db.atomic():
            Review.create(intake=intake_id, staff_name=staff_name, reviewed_at=at)
            Intake.update(reviewed_at=at, reviewed_by=staff_name).where(
                Intake.id == intake_id
            ).execute()
            self._audit(staff_name, "intake_reviewed", at, intake_id)

    def intakes_between(self, start: dt.date, end: dt.date) -> Iterator[IntakeDetail]:
        """Intakes submitted from ``start`` to ``end`` inclusive, oldest first."""
        return self.intakes_matching(QueueFilter(start=start, end=end))

    def intakes_matching(self, where: QueueFilter, limit: int | None = None,
                         signatures: bool = True) -> Iterator[IntakeDetail]:
        """Every intake ``where`` selects, with its flags, oldest first (exports);
        with ``limit``, the newest ``limit`` of them, still oldest first. Without
        ``signatures`` the drawn signatures are not read (a CSV has no use for them)."""
        columns = [f for f in Intake._meta.sorted_fields
                   if signatures or f.name != "signature_png"]
        if limit is not None:
            newest = [r.id for r in self.queue_page(limit=limit, where=where)]
            query = Intake.select(*columns).where(Intake.id.in_(newest))
        else:
            query = _filtered(Intake.select(*columns), where)
        query = query.order_by(Intake.submitted_at, Intake.id)
        flags_by_intake: dict[int, list[Flag]] = {}
        flag_query = (
            IntakeFlag.select(IntakeFlag.intake, IntakeFlag.rule_id, IntakeFlag.severity,
                              IntakeFlag.label, IntakeFlag.text)
            .where(IntakeFlag.intake.in_(query.select(Intake.id).order_by()))
            .order_by(IntakeFlag.intake, IntakeFlag.position)
        )
        for intake_id, rule_id, severity, label, text in flag_query.tuples():
            flags_by_intake.setdefault(intake_id, []).append(Flag(rule_id, severity, label, text))
        for row in query.iterator():
            yield _detail(row, tuple(flags_by_intake.get(row.id, ())))

    # -- staff credentials and audit -----------------------------------------------------------
    def setting(self, name: str, default: str = "") -> str:
        found = Setting.get_or_none(Setting.name == name)
        return found.value if found else default

    def purge_older_than(self, days: int, actor: str, at: dt.datetime) -> int:
        """Delete intakes submitted more than ``days`` ago (retention); audited with the count."""
        if days < 1:
            raise ValueError("retention must be at least one day")
        cutoff = _naive_local(at) - dt.timedelta(days=days)
        with self.db.atomic():
            count = Intake.delete().where(Intake.submitted_at < cutoff).execute()
            Setting.insert(name="retention_days", value=str(days)).on_conflict(
                conflict_target=[Setting.name], preserve=[Setting.value]).execute()
            self._audit(actor, "purge", _naive_local(at),
                        detail=f"{count} intakes older than {days} days")
        return count

    def audit(self, actor: str, action: str, at: dt.datetime, intake_id: int | None = None,
              success: bool = True, detail: str = "") -> None:
        with self.db.atomic():
            self._audit(actor, action, _naive_local(at), intake_id, success, detail)

    def _audit(self, actor: str, action: str, at: dt.datetime, intake_id: int | None = None,
               success: bool = True, detail: str = "") -> None:
        AuditEvent.create(at=at, actor=actor, action=action, intake_id=intake_id,
                          success=success, detail=detail)

    def audit_events(self, limit: int = 200) -> list[AuditEvent]:
        return list(AuditEvent.select().order_by(AuditEvent.id.desc()).limit(limit))


def _filtered(query, where: QueueFilter | None):
    """``query`` on Intake, narrowed as staff asked (indexed columns only)."""
    if where is None:
        return query
    if where.flag == QueueFilter.ANY_FLAG:
        query = query.where(Intake.flag_count > 0)
    elif where.flag == QueueFilter.HIGH_FLAG:
        query = query.where(Intake.high_flag_count > 0)
    elif where.flag:
        # "id + 0": not the primary key's index, so SQLite walks the queue's own order
        # (submitted_at, id) and stops at a page; by id it fetched every flagged row, then
        # sorted them all (25,000 of 100,000: 94 ms, over a second encrypted).
        query = query.where((Intake.id + 0).in_(
            IntakeFlag.select(IntakeFlag.intake).where(IntakeFlag.rule_id == where.flag)))
    if where.to_review_only:
        query = query.where(Intake.reviewed_at.is_null())
    if where.start is not None:
        query = query.where(Intake.submitted_at >= dt.datetime.combine(where.start, dt.time.min))
    if where.end is not None:
        query = query.where(Intake.submitted_at < dt.datetime.combine(
            where.end + dt.timedelta(days=1), dt.time.min))
    return query


def _without_password(url: str) -> str:
    """A database URL safe to show: the password (if any) replaced by ***."""
    import re

    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def _naive_local(moment: dt.datetime) -> dt.datetime:
    """Stored times are local wall-clock times without offset (what staff read)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _detail(row: Intake, flags: tuple[Flag, ...]) -> IntakeDetail:
    return IntakeDetail(
        row=_queue_row_from_model(row),
        uid=row.uid,
        language=row.language,
        questionnaire_url=row.questionnaire_url,
        questionnaire_version=row.questionnaire_version,
        response=json.loads(row.response_json),
        flags=flags,
        signature_png=bytes(row.signature_png) if row.signature_png else None,
        understanding=tuple(CheckResult.from_json(r)
                            for r in json.loads(row.understanding_json or "[]")),
    )


def _queue_row(values: tuple) -> QueueRow:
    return QueueRow(*values)


def _queue_row_from_model(row: Intake) -> QueueRow:
    return QueueRow(
        row.id, row.submitted_at, row.first_name, row.last_name, row.birth_date,
        row.procedure_id, row.reviewed_at, row.reviewed_by, row.flag_count,
        row.high_flag_count, row.flag_labels,
    )
