"""What storage hands out: plain, frozen records (never peewee rows), and its errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kiosk.content.teach_back import CheckResult
from kiosk.intake.flags import Flag
from kiosk.intake.records import PatientIdentifier, TypedSignature


class StorageError(RuntimeError):
    """Storage failed (disk full, read-only, server gone); the message holds no patient data."""


class NotPermitted(StorageError):
    """The acting staff account may not do this (its role, or it was removed)."""


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
    language: str = "en"

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
    name: str = ""  # start of the first or last name (any case, accents or not)
    birth_date: dt.date | None = None

    ANY_FLAG = "*"
    HIGH_FLAG = "!"


@dataclass(frozen=True)
class DraftRecord:
    id: int
    uid: str
    started_at: dt.datetime
    updated_at: dt.datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class IntakeDetail:
    row: QueueRow
    uid: str
    language: str
    questionnaire_url: str
    questionnaire_version: str
    response: dict[str, Any]
    flags: tuple[Flag, ...]
    signature_png: bytes | None = None
    understanding: tuple[CheckResult, ...] = ()
    typed_signature: TypedSignature | None = None  # a signature given without drawing
    patient_identifier: PatientIdentifier | None = None  # matched to an appointment
    appointment_id: str = ""


@dataclass(frozen=True)
class AuditLine:
    """One line of the audit log (ids and staff names, never patient data)."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    intake_id: int | None
    success: bool
    detail: str


@dataclass(frozen=True)
class StaffMember:
    """A staff account as the screens see it (no PIN hash)."""

    name: str
    role: str
    created_at: dt.datetime
