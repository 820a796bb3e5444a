"""The intake's record types: steps of the path, problems, review rows, what is submitted.

Shared by the session, storage, exports and the screens; plain data, no behaviour.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any

from kiosk.content.teach_back import CheckResult
from kiosk.intake.flags import Flag


class StepKind(Enum):
    CHECK_IN = "check_in"
    LEARN = "learn"
    TEACH_BACK = "teach_back"  # one understanding check per step, numbered by ``page``
    QUESTIONS = "questions"
    REVIEW = "review"
    CONFIRM = "confirm"
    DONE = "done"


@dataclass(frozen=True)
class Step:
    kind: StepKind
    page: int = 0  # learn page number
    link_id: str = ""  # top-level item shown on a questions page


@dataclass(frozen=True)
class Problem:
    """A reason the patient cannot go on: which field, and a catalogue key with values."""

    field: str
    key: str
    values: dict[str, object] = dataclasses.field(default_factory=dict)
    path: tuple[int, ...] = ()  # the repeating-group instance, for questionnaire items


@dataclass(frozen=True)
class ReviewRow:
    step: Step
    label: str
    value: str
    link_id: str = ""


@dataclass(frozen=True)
class PatientIdentifier:
    """The clinic's identifier for a patient (from today's appointment list): an EHR files
    the intake under it. ``system`` is the clinic's identifier namespace (a URI)."""

    system: str
    value: str


@dataclass(frozen=True)
class TypedSignature:
    """A signature given without drawing: the full name as typed and the statement the
    patient agreed to ("I agree — this is my signature"), in the words shown to them."""

    name: str
    statement: str


@dataclass(frozen=True)
class SubmittedIntake:
    uid: str
    submitted_at: dt.datetime
    first_name: str
    last_name: str
    birth_date: dt.date
    procedure_id: str
    language: str
    questionnaire_url: str
    questionnaire_version: str
    response: dict[str, Any]
    flags: tuple[Flag, ...]
    signature_png: bytes | None = None  # drawn; or typed_signature, never both
    understanding: tuple[CheckResult, ...] = ()
    typed_signature: TypedSignature | None = None
    #: set when check-in matched the patient to an appointment on today's list
    patient_identifier: PatientIdentifier | None = None
    appointment_id: str = ""


@dataclass
class PatientDetails:
    first_name: str = ""
    last_name: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    procedure_id: str = ""
