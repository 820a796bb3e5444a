"""Schema 7: wrong PINs counted per name tried, in their own table that every kiosk shares."""

from __future__ import annotations

from peewee import CharField, Database, DateTimeField, IntegerField, Model


def apply(db: Database) -> None:
    class SignInAttempt(Model):
        name_key = CharField(primary_key=True)
        failures = IntegerField(default=0)
        locked_until = DateTimeField(null=True)

        class Meta:
            database = db

    db.create_tables((SignInAttempt,))
    # Carry over a lockout in progress from the account rows.
    db.execute_sql(
        "INSERT INTO signinattempt (name_key, failures, locked_until) "
        "SELECT name_key, failed_attempts, locked_until FROM staffaccount "
        "WHERE failed_attempts > 0")
