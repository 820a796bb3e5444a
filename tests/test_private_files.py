"""Exports and backups on disk: whole or absent, 0600 in 0700 folders, and purged with the
intakes once older than the retention period."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from kiosk.private_files import (
    PARTIAL_PREFIX,
    prepare_private_folder,
    private_folder,
    purge_older,
    write_private,
    writing_private,
)
from kiosk.storage import NotPermitted, Store
from tests.helpers.staff import signed_in


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    """The most permissive umask: what the kiosk writes must not depend on it."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_files_are_0600_and_folders_0700_whatever_the_umask(tmp_path, loose_umask):
    folder = private_folder(tmp_path / "data" / "exports")
    assert mode(folder) == 0o700
    written = write_private(folder / "intakes.csv", b"a,b\n")
    assert mode(written) == 0o600
    with writing_private(folder / "other.json", text=True) as out:
        out.write("{}")
    assert mode(folder / "other.json") == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["intakes.csv", "other.json"]


def test_a_write_that_fails_leaves_neither_the_final_name_nor_a_partial_file(tmp_path):
    folder = private_folder(tmp_path / "exports")
    with pytest.raises(RuntimeError), writing_private(folder / "intakes.csv") as out:
        out.write(b"half a row,")
        raise RuntimeError("the intakes could not be read")
    assert list(folder.iterdir()) == []


def test_a_new_export_replaces_nothing_until_it_is_whole(tmp_path):
    folder = private_folder(tmp_path / "exports")
    write_private(folder / "intakes.csv", b"old\n")
    with writing_private(folder / "intakes.csv") as out:
        out.write(b"new\n")
        assert (folder / "intakes.csv").read_bytes() == b"old\n"  # not yet renamed
    assert (folder / "intakes.csv").read_bytes() == b"new\n"


def test_start_fixes_modes_an_older_kiosk_left_and_removes_stale_partial_files(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    old_export = folder / "intakes-20260101.csv"
    old_export.write_text("x")
    os.chmod(old_export, 0o644)
    stale = folder / f"{PARTIAL_PREFIX}abc-intakes.csv"
    stale.write_text("half")
    an_hour_ago = (dt.datetime.now() - dt.timedelta(hours=1)).timestamp()
    os.utime(stale, (an_hour_ago, an_hour_ago))
    fresh = folder / f"{PARTIAL_PREFIX}def-summaries.pdf"  # perhaps being written right now
    fresh.write_text("writing")

    assert prepare_private_folder(folder) == 1
    assert mode(folder) == 0o700
    assert mode(old_export) == 0o600
    assert not stale.exists()
    assert fresh.exists() and mode(fresh) == 0o600


def _aged(path: Path, days: float) -> Path:
    when = (dt.datetime.now() - dt.timedelta(days=days)).timestamp()
    os.utime(path, (when, when))
    return path


def test_purge_older_deletes_old_files_and_keeps_recent_ones(tmp_path):
    folder = private_folder(tmp_path / "exports")
    old = _aged(write_private(folder / "old.csv", b"x"), 40)
    recent = _aged(write_private(folder / "recent.pdf", b"x"), 10)
    (folder / "sub").mkdir()
    assert purge_older(folder, dt.datetime.now() - dt.timedelta(days=30)) == 1
    assert not old.exists() and recent.exists() and (folder / "sub").is_dir()
    assert purge_older(tmp_path / "no-such-folder", dt.datetime.now()) == 0


def test_the_retention_purge_deletes_old_exports_and_backups_and_is_audited(tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    admin = signed_in(store, "Ada", "admin")
    front_desk = signed_in(store, "Kim", "front_desk", pin="285714")
    exports = private_folder(tmp_path / "exports")
    backups = private_folder(tmp_path / "backups")
    old_csv = _aged(write_private(exports / "intakes-old.csv.zip", b"x"), 400)
    old_pdf = _aged(write_private(exports / "intake-1-old.pdf", b"x"), 366)
    new_json = _aged(write_private(exports / "intake-2.json", b"x"), 364)
    old_backup = store.backup(backups / "kiosk-old.db", admin)
    _aged(old_backup, 500)
    new_backup = store.backup(backups / "kiosk-new.db", admin)

    with pytest.raises(NotPermitted):
        store.purge_files_older_than(365, (exports, backups), front_desk, dt.datetime.now())
    assert old_csv.exists()

    assert store.purge_files_older_than(365, (exports, backups), admin, dt.datetime.now()) == 3
    assert not old_csv.exists() and not old_pdf.exists() and not old_backup.exists()
    assert new_json.exists() and new_backup.exists()
    [line] = [e for e in store.audit_events(admin) if e.action == "purge_files"]
    assert line.actor == "Ada"
    assert line.detail == "3 export and backup files older than 365 days"
    store.close()


def test_every_start_puts_right_what_an_older_kiosk_left_in_exports_and_backups(tmp_path):
    import subprocess
    import sys

    from tests.helpers.crash import ROOT

    exports, backups = tmp_path / "exports", tmp_path / "backups"
    for folder in (exports, backups):
        folder.mkdir()
        os.chmod(folder, 0o755)
    old_csv = exports / "intakes-20260101-090000.csv"
    old_csv.write_text("last_name\nSantos\n")
    os.chmod(old_csv, 0o644)
    result = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path),
                             "--backup", str(backups / "kiosk-now.db")], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert mode(exports) == mode(backups) == 0o700
    assert mode(old_csv) == 0o600 and mode(backups / "kiosk-now.db") == 0o600


def test_a_full_disk_mid_export_leaves_no_empty_or_partial_file(tmp_path):
    """A write that cannot finish (here: a file-size limit, as a full disk would) is
    refused with the reason and leaves nothing, not a 0-byte file with the export's name."""
    import subprocess
    import sys

    from tests.helpers.crash import ROOT

    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from kiosk.export.protected import save_export\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))\n"
        "try:\n"
        "    save_export(Path(sys.argv[1]), b'x' * 100_000, None)\n"
        "except OSError as exc:\n"
        "    print('refused:', exc.strerror)\n"
    )
    target = tmp_path / "exports" / "intakes.csv"
    result = subprocess.run([sys.executable, "-c", script, str(target)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("refused: File too large"), result.stderr
    assert list(target.parent.iterdir()) == []
