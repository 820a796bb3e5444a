"""Schema 9: the clinic's patient identifier on a matched intake, and the delivery outbox.

``patient_id_system``/``patient_id_value``/``appointment_id`` are set when check-in matched
the patient to an appointment on today's list (empty otherwise). ``outbox`` holds one row
per submitted intake to deliver to the clinic's EHR, written in the intake's transaction:
its state (waiting, sent, failed), attempts, when to try next, and the last reason (never
patient data).
"""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    Database,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def apply(db: Database) -> None:
    # Plain ALTER TABLE with the default at once (see schema 8: peewee's add_column on
    # SQLite rebuilds the table, and dropping the old one cascades into its flags).
    for column in ("patient_id_system", "patient_id_value", "appointment_id"):
        db.execute_sql(f"ALTER TABLE intake ADD COLUMN {column} VARCHAR(255) NOT NULL"
                       " DEFAULT ''")

    class Intake(Model):
        id = AutoField()

        class Meta:
            database = db
            table_name = "intake"

    class Outbox(Model):
        id = AutoField()
        intake = ForeignKeyField(Intake, on_delete="CASCADE", unique=True)
        state = CharField(index=True)  # waiting | sent | failed
        attempts = IntegerField(default=0)
        queued_at = DateTimeField()
        next_attempt_at = DateTimeField(index=True)
        last_attempt_at = DateTimeField(null=True)
        sent_at = DateTimeField(null=True)
        reason = TextField(default="")
        location = TextField(default="")  # where the server filed the response

        class Meta:
            database = db
            table_name = "outbox"

    db.create_tables((Outbox,))
