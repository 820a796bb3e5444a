"""Backups while the kiosk runs; a full or read-only database damages nothing stored."""

import dataclasses
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.draft import encode
from kiosk.intake.session import IntakeSession
from kiosk.storage import StorageError, Store
from tests.helpers.staff import signed_in

ROOT = Path(__file__).resolve().parents[2]


def submission(content, last="Santos", note="Hives"):
    session = IntakeSession(content)
    fill_demo_session(session, last=last)
    session.answer("contrast-reaction", [note])
    session.confirm(True)
    return session.build_submission()


def test_backup_command_copies_a_consistent_database_while_the_kiosk_holds_it(tmp_path,
                                                                               content):
    running = Store(tmp_path / "kiosk.db")  # the kiosk, connection open
    for n in range(30):
        running.submit(submission(content, last=f"Patient{n}"))
    target = tmp_path / "backups" / "copy.db"
    result = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path),
                             "--backup", str(target)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"Backup written to {target}" in result.stdout
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM intake").fetchone()[0] == 30
    copy.close()
    again = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path),
                            "--backup", str(target)], cwd=ROOT, capture_output=True,
                           text=True, timeout=60)
    assert again.returncode == 2 and "already exists" in again.stderr
    running.close()


def test_a_full_disk_refuses_the_write_and_damages_nothing(tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    first = store.submit(submission(content, last="Before"))
    pages = store.db.execute_sql("PRAGMA page_count").fetchone()[0]
    store.db.execute_sql(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    big = submission(content, last="After")
    big = dataclasses.replace(big, response={**big.response, "text": "x" * 50_000})
    with pytest.raises(StorageError, match="database or disk is full"):
        store.submit(big)
    assert "database or disk is full" in store.last_error
    assert "After" not in store.last_error and "x" * 10 not in store.last_error
    assert store.count_intakes() == 1
    assert store.intake(first, signed_in(store)).row.last_name == "Before"
    assert store.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_a_read_only_database_refuses_drafts_with_the_cause(tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    store.db.execute_sql("PRAGMA query_only = 1")
    session = IntakeSession(content)
    session.set_name("Rosa", "Delgado")
    with pytest.raises(StorageError, match="readonly|read-only|query_only"):
        store.save_draft(session.uid, session.started_at, encode(session))
    assert "Rosa" not in store.last_error
    store.close()
