"""Schema 10: a signature given without drawing (issue 15).

``signature_kind`` says what the patient gave: ``drawn`` (``signature_png``), ``typed``
(``signature_name``, the full name as typed, and ``signature_statement``, the words the
patient agreed to, as shown to them), or empty (intakes from before schema 4 have none).
Every earlier intake with a drawing is ``drawn``.
"""

from __future__ import annotations

from peewee import Database


def apply(db: Database) -> None:
    # Plain ALTER TABLE with the default at once (see schema 8: peewee's add_column on
    # SQLite rebuilds the table, and dropping the old one cascades into its flags).
    db.execute_sql("ALTER TABLE intake ADD COLUMN signature_kind VARCHAR(16) NOT NULL"
                   " DEFAULT ''")
    for column in ("signature_name", "signature_statement"):
        db.execute_sql(f"ALTER TABLE intake ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    db.execute_sql("UPDATE intake SET signature_kind = 'drawn'"
                   " WHERE signature_png IS NOT NULL")
