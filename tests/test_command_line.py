"""The command line keeps the database password out of ``ps``; a backup that cannot be
written says why and exits non-zero, without a traceback."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.helpers.postgres import PrivatePostgres

ROOT = Path(__file__).resolve().parents[1]
SECRET = "s3cret-Pa55word!"
PIN = "482913"


def run_main(*args: str, env: dict | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr


@pytest.fixture(scope="module")
def password_postgres():
    """A private PostgreSQL server that asks for a password (its URL holds none), shared by
    this file's tests (its initdb takes seconds)."""
    base = Path(tempfile.mkdtemp(prefix="kiosk-pgpw-"))
    base.chmod(0o755)
    server = PrivatePostgres(base, password=SECRET)
    yield server
    server.close()


def command_line_while_running(args: list[str], env: dict, stdin: str) -> tuple[str, str, int]:
    """Start ``main.py --add-staff``, read its command line as ``ps`` does while it waits
    for the PIN on standard input, then give the PIN. (command line, stderr, exit code)"""
    process = subprocess.Popen([sys.executable, "main.py", *args], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **env})
    try:
        seen = ""
        for _ in range(100):  # the process exists at once; its argv is final from exec
            with contextlib.suppress(OSError):
                seen = Path(f"/proc/{process.pid}/cmdline").read_bytes().replace(
                    b"\0", b" ").decode()
            if "main.py" in seen:
                break
            time.sleep(0.05)
        ps = subprocess.run(["ps", "-ww", "-o", "args=", "-p", str(process.pid)],
                            capture_output=True, text=True).stdout
        _out, err = process.communicate(stdin, timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    return seen + "\n" + ps, err, process.returncode


def test_the_password_file_connects_and_the_password_is_not_in_ps(password_postgres,
                                                                  tmp_path):
    url = password_postgres.url  # postgresql://postgres@127.0.0.1:PORT/postgres
    secret = tmp_path / "db.password"
    secret.write_text(SECRET + "\n")
    secret.chmod(0o600)
    without = run_main("--data-dir", str(tmp_path), "--add-staff", "Kim",
                       env={"KIOSK_DATABASE_URL": url}, stdin=PIN + "\n")
    assert without.returncode == 2 and "password" in without.stderr  # the server asks
    no_traceback(without)

    seen, err, code = command_line_while_running(
        ["--data-dir", str(tmp_path), "--database-password-file", str(secret),
         "--add-staff", "Kim"], {"KIOSK_DATABASE_URL": url}, PIN + "\n")
    assert code == 0, err
    assert "main.py" in seen and SECRET not in seen
    assert SECRET not in err and "Warning" not in err
    assert SECRET not in (tmp_path / "kiosk.log").read_text()

    # the whole URL in the environment works too, and ps does not show it
    seen, err, code = command_line_while_running(
        ["--data-dir", str(tmp_path), "--add-staff", "Ada"],
        {"KIOSK_DATABASE_URL": url.replace("postgres@", f"postgres:{SECRET}@")}, PIN + "\n")
    assert code == 0, err
    assert "main.py" in seen and SECRET not in seen and "Warning" not in err


def test_a_password_on_the_command_line_works_with_a_warning(password_postgres, tmp_path):
    url = password_postgres.url.replace("postgres@", f"postgres:{SECRET}@")
    seen, err, code = command_line_while_running(
        ["--data-dir", str(tmp_path), "--database-url", url, "--add-staff", "Lee"], {},
        PIN + "\n")
    assert code == 0, err
    assert SECRET in seen  # what the warning is about
    assert "Warning: the database password is on the command line" in err
    assert "KIOSK_DATABASE_URL" in err and "--database-password-file" in err
    assert SECRET not in err


def test_the_warning_is_given_even_when_the_server_is_down(tmp_path):
    result = run_main("--data-dir", str(tmp_path), "--database-url",
                      f"postgresql://kiosk:{SECRET}@127.0.0.1:1/intake", "--add-staff", "Kim",
                      stdin=PIN + "\n")
    assert result.returncode == 2
    assert "Warning: the database password is on the command line" in result.stderr
    assert "cannot open the database postgresql://kiosk:***@127.0.0.1:1/intake" \
        in result.stderr
    assert SECRET not in result.stderr + result.stdout
    no_traceback(result)


@pytest.mark.parametrize("problem", ["others can read", "sqlite", "twice", "missing", "empty"])
def test_an_unusable_password_file_stops_with_the_reason(tmp_path, problem):
    secret = tmp_path / "db.password"
    secret.write_text("" if problem == "empty" else SECRET + "\n")
    secret.chmod(0o644 if problem == "others can read" else 0o600)
    url = {"sqlite": f"sqlite:///{tmp_path}/kiosk.db",
           "twice": f"postgresql://kiosk:{SECRET}@127.0.0.1:1/intake"}.get(
        problem, "postgresql://kiosk@127.0.0.1:1/intake")
    if problem == "missing":
        secret.unlink()
    result = run_main("--data-dir", str(tmp_path), "--database-password-file", str(secret),
                      "--add-staff", "Kim", env={"KIOSK_DATABASE_URL": url}, stdin=PIN + "\n")
    assert result.returncode == 2
    expected = {"others can read": f"run 'chmod 600 {secret}'",
                "sqlite": "is for a postgresql:// database URL",
                "twice": "already holds a password: give it once",
                "missing": "cannot be read (No such file or directory)",
                "empty": "must hold the password alone, on one line"}[problem]
    assert "The kiosk will not start: " in result.stderr and expected in result.stderr
    assert SECRET not in result.stderr
    no_traceback(result)


@contextlib.contextmanager
def unwritable_folder(folder: Path):
    """A folder this process cannot create files in: mode 0500, and for root (whom modes do
    not stop) also immutable (chattr +i)."""
    folder.mkdir()
    folder.chmod(0o500)
    immutable = False
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(
                ["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            folder.chmod(0o700)
            pytest.skip("running as root, and chattr +i is not available here")
        immutable = True
    try:
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o700)


def test_a_backup_into_a_folder_without_permission_says_so(tmp_path):
    assert run_main("--data-dir", str(tmp_path), "--add-staff", "Kim",
                    stdin=PIN + "\n").returncode == 0
    with unwritable_folder(tmp_path / "locked") as locked:
        result = run_main("--data-dir", str(tmp_path), "--backup", str(locked / "copy.db"))
        assert result.returncode == 2
        assert f"Backup not made: cannot write {locked / 'copy.db'}" in result.stderr
        assert "no permission" in result.stderr
        no_traceback(result)
        assert list(locked.iterdir()) == []


@pytest.mark.parametrize("where", ["a file as folder", "a read-only place"])
def test_a_backup_to_a_bad_path_says_why(tmp_path, where):
    (tmp_path / "notes.txt").write_text("not a folder")
    destination = {"a file as folder": tmp_path / "notes.txt" / "copy.db",
                   "a read-only place": Path("/proc/intake-kiosk-copy.db")}[where]
    result = run_main("--data-dir", str(tmp_path), "--backup", str(destination))
    assert result.returncode == 2
    assert f"Backup not made: cannot write {destination}: " in result.stderr
    reason = {"a file as folder": f"{tmp_path / 'notes.txt'} is a file, not a folder",
              "a read-only place": "backup failed: "}[where]  # the folder refuses the file
    assert reason in result.stderr
    no_traceback(result)
    assert (tmp_path / "notes.txt").read_text() == "not a folder"


def test_an_unusable_data_dir_is_a_clear_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = run_main("--data-dir", str(tmp_path / "notes.txt" / "data"), "--backup",
                      str(tmp_path / "copy.db"))
    assert result.returncode == 2
    assert "The kiosk cannot use its data directory" in result.stderr
    no_traceback(result)
