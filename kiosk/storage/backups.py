"""Backups of a SQLite kiosk database that never look complete unless they are.

A copy is taken into a temporary 0600 file beside the destination (SQLite's backup API; for
SQLCipher, ``sqlcipher_export`` under the same key), then opened on its own and checked —
``PRAGMA integrity_check``, the same tables and schema version as the live database, and as
many staff accounts and intakes as it held around the copy — and only then fsync'd and
renamed to its name. A kiosk killed half-way leaves no file with the backup's name (only a
``.partial-`` file that the next start removes).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import peewee
from peewee import PeeweeException

from kiosk.private_files import write_private_with
from kiosk.storage.records import StorageError

CHECKED_TABLES = ("staffaccount", "intake")


@dataclass(frozen=True)
class Snapshot:
    """What the live database holds: its tables, schema version and row counts."""

    tables: frozenset[str]
    user_version: int
    counts: dict[str, int]


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def snapshot(execute) -> Snapshot:
    """``execute(sql)`` returns a cursor on the database to describe."""
    tables = frozenset(row[0] for row in execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%'").fetchall())
    version = int(execute("PRAGMA user_version").fetchone()[0])
    counts = {name: int(execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
              for name in CHECKED_TABLES if name in tables}
    return Snapshot(tables, version, counts)


def _open_copy(path: Path, key: str | None):
    if key is None:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    from sqlcipher3 import dbapi2 as sqlcipher

    connection = sqlcipher.connect(str(path))
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = {_quoted(key)}")
    return connection


def verify_copy(path: Path, key: str | None, before: Snapshot, after: Snapshot) -> None:
    """Refuse (StorageError) a copy that is damaged or lacks what the database held."""
    try:
        connection = _open_copy(path, key)
        try:
            check = connection.execute("PRAGMA integrity_check").fetchall()
            copy = snapshot(connection.execute)
        finally:
            connection.close()
    except Exception as exc:  # noqa: BLE001 - sqlite3 and sqlcipher3 errors differ in type
        raise StorageError(f"backup not made: the copy cannot be read back "
                           f"({type(exc).__name__})") from None
    if check != [("ok",)]:
        raise StorageError("backup not made: the copy failed SQLite's integrity check")
    if copy.tables != before.tables or copy.user_version != before.user_version:
        raise StorageError("backup not made: the copy does not have the database's tables")
    for name, count in copy.counts.items():
        low = min(before.counts.get(name, 0), after.counts.get(name, 0))
        high = max(before.counts.get(name, 0), after.counts.get(name, 0))
        if not low <= count <= high:
            raise StorageError(f"backup not made: the copy has {count} rows in {name}, "
                               f"the database {high}; try again")


def back_up(db: peewee.Database, key: str | None, destination: Path) -> Path:
    """Copy the open SQLite database ``db`` (SQLCipher under ``key``) to ``destination``,
    whole and checked, or not at all; an existing destination is refused."""
    destination = Path(destination)
    if destination.exists():
        raise StorageError(f"{destination} already exists; choose a new name")

    def execute(sql: str):
        return db.execute_sql(sql)

    try:
        before = snapshot(execute)
    except (PeeweeException, sqlite3.Error) as exc:
        raise StorageError(f"backup failed: {type(exc).__name__}") from None

    def copy(partial: Path) -> None:
        if key is None:
            target = sqlite3.connect(partial)
            try:
                db.connection().backup(target)
                # one self-contained file (the live database is WAL; a copy needs no -wal)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            return
        try:
            db.execute_sql(f"ATTACH DATABASE {_quoted(str(partial))} AS backup "
                           f"KEY {_quoted(key)}")
            try:
                db.execute_sql("SELECT sqlcipher_export('backup')")
                db.execute_sql(f"PRAGMA backup.user_version = {before.user_version}")
            finally:
                db.execute_sql("DETACH DATABASE backup")
        except (PeeweeException, sqlite3.Error) as exc:
            raise StorageError(f"backup failed: {type(exc).__name__}") from None

    def check(partial: Path) -> None:
        verify_copy(partial, key, before, snapshot(execute))

    try:
        return write_private_with(destination, copy, check, overwrite=False)
    except sqlite3.Error as exc:
        raise StorageError(f"backup failed: {exc}") from None
    except FileExistsError:
        raise StorageError(f"{destination} already exists; choose a new name") from None
    except OSError as exc:
        raise StorageError(f"backup failed: {exc.strerror or exc}") from None
