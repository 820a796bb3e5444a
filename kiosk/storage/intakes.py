"""Submitted intakes: written whole, listed for the queue, read back, reviewed, purged."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kiosk.content.teach_back import CheckResult
from kiosk.intake.flags import Flag
from kiosk.intake.records import PatientIdentifier, SubmittedIntake, TypedSignature
from kiosk.staff.access import StaffActor
from kiosk.storage.name_search import name_key, prefix_upper_bound
from kiosk.storage.records import IntakeDetail, QueueFilter, QueueRow
from kiosk.storage.times import naive_local

if TYPE_CHECKING:
    from kiosk.storage.access import Access
    from kiosk.storage.audit import AuditLog
    from kiosk.storage.database import Database
    from kiosk.storage.models import Models


class Intakes:
    def __init__(self, database: Database, models: Models, audit: AuditLog,
                 access: Access) -> None:
        self.database = database
        self.models = models
        self.audit = audit
        self.access = access
        #: queue each submitted intake for the EHR (a delivery destination is configured)
        self.deliver = False

    # -- the patient side ------------------------------------------------------------------
    def submit(self, intake: SubmittedIntake) -> int:
        """Write a submitted intake and its flags in one transaction, and drop its draft;
        returns its id. It is all there afterwards, or none of it (with its outbox row when
        delivery to an EHR is on). Idempotent: submitting
        the same intake again (a retry after a lost connection whose commit had in fact
        landed) returns the stored intake's id and writes nothing."""
        m = self.models
        identifier = intake.patient_identifier
        typed = intake.typed_signature

        def write() -> int:
            with self.database.writing():
                existing = m.Intake.get_or_none(m.Intake.uid == intake.uid)
                if existing is not None:
                    m.Draft.delete().where(m.Draft.uid == intake.uid).execute()
                    return int(existing.id)
                m.Draft.delete().where(m.Draft.uid == intake.uid).execute()
                row = m.Intake.create(
                    uid=intake.uid,
                    submitted_at=naive_local(intake.submitted_at),
                    first_name=_stored_text(intake.first_name),
                    last_name=_stored_text(intake.last_name),
                    first_key=name_key(intake.first_name),
                    last_key=name_key(intake.last_name),
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
                    signature_kind=("typed" if typed else "drawn" if intake.signature_png
                                    else ""),
                    signature_name=_stored_text(typed.name) if typed else "",
                    signature_statement=typed.statement if typed else "",
                    understanding_json=json.dumps(
                        [r.to_json() for r in intake.understanding], ensure_ascii=False),
                    patient_id_system=identifier.system if identifier else "",
                    patient_id_value=identifier.value if identifier else "",
                    appointment_id=intake.appointment_id,
                )
                if self.deliver:
                    at = naive_local(intake.submitted_at)
                    m.Outbox.create(intake=row.id, state="waiting", queued_at=at,
                                    next_attempt_at=at)
                if intake.flags:
                    m.IntakeFlag.insert_many([
                        {"intake": row.id, "rule_id": f.rule_id, "severity": f.severity,
                         "label": f.label, "text": f.text, "position": i}
                        for i, f in enumerate(intake.flags)
                    ]).execute()
                return int(row.id)

        intake_id = self.database.run("could not save the intake", write)
        self.database.saved()
        return intake_id

    def exist(self) -> bool:
        """Is any intake stored (the first administrator may only be made on an empty kiosk)."""
        return self.database.run("could not read intakes",
                                 lambda: self.models.Intake.select().exists())

    # -- the staff side --------------------------------------------------------------------
    def count(self, where: QueueFilter | None = None) -> int:
        m = self.models
        if where is not None and where.flag not in ("", QueueFilter.ANY_FLAG,
                                                    QueueFilter.HIGH_FLAG) \
                and where == QueueFilter(flag=where.flag):  # one flag only: its own index
            query = (m.IntakeFlag.select(m.IntakeFlag.intake)
                     .where(m.IntakeFlag.rule_id == where.flag).distinct())
        else:
            query = self._filtered(m.Intake.select(), where)
        return self.database.run("could not count intakes", query.count)

    def page(self, after: tuple[dt.datetime, int] | None = None, limit: int = 100,
             where: QueueFilter | None = None) -> list[QueueRow]:
        """Intakes newest first, ``limit`` at a time, continuing after ``after``'s cursor,
        narrowed by ``where``. Keyset paging: every page costs the same, even the last."""
        intake = self.models.Intake
        searched = where is not None and (bool(where.name.strip())
                                          or where.birth_date is not None)
        # a patient searched for: the page's ids from the search indexes alone, then only
        # those rows read (not every match, to sort them)
        columns = (intake.id,) if searched else self._row_columns()
        query = self._filtered(intake.select(*columns), where)
        if after is not None:
            at, last_id = after
            query = query.where((intake.submitted_at < at)
                                | ((intake.submitted_at == at) & (intake.id < last_id)))
        query = query.order_by(intake.submitted_at.desc(), intake.id.desc()).limit(limit)
        if searched:
            query = (intake.select(*self._row_columns()).where(intake.id.in_(query))
                     .order_by(intake.submitted_at.desc(), intake.id.desc()))
        return self.database.run("could not read the queue",
                                 lambda: [QueueRow(*values) for values in query.tuples()])

    def detail(self, intake_id: int, actor: StaffActor) -> IntakeDetail:
        self.access.require(actor, "view")
        return self.read(intake_id)

    def read(self, intake_id: int) -> IntakeDetail:
        """The stored intake, for the kiosk's own use (delivery); staff go through detail."""
        m = self.models

        def read() -> IntakeDetail:
            row = m.Intake.get_by_id(intake_id)
            flags = tuple(Flag(f.rule_id, f.severity, f.label, f.text)
                          for f in row.flags.order_by(m.IntakeFlag.position))
            return _detail(row, flags)

        return self.database.run("could not read the intake", read)

    def mark_reviewed(self, intake_id: int, actor: StaffActor, at: dt.datetime) -> None:
        """Record who reviewed the intake and when (each review kept; the row shows the
        latest). Running it twice for the same moment writes it once."""
        self.access.require(actor, "review")
        m = self.models
        at = naive_local(at)

        def write() -> None:
            with self.database.writing():
                if m.Review.select().where((m.Review.intake == intake_id)
                                           & (m.Review.staff_name == actor.name)
                                           & (m.Review.reviewed_at == at)).exists():
                    return
                m.Review.create(intake=intake_id, staff_name=actor.name, reviewed_at=at)
                m.Intake.update(reviewed_at=at, reviewed_by=actor.name).where(
                    m.Intake.id == intake_id).execute()
                self.audit.write(actor.name, "intake_reviewed", at, intake_id)

        self.database.run("could not mark the intake reviewed", write)

    def match_appointment(self, intake_id: int, actor: StaffActor,
                          identifier: PatientIdentifier, appointment_id: str,
                          at: dt.datetime) -> None:
        """Staff matched the intake to an appointment by hand: it carries the clinic's
        patient identifier and the appointment id from now on (what is sent to the EHR
        after this names the patient by it). Audited with the appointment id."""
        self.access.require(actor, "review")
        if not identifier.value or not appointment_id:
            raise ValueError("an appointment needs its patient id and appointment id")
        m = self.models
        at = naive_local(at)

        def write() -> None:
            with self.database.writing():
                updated = m.Intake.update(
                    patient_id_system=identifier.system[:255],
                    patient_id_value=identifier.value[:255],
                    appointment_id=appointment_id[:255]).where(
                    m.Intake.id == intake_id).execute()
                if not updated:
                    raise KeyError(intake_id)
                self.audit.write(actor.name, "appointment_matched", at, intake_id,
                                 detail=f"appointment {appointment_id[:100]}")

        self.database.run("could not match the intake to the appointment", write)

    def matching(self, where: QueueFilter, actor: StaffActor, limit: int | None = None,
                 signatures: bool = True) -> Iterator[IntakeDetail]:
        """Every intake ``where`` selects, with its flags, oldest first (exports); with
        ``limit``, the newest ``limit`` of them, still oldest first. Without ``signatures``
        the drawn signatures are not read (a CSV has no use for them)."""
        self.access.require(actor, "export")
        m = self.models
        columns = [f for f in m.Intake._meta.sorted_fields
                   if signatures or f.name != "signature_png"]
        if limit is not None:
            newest = [r.id for r in self.page(limit=limit, where=where)]
            query = m.Intake.select(*columns).where(m.Intake.id.in_(newest))
        else:
            query = self._filtered(m.Intake.select(*columns), where)
        query = query.order_by(m.Intake.submitted_at, m.Intake.id)
        flag_query = (
            m.IntakeFlag.select(m.IntakeFlag.intake, m.IntakeFlag.rule_id,
                                m.IntakeFlag.severity, m.IntakeFlag.label, m.IntakeFlag.text)
            .where(m.IntakeFlag.intake.in_(query.select(m.Intake.id).order_by()))
            .order_by(m.IntakeFlag.intake, m.IntakeFlag.position)
        )

        def read_flags() -> dict[int, list[Flag]]:
            by_intake: dict[int, list[Flag]] = {}
            for intake_id, rule_id, severity, label, text in flag_query.tuples():
                by_intake.setdefault(intake_id, []).append(Flag(rule_id, severity, label, text))
            return by_intake

        what = "could not read intakes for the export"
        flags = self.database.run(what, read_flags)
        try:
            for row in query.iterator():
                yield _detail(row, tuple(flags.get(row.id, ())))
        except Exception as exc:  # noqa: BLE001 - a failure part-way is a storage failure
            raise self.database.failed(what, exc) from None

    def purge_older_than(self, days: int, actor: StaffActor, at: dt.datetime) -> int:
        """Delete intakes submitted more than ``days`` ago (retention); audited with the count."""
        self.access.require(actor, "purge")
        if days < 1:
            raise ValueError("retention must be at least one day")
        m = self.models
        cutoff = naive_local(at) - dt.timedelta(days=days)

        def delete() -> int:
            with self.database.writing():
                count = m.Intake.delete().where(m.Intake.submitted_at < cutoff).execute()
                m.Setting.insert(name="retention_days", value=str(days)).on_conflict(
                    conflict_target=[m.Setting.name], preserve=[m.Setting.value]).execute()
                self.audit.write(actor.name, "purge", at,
                                 detail=f"{count} intakes older than {days} days")
            return int(count)

        return self.database.run("could not delete old intakes", delete, retry=False)

    # -- queries ---------------------------------------------------------------------------
    def _row_columns(self) -> tuple[Any, ...]:
        i = self.models.Intake
        return (i.id, i.submitted_at, i.first_name, i.last_name, i.birth_date, i.procedure_id,
                i.reviewed_at, i.reviewed_by, i.flag_count, i.high_flag_count, i.flag_labels,
                i.language)

    def _filtered(self, query: Any, where: QueueFilter | None) -> Any:
        """``query`` on Intake, narrowed as staff asked (indexed columns only)."""
        if where is None:
            return query
        m = self.models
        if where.flag == QueueFilter.ANY_FLAG:
            query = query.where(m.Intake.flag_count > 0)
        elif where.flag == QueueFilter.HIGH_FLAG:
            query = query.where(m.Intake.high_flag_count > 0)
        elif where.flag:
            # "id + 0": not the primary key's index, so SQLite walks the queue's own order
            # (submitted_at, id) and stops at a page; by id it fetched every flagged row, then
            # sorted them all (25,000 of 100,000: 94 ms, over a second encrypted).
            query = query.where((m.Intake.id + 0).in_(
                m.IntakeFlag.select(m.IntakeFlag.intake)
                .where(m.IntakeFlag.rule_id == where.flag)))
        if where.to_review_only:
            query = query.where(m.Intake.reviewed_at.is_null())
        if where.birth_date is not None:
            query = query.where(m.Intake.birth_date == where.birth_date)
        for word in name_key_words(where.name):
            # each word starts the first or the last name ("ana pe" finds Ana Peña): two
            # index ranges, not a scan
            high = prefix_upper_bound(word)
            query = query.where(((m.Intake.last_key >= word) & (m.Intake.last_key < high))
                                | ((m.Intake.first_key >= word) & (m.Intake.first_key < high)))
        if where.start is not None:
            query = query.where(
                m.Intake.submitted_at >= dt.datetime.combine(where.start, dt.time.min))
        if where.end is not None:
            query = query.where(m.Intake.submitted_at < dt.datetime.combine(
                where.end + dt.timedelta(days=1), dt.time.min))
        return query


