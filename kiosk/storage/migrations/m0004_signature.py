"""Schema 4: the patient's drawn signature, stored with the intake."""

from __future__ import annotations

from peewee import BlobField, Database
from playhouse.migrate import SchemaMigrator, migrate


def apply(db: Database) -> None:
    migrate(SchemaMigrator.from_database(db).add_column(
        "intake", "signature_png", BlobField(null=True)))
