"""A backup gets its name only once it is checked: readable, whole, the database's tables,
its staff accounts and intakes. What a killed or broken copy looks like is refused."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.staff.access import COMMAND_LINE
from kiosk.storage import StorageError, Store
from kiosk.storage.backups import snapshot, verify_copy

KEY = "correct horse battery staple"


def submit(store, content):
    session = IntakeSession(content)
    fill_demo_session(session, "Quintessa", "Zebulonsky")
    session.confirm(True)
    return store.submit(session.build_submission())


@pytest.fixture(params=[None, KEY], ids=["plain", "sqlcipher"])
def filled(request, tmp_path, content):
    store = Store(tmp_path / "kiosk.db", key=request.param)
    store.staff.create("Ada", "admin", "482913", COMMAND_LINE, dt.datetime.now())
    for _ in range(3):
        submit(store, content)
    yield store, request.param
    store.close()


def test_a_backup_is_0600_and_restores_with_its_staff_and_intakes(filled, tmp_path):
    store, key = filled
    old = os.umask(0)
    try:
        copy = store.backup(tmp_path / "backups" / "kiosk-1.db", COMMAND_LINE)
    finally:
        os.umask(old)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert sorted(p.name for p in copy.parent.iterdir()) == ["kiosk-1.db"]
    restored = Store(copy, key=key)
    assert restored.count_intakes() == 3
    assert [a.name for a in restored.staff.list(COMMAND_LINE)] == ["Ada"]
    restored.close()
    with pytest.raises(StorageError, match="already exists"):
        store.backup(copy, COMMAND_LINE)


def _open(path, key):
    if key is None:
        return sqlite3.connect(path)
    from sqlcipher3 import dbapi2

    connection = dbapi2.connect(str(path))
    connection.execute(f"PRAGMA key = '{key}'")
    return connection


def test_a_copy_cut_short_is_refused(filled, tmp_path):
    store, key = filled
    copy = store.backup(tmp_path / "copy.db", COMMAND_LINE)
    state = snapshot(store.db.execute_sql)
    half = tmp_path / "half.db"
    half.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
    with pytest.raises(StorageError, match="backup not made"):
        verify_copy(half, key, state, state)
    verify_copy(copy, key, state, state)  # the whole copy passes


def test_a_readable_copy_without_the_staff_accounts_or_intakes_is_refused(filled, tmp_path):
    store, key = filled
    state = snapshot(store.db.execute_sql)
    for table in ("staffaccount", "intake"):
        copy = tmp_path / f"without-{table}.db"
        shutil.copy(store.backup(tmp_path / f"copy-{table}.db", COMMAND_LINE), copy)
        connection = _open(copy, key)
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("DROP TRIGGER IF EXISTS auditevent_no_delete")
        connection.execute(f'DELETE FROM "{table}"')
        connection.commit()
        connection.close()
        with pytest.raises(StorageError, match=f"rows in {table}"):
            verify_copy(copy, key, state, state)


def test_an_empty_database_under_the_same_key_is_not_taken_for_a_backup(filled, tmp_path):
    """What a backup killed early looked like: a valid, encrypted, empty database."""
    store, key = filled
    empty = Store(tmp_path / "empty.db", key=key)
    empty.close()
    state = snapshot(store.db.execute_sql)
    with pytest.raises(StorageError, match="backup not made"):
        verify_copy(tmp_path / "empty.db", key, state, state)
