"""scripts/system_packages.sh: what `make run`, `make test`, .ci/run and deploy/install.sh
check. With everything installed it says nothing; with something missing it prints the one
sudo line (not root) or installs it (root).

Packages are never really removed or installed here: a stand-in ``dpkg-query`` on PATH
hides two installed packages from the script (it calls the real one and drops their
lines), and a stand-in ``apt-get`` records what it was asked to do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.installed import scratch_dir

RUNUSER = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin") or "runuser"
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system_packages.sh"
HIDDEN = ("libpulse0", "cage")

pytestmark = pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not Debian")


def as_unprivileged() -> list[str]:
    """The command prefix that runs as a user who is not root (nobody, when we are root)."""
    if os.getuid() != 0:
        return []
    return [RUNUSER, "-m", "-u", "nobody", "--"]


def stand_ins() -> tuple[Path, Path]:
    """(a directory for PATH with the stand-ins, where apt-get writes what it was asked);
    under /tmp, which the unprivileged user can read (pytest's tmp_path is 0700 root)."""
    tmp_path = scratch_dir("kiosk-packages-")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    real = shutil.which("dpkg-query")
    hidden = "|".join(HIDDEN)
    (bin_dir / "dpkg-query").write_text(
        f"#!/bin/sh\n{real} \"$@\" | grep -Ev '^({hidden}) '\n")
    (bin_dir / "apt-get").write_text(f"#!/bin/sh\necho \"$@\" >> {tmp_path}/apt-get.log\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    return bin_dir, tmp_path / "apt-get.log"


def run(purpose: str, prefix: list[str], path: str | None = None):
    env = {**os.environ, "PATH": path or os.environ["PATH"]}
    return subprocess.run([*prefix, "bash", str(SCRIPT), purpose], env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("purpose", ["run", "test", "deploy"])
def test_with_everything_installed_it_says_nothing(purpose):
    result = run(purpose, as_unprivileged())
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_not_root_and_something_missing_it_stops_with_the_one_sudo_line():
    bin_dir, apt_log = stand_ins()
    result = run("test", as_unprivileged(), f"{bin_dir}:{os.environ['PATH']}")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "sudo apt-get install -y libpulse0 cage"
    assert not apt_log.exists()


def test_make_run_needs_no_compositor():
    bin_dir, apt_log = stand_ins()
    result = run("run", as_unprivileged(), f"{bin_dir}:{os.environ['PATH']}")
    assert result.stderr.splitlines()[-1] == "sudo apt-get install -y libpulse0"


@pytest.mark.skipif(os.getuid() != 0, reason="the install path runs only as root")
def test_as_root_it_installs_what_is_missing():
    bin_dir, apt_log = stand_ins()
    result = run("deploy", [], f"{bin_dir}:{os.environ['PATH']}")
    assert result.returncode == 0, result.stderr
    calls = apt_log.read_text().splitlines()
    assert calls == ["update -qq", "install -y -qq --no-install-recommends libpulse0 cage"]


def test_an_unknown_purpose_is_a_clear_error():
    result = run("tablet", [])
    assert result.returncode == 2
    assert "unknown purpose 'tablet' (run, test, ci or deploy)" in result.stderr
