"""The kiosk as a wheel: it holds everything the kiosk reads, installs offline into a fresh
venv, and the installed kiosk starts to Welcome — without the checkout and without the test
hooks (the probe and the script driver live in tests/support, which no wheel carries)."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers.installed import ROOT, built_wheel, install_in_fresh_venv, scratch_dir


@pytest.fixture(scope="module")
def installed() -> Path:
    return install_in_fresh_venv(scratch_dir("kiosk-venv-") / "venv")


def clean_environment(**extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {name: value for name, value in os.environ.items() if name in keep}
    return {**env, **extra}


def test_the_wheel_holds_every_file_of_the_package_and_nothing_of_the_tests():
    names = set(zipfile.ZipFile(built_wheel()).namelist())
    tracked = {str(path.relative_to(ROOT)) for path in (ROOT / "kiosk").rglob("*")
               if path.is_file() and "__pycache__" not in path.parts}
    assert tracked - names == set()
    assert "kiosk/ui/styles/kiosk.qss" in names
    assert "kiosk/content/procedures/nerve-block.json" in names
    assert not [name for name in names if name.startswith(("tests/", "main.py", "benchmarks/"))]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "intake-kiosk = kiosk.command_line:main" in zipfile.ZipFile(
        built_wheel()).read(entry_points).decode()


def test_the_installed_kiosk_starts_to_welcome(installed, tmp_path):
    data = tmp_path / "data"
    result = subprocess.run(
        [str(installed), "--check-start", "--data-dir", str(data), "--speech-engine", "off"],
        cwd=tmp_path, env=clean_environment(QT_QPA_PLATFORM="offscreen"),
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Welcome shown: the kiosk starts." in result.stdout
    assert "Traceback" not in result.stderr
    assert "first screen shown: Welcome" in (data / "kiosk.log").read_text()
    assert (data / "kiosk.db").is_file()


def test_the_installed_kiosk_runs_from_the_venv_not_the_checkout(installed, tmp_path):
    python = installed.parent / "python"
    found = subprocess.run(
        [str(python), "-c",
         "import kiosk, kiosk.ui.theme as t; print(kiosk.__file__); print(t.STYLESHEET)"],
        cwd=tmp_path, env=clean_environment(), capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stderr
    venv = str(installed.parent.parent)
    assert all(line.startswith(venv) for line in found.stdout.split()), found.stdout
    assert str(ROOT) not in found.stdout


def test_the_installed_kiosk_cannot_start_the_test_hooks(installed, tmp_path):
    python = installed.parent / "python"
    for module in ("tests.support.kiosk_under_test", "tests.support.probe"):
        result = subprocess.run([str(python), "-m", module], cwd=tmp_path,
                                env=clean_environment(QT_QPA_PLATFORM="offscreen"),
                                capture_output=True, text=True, timeout=60)
        assert result.returncode != 0
        assert "No module named 'tests'" in result.stderr
    # And no environment variable makes the installed kiosk write what is on screen.
    probe = tmp_path / "probe.json"
    result = subprocess.run(
        [str(installed), "--check-start", "--data-dir", str(tmp_path / "data"),
         "--speech-engine", "off"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env=clean_environment(QT_QPA_PLATFORM="offscreen", KIOSK_TEST_PROBE=str(probe),
                              KIOSK_TEST_SCRIPT=str(tmp_path / "script.json")))
    assert result.returncode == 0, result.stderr
    assert not probe.exists()


def test_the_package_finds_its_files_through_importlib_resources_only():
    """A path built from a module's own ``__file__`` (``parents[2] / "resources"``) works in a
    checkout and breaks in a wheel; the installed-kiosk test would catch it only for the
    files read at start."""
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "kiosk").rglob("*.py")
                 if "Path(__file__)" in path.read_text(encoding="utf-8")]
    assert offenders == []
