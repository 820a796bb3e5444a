"""A kiosk SIGKILLed in the middle of an export or a backup never leaves a file with the
final name: only a ``.partial-`` file, which the next start removes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.private_files import PARTIAL_PREFIX, prepare_private_folder
from tests.helpers.crash import ROOT

KEY = "correct horse battery staple"


def kill_at(what: str, where: str, data_dir: Path, target: Path,
            key: str | None = None) -> None:
    """Run the export or backup in its own process, SIGKILL it at ``where``."""
    command = [sys.executable, "-m", "tests.helpers.killed_writes", what, where,
               str(data_dir), str(target)] + ([key] if key else [])
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    watchdog = threading.Timer(120, process.kill)  # a child that never gets there
    watchdog.start()
    try:
        line = process.stdout.readline()
        assert line.strip() == "READY", process.stderr.read()
        process.send_signal(signal.SIGKILL)
        assert process.wait() == -signal.SIGKILL
    finally:
        watchdog.cancel()
        process.stdout.close()
        process.stderr.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(("what", "where", "name"), [
    ("csv", "rows", "intakes.csv"),  # killed with half the rows written
    ("csv", "fsync", "intakes.csv"),  # every row written, not yet renamed
    ("csv-zip", "fsync", "intakes.csv"),
    ("pdf", "fsync", "summary.pdf"),
    ("json", "fsync", "intake-1.json"),
])
def test_a_killed_export_leaves_no_file_with_its_name(tmp_path, what, where, name):
    exports = tmp_path / "exports"
    exports.mkdir()
    kill_at(what, where, tmp_path, exports / name)
    found = leftovers(exports)
    assert not [n for n in found if not n.startswith(PARTIAL_PREFIX)], found
    assert len(found) == 1  # it was killed mid-write: the temporary file is there
    later = dt.datetime.now() + dt.timedelta(minutes=10)
    assert prepare_private_folder(exports, now=later) == 1  # the next start removes it
    assert leftovers(exports) == []


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "sqlcipher"])
@pytest.mark.parametrize("where", ["check", "fsync"])
def test_a_killed_backup_leaves_no_file_with_its_name(tmp_path, where, key):
    backups = tmp_path / "backups"
    backups.mkdir()
    kill_at("backup", where, tmp_path, backups / "kiosk-copy.db", key)
    found = leftovers(backups)
    assert "kiosk-copy.db" not in found
    assert [n for n in found if not n.startswith(PARTIAL_PREFIX)] == []
    assert found  # the copy it was making
    later = dt.datetime.now() + dt.timedelta(minutes=10)
    prepare_private_folder(backups, now=later)
    assert leftovers(backups) == []
