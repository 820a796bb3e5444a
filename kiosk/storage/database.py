"""Opening the kiosk's database, and running every operation on it safely.

:class:`Database` opens SQLite (plain or SQLCipher) or PostgreSQL, and :meth:`Database.run`
is the one way storage touches it: each operation runs in it, a lost connection (a
PostgreSQL restart, a network blip) is reopened and the operation tried once more, and any
failure becomes a :class:`StorageError` whose message names the problem but never the
values being written (PostgreSQL's ``DETAIL: Failing row contains (...)`` would carry a
patient's name into the log).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import peewee
from peewee import SqliteDatabase

from kiosk.storage.records import StorageError

log = logging.getLogger(__name__)
T = TypeVar("T")

# peewee logs every query *with its parameters* at DEBUG: names, answers, PIN hashes.
# Keep it quiet whatever level the application runs at.
logging.getLogger("peewee").setLevel(logging.INFO)

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",  # a submitted intake survives a power cut
    "busy_timeout": 5000,
}
# A server that does not answer must not freeze a kiosk: fail in seconds, then retry later.
POSTGRES_CONNECT = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10,
                    "keepalives_interval": 5, "keepalives_count": 3}


def open_peewee(path: Path | None, key: str | None, url: str | None,
                password: str | None = None) -> peewee.Database:
    """The peewee database object (not yet connected)."""
    if url is not None:
        if key is not None:
            raise StorageError("a key encrypts SQLite files; protect PostgreSQL on the server")
        from playhouse.db_url import parse

        if not url.startswith(("postgres://", "postgresql://")):
            raise StorageError("--database-url takes sqlite:///FILE or postgresql://…")
        settings = parse(url)
        name = settings.pop("database")
        if password is not None:
            settings["password"] = password
        return peewee.PostgresqlDatabase(name, **{**POSTGRES_CONNECT, **settings})
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    if key is not None:
        from playhouse.sqlcipher_ext import SqlCipherDatabase

        # cipher_log_level first: a wrong key would otherwise print hmac errors.
        return SqlCipherDatabase(str(path), passphrase=key,
                                 pragmas={"cipher_log_level": "NONE", **SQLITE_PRAGMAS})
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS)


class Database:
    """One database and the rules for using it (see the module's docstring)."""

    def __init__(self, db: peewee.Database, where: str) -> None:
        self.db = db
        self.where = where  # a name safe to show (no password)
        self.engine = "postgresql" if isinstance(db, peewee.PostgresqlDatabase) else "sqlite"
        #: the last failure (when, what and why, never patient data), for staff to see;
        #: cleared when a patient's answers are saved again (see ``saved``)
        self.last_error: str | None = None
        #: called after a lost connection was reopened (the store re-checks its triggers)
        self.on_reconnect: Callable[[], None] | None = None

    def run(self, what: str, operation: Callable[[], T], retry: bool = True) -> T:
        """``operation()``; a lost connection is reopened and it runs once more. Operations
        must therefore be idempotent (submit checks the intake's uid, drafts are upserts).
        Any failure is raised as a StorageError saying ``what`` failed and why."""
        try:
            result = operation()
        except Exception as exc:  # noqa: BLE001 - every driver error becomes a StorageError
            if not (retry and self.lost(exc)):
                raise self.failed(what, exc) from None
            log.warning("database connection lost during %s; reconnecting", what)
            try:
                self.reconnect()
                result = operation()
            except Exception as again:  # noqa: BLE001
                raise self.failed(what, again) from None
        return result

    def saved(self) -> None:
        """A patient's answers reached the disk again: the last failure is over."""
        self.last_error = None

    def writing(self):  # noqa: ANN201 - peewee's transaction context manager
        """A write transaction. On SQLite it takes the write lock at BEGIN (IMMEDIATE): a
        transaction that reads and then writes would otherwise fail at once with "database
        is locked" when another kiosk process writes, instead of waiting its turn."""
        if self.engine == "sqlite":
            return self.db.atomic(lock_type="IMMEDIATE")
        return self.db.atomic()

    def lost(self, exc: BaseException) -> bool:
        """Did ``exc`` come from a connection that is gone (not from the query itself)?"""
        if self.engine != "postgresql":
            return False
        for cause in _chain(exc):
            name = type(cause).__name__
            if name in ("InterfaceError", "OperationalError", "AdminShutdown"):
                return True
        try:
            return not self.db.is_connection_usable()
        except Exception:  # noqa: BLE001
            return True

    def reconnect(self) -> None:
        try:
            self.db.close()
        except Exception:  # noqa: BLE001 - a dead connection may fail to close; forget it
            self.db._state.reset()  # type: ignore[attr-defined] # peewee's own
        self.db.connect(reuse_if_open=True)
        if self.on_reconnect is not None:
            self.on_reconnect()

    def failed(self, what: str, exc: BaseException) -> StorageError:
        reason = describe(exc)
        if self.engine == "postgresql" and self.lost(exc):
            reason = f"the database server cannot be reached ({reason})"
        self.last_error = f"{dt.datetime.now():%Y-%m-%d %H:%M}: {what}: {reason}"
        return StorageError(f"{what}: {reason}")

    def close(self) -> None:
        try:
            if not self.db.is_closed():
                self.db.close()
        except Exception:  # noqa: BLE001 - closing a dead connection: nothing to keep
            self.db._state.reset()  # type: ignore[attr-defined] # peewee's own


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it wraps (peewee puts the driver's error in args and context)."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or current in seen:
            continue
        seen.append(current)
        todo += [current.__cause__, current.__context__]
        todo += [a for a in current.args if isinstance(a, BaseException)]
    return seen


def describe(exc: BaseException) -> str:
    """Why an operation failed, without the values it was writing."""
    chain = _chain(exc)
    # When SQLite has already rolled the transaction back itself (a full disk does),
    # peewee's own rollback then fails and hides the cause: report the error underneath.
    for cause in chain:
        if isinstance(cause, sqlite3.Error) and "cannot rollback" not in str(cause):
            return f"{type(exc).__name__}: {_first_line(str(cause))}"
    for cause in chain:
        code = getattr(cause, "pgcode", None)
        diag = getattr(cause, "diag", None)
        if code:  # a connection refused has a diag but no code: its words are below
            # PostgreSQL: the error's class and the constraint or table it names; never its
            # message, which can quote the row ("Failing row contains ...").
            parts = [type(cause).__name__]
            if code:
                parts.append(f"SQLSTATE {code}")
            for attribute in ("constraint_name", "table_name", "column_name"):
                value = getattr(diag, attribute, None) if diag is not None else None
                if value:
                    parts.append(f"{attribute.split('_')[0]} {value}")
            return ", ".join(parts)
    for cause in chain:
        module = type(cause).__module__ or ""
        if module.startswith("psycopg2"):
            return f"{type(cause).__name__}: {_connection_words(str(cause))}"
    return f"{type(exc).__name__}: {_first_line(str(exc))}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _connection_words(text: str) -> str:
    """A connection error's first line, without host names' passwords or row data."""
    line = _first_line(text)
    return re.sub(r"password=\S+", "password=***", line)


def without_password(url: str) -> str:
    """A database URL safe to show: the password (if any) replaced by ***."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
