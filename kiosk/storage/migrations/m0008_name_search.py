"""Schema 8: staff search by name and date of birth, from indexed folded-name columns.

``last_key``/``first_key`` hold the names folded (no accents, no case, letters and digits
only); existing rows are filled here with the rule as it was at schema 8.
"""

from __future__ import annotations

import unicodedata

from peewee import Database


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def apply(db: Database) -> None:
    # Plain ALTER TABLE, NOT NULL with its default at once: peewee's add_column on SQLite
    # adds the column nullable and then rebuilds the table to make it NOT NULL, and dropping
    # the old intake table cascades into its flags.
    for column in ("last_key", "first_key"):
        db.execute_sql(f"ALTER TABLE intake ADD COLUMN {column} VARCHAR(255) NOT NULL"
                       " DEFAULT ''")
    rows = db.execute_sql("SELECT id, first_name, last_name FROM intake").fetchall()
    placeholder = db.param
    for intake_id, first, last in rows:
        db.execute_sql(
            f"UPDATE intake SET last_key = {placeholder}, first_key = {placeholder}"
            f" WHERE id = {placeholder}", (_fold(last or ""), _fold(first or ""), intake_id))
    # with the queue's order in each: the newest matches are found in the index alone,
    # and only the page's rows are read (they are what is slow on an encrypted file)
    for column in ("last_key", "first_key", "birth_date"):
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS intake_{column}"
                       f" ON intake ({column}, submitted_at, id)")
