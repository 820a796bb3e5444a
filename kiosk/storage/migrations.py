"""Numbered schema migrations, applied at start-up in one transaction.

The database's ``PRAGMA user_version`` holds the number of the last migration
applied. Add a migration by appending a function; never edit one that shipped.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from kiosk.storage.models import (
    AuditEvent,
    Draft,
    Intake,
    IntakeFlag,
    Review,
    Setting,
    StaffAccount,
    StaffSecret,
)


def _m1_initial(db: Database) -> None:
    db.create_tables((Intake, IntakeFlag, Review, StaffSecret, AuditEvent))
    # The queue lists newest first; this index serves it and keyset paging.
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS intake_queue_order ON intake (submitted_at DESC, id DESC)"
    )


def _m2_drafts_and_append_only_audit(db: Database) -> None:
    db.create_tables((Draft,))
    # The audit log is append-only: no code path of the app can change or remove a line.
    for action in ("UPDATE", "DELETE"):
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS auditevent_no_{action.lower()} BEFORE {action} "
            "ON auditevent BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )


def _m3_staff_accounts(db: Database) -> None:
    db.create_tables((StaffAccount, Setting))
    # The single shared PIN of schema 1-2 becomes an administrator account named "admin".
    legacy = db.execute_sql("SELECT value FROM staffsecret WHERE name = 'staff_pin'").fetchone()
    if legacy:
        db.execute_sql(
            "INSERT INTO staffaccount (name_key, name, role, pin_hash, failed_attempts, active,"
            " created_at) VALUES ('admin', 'admin', 'admin', ?, 0, 1, datetime('now'))",
            (legacy[0],),
        )


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    _m1_initial,
    _m2_drafts_and_append_only_audit,
    _m3_staff_accounts,
)
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    pass


def migrate(db: Database) -> int:
    """Bring the schema up to date; returns the number of migrations applied."""
    current = db.execute_sql("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"the database has schema version {current}; this kiosk knows up to "
            f"{SCHEMA_VERSION}. Update the kiosk software."
        )
    with db.atomic():
        for number in range(current, SCHEMA_VERSION):
            MIGRATIONS[number](db)
        if current != SCHEMA_VERSION:
            db.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return SCHEMA_VERSION - current
