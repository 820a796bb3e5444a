"""Numbered schema migrations, applied at start-up in one transaction.

The database's ``PRAGMA user_version`` holds the number of the last migration
applied. Add a migration by appending a function; never edit one that shipped.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from peewee import Database, PostgresqlDatabase

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


def _is_postgres(db: Database) -> bool:
    return isinstance(db, PostgresqlDatabase)


def _m2_drafts_and_append_only_audit(db: Database) -> None:
    db.create_tables((Draft,))
    # The audit log is append-only: no code path of the app can change or remove a line.
    if _is_postgres(db):
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION auditevent_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql")
        db.execute_sql(
            "CREATE TRIGGER auditevent_no_change BEFORE UPDATE OR DELETE ON auditevent "
            "FOR EACH ROW EXECUTE FUNCTION auditevent_append_only()")
        return
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
        mark = db.param
        db.execute_sql(
            "INSERT INTO staffaccount (name_key, name, role, pin_hash, failed_attempts, active,"
            f" created_at) VALUES ('admin', 'admin', 'admin', {mark}, 0, {mark}, {mark})",
            (legacy[0], True, datetime.datetime.now().replace(microsecond=0)),
        )


def _m4_signature(db: Database) -> None:
    from peewee import BlobField
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as apply

    # A database created fresh by migration 1 from today's models already has the column.
    if "signature_png" not in {column.name for column in db.get_columns("intake")}:
        apply(SchemaMigrator.from_database(db).add_column(
            "intake", "signature_png", BlobField(null=True)))


def _m5_understanding(db: Database) -> None:
    from peewee import TextField
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as apply

    if "understanding_json" not in {column.name for column in db.get_columns("intake")}:
        apply(SchemaMigrator.from_database(db).add_column(
            "intake", "understanding_json", TextField(null=True)))


def _m6_flag_index(db: Database) -> None:
    """The queue filtered by a flag: (rule_id, intake) answers it from the index alone."""
    db.execute_sql("CREATE INDEX IF NOT EXISTS intakeflag_rule_intake"
                   " ON intakeflag (rule_id, intake_id)")


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    _m1_initial,
    _m2_drafts_and_append_only_audit,
    _m3_staff_accounts,
    _m4_signature,
    _m5_understanding,
    _m6_flag_index,
)
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    pass


def schema_version(db: Database) -> int:
    """SQLite keeps it in ``PRAGMA user_version``; PostgreSQL in a one-row table."""
    if _is_postgres(db):
        db.execute_sql("CREATE TABLE IF NOT EXISTS kiosk_schema (version integer NOT NULL)")
        row = db.execute_sql("SELECT max(version) FROM kiosk_schema").fetchone()
        return int(row[0] or 0)
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def _set_schema_version(db: Database, version: int) -> None:
    if _is_postgres(db):
        db.execute_sql("DELETE FROM kiosk_schema")
        db.execute_sql(f"INSERT INTO kiosk_schema (version) VALUES ({int(version)})")
    else:
        db.execute_sql(f"PRAGMA user_version = {int(version)}")


def migrate(db: Database) -> int:
    """Bring the schema up to date; returns the number of migrations applied."""
    if _is_postgres(db):
        # Two kiosks starting at once must not both migrate: one waits for the other.
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(4242)")
            return _migrate(db)
    return _migrate(db)


def _migrate(db: Database) -> int:
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"the database has schema version {current}; this kiosk knows up to "
            f"{SCHEMA_VERSION}. Update the kiosk software."
        )
    with db.atomic():
        for number in range(current, SCHEMA_VERSION):
            MIGRATIONS[number](db)
        if current != SCHEMA_VERSION:
            _set_schema_version(db, SCHEMA_VERSION)
    return SCHEMA_VERSION - current
