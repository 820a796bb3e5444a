"""Schema 2: drafts saved as the patient answers; the audit log made append-only."""

from __future__ import annotations

from peewee import AutoField, CharField, Database, DateTimeField, Model, TextField

from kiosk.storage.audit_triggers import create_audit_triggers


def apply(db: Database) -> None:
    class Draft(Model):
        id = AutoField()
        uid = CharField(unique=True)
        started_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        data_json = TextField()

        class Meta:
            database = db

    db.create_tables((Draft,))
    create_audit_triggers(db)
