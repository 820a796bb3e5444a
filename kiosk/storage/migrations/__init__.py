"""Numbered schema migrations, one module each, applied at start-up in one transaction.

``mNNNN_name.py`` holds migration NNNN: an ``apply(db)`` that brings schema NNNN-1 to
NNNN, with the tables it touches frozen as they were then (never today's models, so an old
database upgrades exactly as it would have). SQLite keeps the schema number in ``PRAGMA
user_version``; PostgreSQL in a one-row ``kiosk_schema`` table. Add a migration by adding
a file with the next number; never edit one that shipped. ``tests/storage/fixtures`` holds
databases that earlier versions of the kiosk really wrote; the tests upgrade each.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from peewee import Database, PostgresqlDatabase


def _discover() -> tuple[Callable[[Database], None], ...]:
    found = sorted(
        (int(m.name[1:5]), m.name) for m in pkgutil.iter_modules(__path__)
        if m.name[:1] == "m" and m.name[1:5].isdigit()
    )
    numbers = [number for number, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations are not numbered 1..n without gaps: {numbers}")
    return tuple(importlib.import_module(f"{__name__}.{name}").apply for _, name in found)


MIGRATIONS: tuple[Callable[[Database], None], ...] = _discover()
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    pass


def is_postgres(db: Database) -> bool:
    return isinstance(db, PostgresqlDatabase)


def schema_version(db: Database) -> int:
    if is_postgres(db):
        db.execute_sql("CREATE TABLE IF NOT EXISTS kiosk_schema (version integer NOT NULL)")
        row = db.execute_sql("SELECT max(version) FROM kiosk_schema").fetchone()
        return int(row[0] or 0)
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def _set_schema_version(db: Database, version: int) -> None:
    if is_postgres(db):
        db.execute_sql("DELETE FROM kiosk_schema")
        db.execute_sql(f"INSERT INTO kiosk_schema (version) VALUES ({int(version)})")
    else:
        db.execute_sql(f"PRAGMA user_version = {int(version)}")


def migrate(db: Database, upto: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to ``upto`` (today's by default); returns how many ran."""
    if is_postgres(db):
        # Two kiosks starting at once must not both migrate: one waits for the other.
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(4242)")
            return _migrate(db, upto)
    return _migrate(db, upto)


def _migrate(db: Database, upto: int) -> int:
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"the database has schema version {current}; this kiosk knows up to "
            f"{SCHEMA_VERSION}. Update the kiosk software."
        )
    with db.atomic():
        for number in range(current, upto):
            MIGRATIONS[number](db)
        if current < upto:
            _set_schema_version(db, upto)
    return max(0, upto - current)
