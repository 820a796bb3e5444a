"""SQLCipher encryption at rest: no patient data in the file, wrong keys, rekey, backups."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.draft import encode
from kiosk.intake.session import IntakeSession
from kiosk.staff.access import COMMAND_LINE
from kiosk.storage import StorageError, Store
from kiosk.storage.keys import DatabaseKeyError, check_key, load_key, read_key_file

KEY = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[2]


def submit(store, content, last="Zebulonsky"):
    session = IntakeSession(content)
    fill_demo_session(session, first="Quintessa", last=last)
    session.confirm(True)
    return store.submit(session.build_submission())


def test_the_file_holds_no_patient_data(tmp_path, content):
    store = Store(tmp_path / "kiosk.db", key=KEY)
    submit(store, content)
    session = IntakeSession(content)
    session.set_name("Draftina", "Unfinished")
    store.save_draft(session.uid, session.started_at, encode(session))
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("kiosk.db*"))
    for secret in (b"Quintessa", b"Zebulonsky", b"Draftina", b"Apixaban", b"Hives"):
        assert secret not in raw
    store.close()
    reopened = Store(tmp_path / "kiosk.db", key=KEY)
    assert reopened.queue_page()[0].last_name == "Zebulonsky"
    reopened.close()


def test_plain_demo_database_does_hold_it(tmp_path, content):
    """The contrast that makes the test above mean something."""
    store = Store(tmp_path / "kiosk.db")
    submit(store, content)
    store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"Zebulonsky" in (tmp_path / "kiosk.db").read_bytes()
    store.close()


def test_a_wrong_key_is_a_clear_error_and_changes_nothing(tmp_path, content):
    store = Store(tmp_path / "kiosk.db", key=KEY)
    submit(store, content)
    store.close()
    before = (tmp_path / "kiosk.db").read_bytes()
    with pytest.raises(StorageError, match="the key does not open it"):
        Store(tmp_path / "kiosk.db", key="a different passphrase entirely")
    with pytest.raises(StorageError, match="if it is encrypted, give its key"):
        Store(tmp_path / "kiosk.db")
    assert (tmp_path / "kiosk.db").read_bytes() == before


def test_rekey_changes_the_key(tmp_path, content):
    store = Store(tmp_path / "kiosk.db", key=KEY)
    submit(store, content)
    store.rekey("a brand new long passphrase")
    store.close()
    with pytest.raises(StorageError):
        Store(tmp_path / "kiosk.db", key=KEY)
    again = Store(tmp_path / "kiosk.db", key="a brand new long passphrase")
    assert again.count_intakes() == 1
    again.close()


def test_encrypted_backup_opens_with_the_same_key(tmp_path, content):
    store = Store(tmp_path / "kiosk.db", key=KEY)
    submit(store, content)
    copy = store.backup(tmp_path / "copy.db", COMMAND_LINE)
    store.close()
    assert b"Zebulonsky" not in copy.read_bytes()
    restored = Store(copy, key=KEY)
    assert restored.count_intakes() == 1
    restored.close()


def test_short_empty_and_badly_protected_keys_are_refused(tmp_path, monkeypatch):
    with pytest.raises(DatabaseKeyError, match="empty"):
        check_key("  ", "test")
    with pytest.raises(DatabaseKeyError, match="too short"):
        check_key("hunter2", "test")
    key_file = tmp_path / "kiosk.key"
    key_file.write_text(KEY + "\n")
    key_file.chmod(0o644)
    with pytest.raises(DatabaseKeyError, match="chmod 600"):
        read_key_file(key_file)
    key_file.chmod(0o600)
    monkeypatch.delenv("KIOSK_DB_KEY", raising=False)
    assert load_key(key_file) == KEY
    monkeypatch.setenv("KIOSK_DB_KEY", "from the environment, long enough")
    assert load_key(key_file) == "from the environment, long enough"


def test_the_kiosk_refuses_to_start_with_a_short_key(tmp_path):
    env = dict(os.environ, KIOSK_DB_KEY="s3cr3t-k", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "too short" in result.stderr and "s3cr3t-k" not in result.stderr  # never echoed
    assert not (tmp_path / "kiosk.db").exists()


def test_rekey_command(tmp_path, content):
    store = Store(tmp_path / "kiosk.db", key=KEY)
    submit(store, content)
    store.close()
    env = dict(os.environ, KIOSK_DB_KEY=KEY, KIOSK_NEW_DB_KEY="the next long passphrase")
    result = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path), "--rekey"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    reopened = Store(tmp_path / "kiosk.db", key="the next long passphrase")
    assert reopened.count_intakes() == 1
    assert reopened.audit_events(COMMAND_LINE)[0].action == "rekey"
    reopened.close()
