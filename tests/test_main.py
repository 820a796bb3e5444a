"""The command line: setting the staff PIN without starting the kiosk."""

import subprocess
import sys
from pathlib import Path

from kiosk.staff.pin import verify_pin
from kiosk.storage import Store

ROOT = Path(__file__).resolve().parents[1]


def run_main(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_add_staff_from_standard_input(tmp_path):
    import datetime as dt

    result = run_main("--data-dir", str(tmp_path), "--add-staff", "Kim", "--role", "front_desk",
                      stdin="482913\n")
    assert result.returncode == 0, result.stderr
    assert "Staff account 'Kim' (front_desk) saved" in result.stdout
    store = Store(tmp_path / "kiosk.db")
    account = store.models.StaffAccount.get()
    assert account.role == "front_desk" and account.pin_hash.startswith("$argon2id$")
    assert verify_pin("482913", account.pin_hash)
    assert store.staff.sign_in("kim", "482913", dt.datetime.now()).ok
    store.close()
    assert "482913" not in (tmp_path / "kiosk.log").read_text()


def test_a_weak_pin_is_refused_and_nothing_changes(tmp_path):
    result = run_main("--data-dir", str(tmp_path), "--add-staff", "Kim", stdin="1111\n")
    assert result.returncode == 1
    assert "too easy to guess" in result.stderr
    store = Store(tmp_path / "kiosk.db")
    assert not store.staff.any()
    store.close()


def test_bad_size_is_a_clear_error(tmp_path):
    result = run_main("--data-dir", str(tmp_path), "--size", "big")
    assert result.returncode == 2
    assert "--size must look like 1280x800" in result.stderr


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    (tmp_path / "kiosk.db").write_bytes(b"this is not sqlite" * 100)
    result = run_main("--data-dir", str(tmp_path), "--add-staff", "Kim", stdin="482913\n")
    assert result.returncode == 2
    assert "cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "kiosk.db").read_bytes() == b"this is not sqlite" * 100
