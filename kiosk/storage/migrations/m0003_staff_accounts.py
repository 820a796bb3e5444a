"""Schema 3: staff accounts with roles; the single shared PIN becomes an "admin" account."""

from __future__ import annotations

import datetime

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    Database,
    DateTimeField,
    IntegerField,
    Model,
    TextField,
)


def apply(db: Database) -> None:
    class Base(Model):
        class Meta:
            database = db

    class StaffAccount(Base):
        id = AutoField()
        name_key = CharField(unique=True)
        name = CharField()
        role = CharField()
        pin_hash = TextField()
        failed_attempts = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        active = BooleanField(default=True)
        created_at = DateTimeField()

    class Setting(Base):
        name = CharField(primary_key=True)
        value = TextField()

    db.create_tables((StaffAccount, Setting))
    legacy = db.execute_sql("SELECT value FROM staffsecret WHERE name = 'staff_pin'").fetchone()
    if legacy:
        mark = db.param
        db.execute_sql(
            "INSERT INTO staffaccount (name_key, name, role, pin_hash, failed_attempts, active,"
            f" created_at) VALUES ('admin', 'admin', 'admin', {mark}, 0, {mark}, {mark})",
            (legacy[0], True, datetime.datetime.now().replace(microsecond=0)),
        )
