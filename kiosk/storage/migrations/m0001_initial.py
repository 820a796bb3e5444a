"""Schema 1: submitted intakes with their flags and reviews, the staff PIN, the audit log."""

from __future__ import annotations

from peewee import (
    AutoField,
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


def apply(db: Database) -> None:
    # The tables as schema 1 had them, frozen here: later columns come from later migrations.
    class Base(Model):
        class Meta:
            database = db

    class Intake(Base):
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
        flag_labels = TextField(default="")
        reviewed_at = DateTimeField(null=True, index=True)
        reviewed_by = CharField(null=True)

    class IntakeFlag(Base):
        id = AutoField()
        intake = ForeignKeyField(Intake, backref="flags", on_delete="CASCADE")
        rule_id = CharField(index=True)
        severity = CharField()
        label = CharField()
        text = TextField()
        position = IntegerField()

    class Review(Base):
        id = AutoField()
        intake = ForeignKeyField(Intake, backref="reviews", on_delete="CASCADE")
        staff_name = CharField()
        reviewed_at = DateTimeField()

    class StaffSecret(Base):
        name = CharField(primary_key=True)
        value = TextField()

    class AuditEvent(Base):
        id = AutoField()
        at = DateTimeField(index=True)
        actor = CharField()
        action = CharField()
        intake_id = IntegerField(null=True)
        success = BooleanField(default=True)
        detail = TextField(default="")

    db.create_tables((Intake, IntakeFlag, Review, StaffSecret, AuditEvent))
    # The queue lists newest first; this index serves it and keyset paging.
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS intake_queue_order ON intake (submitted_at DESC, id DESC)"
    )
