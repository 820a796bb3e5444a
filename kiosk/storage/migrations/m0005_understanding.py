"""Schema 5: the understanding-check results, stored with the intake."""

from __future__ import annotations

from peewee import Database, TextField
from playhouse.migrate import SchemaMigrator, migrate


def apply(db: Database) -> None:
    migrate(SchemaMigrator.from_database(db).add_column(
        "intake", "understanding_json", TextField(null=True)))
