"""The kiosk's tables as peewee models, made for one database at a time.

:func:`bind_models` defines the classes afresh for each :class:`~kiosk.storage.Store`, with
that store's database in their ``Meta``: two stores in one process (a test, the demo
generator beside a running kiosk) never write into each other's file. Only the storage
package sees these classes; everything outside gets the plain records of
:mod:`kiosk.storage.records`. The schema as it was at each earlier version is frozen in
the migration that created it (:mod:`kiosk.storage.migrations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


@dataclass(frozen=True)
class Models:
    """The model classes bound to one database (typed loosely: peewee has no stubs)."""

    Intake: Any
    IntakeFlag: Any
    Review: Any
    StaffSecret: Any
    AuditEvent: Any
    Draft: Any
    StaffAccount: Any
    Setting: Any
    SignInAttempt: Any
    Outbox: Any

    def all(self) -> tuple[Any, ...]:
        return (self.Intake, self.IntakeFlag, self.Review, self.StaffSecret, self.AuditEvent,
                self.Draft, self.StaffAccount, self.Setting, self.SignInAttempt, self.Outbox)


def bind_models(db: Database) -> Models:
    """The current schema's models, bound to ``db`` (and only to it)."""

    class BaseModel(Model):
        class Meta:
            database = db

    class Intake(BaseModel):
        """A submitted intake: indexed columns for the queue, the full answers as FHIR JSON."""

        id = AutoField()
        uid = CharField(unique=True)
        submitted_at = DateTimeField(index=True)
        first_name = CharField()
        last_name = CharField()
        birth_date = DateField()
        procedure_id = CharField(index=True)
        language = CharField()
        questionnaire_url = CharField()
        questionnaire_version = CharField()
        response_json = TextField()
        flag_count = IntegerField(default=0)
        high_flag_count = IntegerField(default=0)
        flag_labels = TextField(default="")  # short labels for the queue, "; "-joined
        reviewed_at = DateTimeField(null=True, index=True)
        reviewed_by = CharField(null=True)
        signature_png = BlobField(null=True)  # the patient's drawn signature (schema 4)
        understanding_json = TextField(null=True)  # understanding-check results (schema 5)
        last_key = CharField(default="")  # names folded for staff search (schema 8)
        first_key = CharField(default="")
        # the clinic's patient identifier and appointment, when check-in matched (schema 9)
        patient_id_system = CharField(default="")
        patient_id_value = CharField(default="")
        appointment_id = CharField(default="")
        # what kind of signature: drawn (signature_png) or typed (name + statement), schema 10
        signature_kind = CharField(max_length=16, default="")
        signature_name = TextField(default="")
        signature_statement = TextField(default="")

    class IntakeFlag(BaseModel):
        id = AutoField()
        intake = ForeignKeyField(Intake, backref="flags", on_delete="CASCADE")
        rule_id = CharField(index=True)
        severity = CharField()
        label = CharField()
        text = TextField()
        position = IntegerField()

    class Review(BaseModel):
        """Each time staff marked an intake reviewed (the intake row keeps the latest)."""

        id = AutoField()
        intake = ForeignKeyField(Intake, backref="reviews", on_delete="CASCADE")
        staff_name = CharField()
        reviewed_at = DateTimeField()

    class StaffSecret(BaseModel):
        """Named secrets: the one-time setup code's hash (never the code itself)."""

        name = CharField(primary_key=True)
        value = TextField()

    class AuditEvent(BaseModel):
        """Append-only record of staff actions. Holds ids, never patient data."""

        id = AutoField()
        at = DateTimeField(index=True)
        actor = CharField()
        action = CharField()
        intake_id = IntegerField(null=True)
        success = BooleanField(default=True)
        detail = TextField(default="")

    class Draft(BaseModel):
        """An intake still being answered, saved as the patient goes. A draft left when the
        kiosk stopped is an *interrupted intake*: staff see it; no patient ever does."""

        id = AutoField()
        uid = CharField(unique=True)
        started_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        data_json = TextField()  # see kiosk.intake.draft: check-in details + the response

    class StaffAccount(BaseModel):
        """A member of staff: a role and an argon2 PIN hash. (``failed_attempts`` and
        ``locked_until`` are schema 3's lockout, unused since schema 7: see SignInAttempt.)"""

        id = AutoField()
        name_key = CharField(unique=True)  # the name in lower case, for look-up
        name = CharField()
        role = CharField()
        pin_hash = TextField()
        failed_attempts = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        active = BooleanField(default=True)
        created_at = DateTimeField()

    class Setting(BaseModel):
        """Clinic settings changed by an administrator (retention days, ...)."""

        name = CharField(primary_key=True)
        value = TextField()

    class SignInAttempt(BaseModel):
        """Wrong PINs in a row for a name as typed (known or not), shared by every kiosk on
        the database; the row goes at the next good sign-in (schema 7)."""

        name_key = CharField(primary_key=True)
        failures = IntegerField(default=0)
        locked_until = DateTimeField(null=True)

    class Outbox(BaseModel):
        """A submitted intake on its way to the clinic's EHR (schema 9): written in the
        intake's own transaction, sent in the background, retried until it is sent."""

        id = AutoField()
        intake = ForeignKeyField(Intake, backref="deliveries", on_delete="CASCADE",
                                 unique=True)
        state = CharField(index=True)  # waiting | sent | failed
        attempts = IntegerField(default=0)
        queued_at = DateTimeField()
        next_attempt_at = DateTimeField(index=True)
        last_attempt_at = DateTimeField(null=True)
        sent_at = DateTimeField(null=True)
        reason = TextField(default="")  # why the last attempt failed (no patient data)
        location = TextField(default="")  # where the server filed the response

    return Models(Intake, IntakeFlag, Review, StaffSecret, AuditEvent, Draft, StaffAccount,
                  Setting, SignInAttempt, Outbox)