def name_key_words(text: str) -> list[str]:
    return [key for key in (name_key(word) for word in text.split()) if key]


def _stored_text(text: str) -> str:
    """Names as stored: no control characters (PostgreSQL refuses a NUL in text for good)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def _detail(row: Any, flags: tuple[Flag, ...]) -> IntakeDetail:
    return IntakeDetail(
        row=QueueRow(row.id, row.submitted_at, row.first_name, row.last_name, row.birth_date,
                     row.procedure_id, row.reviewed_at, row.reviewed_by, row.flag_count,
                     row.high_flag_count, row.flag_labels, row.language),
        uid=row.uid,
        language=row.language,
        questionnaire_url=row.questionnaire_url,
        questionnaire_version=row.questionnaire_version,
        response=json.loads(row.response_json),
        flags=flags,
        signature_png=bytes(row.signature_png) if row.signature_png else None,
        typed_signature=(TypedSignature(row.signature_name, row.signature_statement)
                         if row.signature_kind == "typed" else None),
        understanding=tuple(CheckResult.from_json(r)
                            for r in json.loads(row.understanding_json or "[]")),
        patient_identifier=(PatientIdentifier(row.patient_id_system, row.patient_id_value)
                            if row.patient_id_value else None),
        appointment_id=row.appointment_id or "",
    )
