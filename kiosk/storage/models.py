"""peewee models of the kiosk's database. Bound to a real database by :mod:`kiosk.storage.store`."""

from __future__ import annotations

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


class BaseModel(Model):
    class Meta:
        database = None  # bound at open time (Store.open)


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
    """Named secrets such as the staff PIN's salted hash (never the PIN itself)."""

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
    """An intake still being answered, saved at every answer. A draft left when the kiosk
    stopped is an *interrupted intake*: staff see it; no patient ever does."""

    id = AutoField()
    uid = CharField(unique=True)
    started_at = DateTimeField(index=True)
    updated_at = DateTimeField()
    data_json = TextField()  # patient details, answers and the in-progress response


class StaffAccount(BaseModel):
    """A member of staff: a role and an argon2 PIN hash; failures count toward a lockout."""

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


MODELS = (Intake, IntakeFlag, Review, StaffSecret, AuditEvent, Draft, StaffAccount, Setting)
