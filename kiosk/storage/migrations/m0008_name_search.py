"""Schema 8: staff search by name and date of birth, from indexed folded-name columns.

``last_key``/``first_key`` hold the names folded (no accents, no case, letters and digits
only); existing rows are filled here with the rule as it was at schema 8.
"""

from __future__ import annotations

import unicodedata

from peewee import CharField, Database
from playhouse.migrate import SchemaMigrator, migrate


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def apply(db: Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_column("intake", "last_key", CharField(default="")),
            migrator.add_column("intake", "first_key", CharField(default="")))
    rows = db.execute_sql("SELECT id, first_name, last_name FROM intake").fetchall()
    placeholder = db.param
    for intake_id, first, last in rows:
        db.execute_sql(
            f"UPDATE intake SET last_key = {placeholder}, first_key = {placeholder}"
            f" WHERE id = {placeholder}", (_fold(last or ""), _fold(first or ""), intake_id))
    db.execute_sql("CREATE INDEX IF NOT EXISTS intake_last_key ON intake (last_key)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS intake_first_key ON intake (first_key)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS intake_birth_date ON intake (birth_date)")
