"""Schema 6: the queue filtered by a flag is answered from a (rule_id, intake) index."""

from __future__ import annotations

from peewee import Database


def apply(db: Database) -> None:
    db.execute_sql("CREATE INDEX IF NOT EXISTS intakeflag_rule_intake"
                   " ON intakeflag (rule_id, intake_id)")
