"""The audit log is append-only: database triggers refuse to change or delete a line.

Created by migration 2, and checked at every start (:func:`ensure_audit_triggers`): a
trigger someone dropped is put back, and the start says so in the log and the audit log.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase

SQLITE_TRIGGERS = ("auditevent_no_update", "auditevent_no_delete")
POSTGRES_TRIGGER = "auditevent_no_change"


def create_audit_triggers(db: Database) -> None:
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION auditevent_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql")
        db.execute_sql(f"DROP TRIGGER IF EXISTS {POSTGRES_TRIGGER} ON auditevent")
        db.execute_sql(
            f"CREATE TRIGGER {POSTGRES_TRIGGER} BEFORE UPDATE OR DELETE ON auditevent "
            "FOR EACH ROW EXECUTE FUNCTION auditevent_append_only()")
        return
    for action in ("UPDATE", "DELETE"):
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS auditevent_no_{action.lower()} BEFORE {action} "
            "ON auditevent BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )


def missing_audit_triggers(db: Database) -> list[str]:
    if isinstance(db, PostgresqlDatabase):
        found = db.execute_sql(
            "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = 'auditevent'::regclass"
            " AND tgenabled <> 'D'", (POSTGRES_TRIGGER,)).fetchone()
        return [] if found else [POSTGRES_TRIGGER]
    present = {row[0] for row in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'auditevent'")}
    return [name for name in SQLITE_TRIGGERS if name not in present]


def ensure_audit_triggers(db: Database) -> list[str]:
    """Put back any audit trigger that is missing; returns the names that were."""
    missing = missing_audit_triggers(db)
    if missing:
        with db.atomic():
            create_audit_triggers(db)
    return missing
