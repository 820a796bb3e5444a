"""The kiosk as a wheel installed in a fresh venv, built and installed with no network.

The wheel is built from the files git tracks (``pyproject.toml``, ``README.md``, ``kiosk/``)
copied to a temporary directory, so nothing left in the checkout (``build/``, a stray file)
can make it look complete. The fresh venv has no pip of its own and sees none of the
checkout: its dependencies are the ones already installed in the test venv, reached through
a directory of links to them (without the checkout's own editable ``intake-kiosk``), and the
wheel is installed into it with ``pip --python`` and ``--no-index`` — pip resolves the
wheel's pinned requirements against those, so a missing or wrong pin fails here.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import site
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What the checkout's venv has that must not reach the fresh venv: the editable install of
# the kiosk itself (its finder and .pth), and anything named like the project's packages.
_NOT_DEPENDENCIES = ("__editable__", "intake_kiosk", "kiosk", "tests", "main.py")


def scratch_dir(prefix: str) -> Path:
    """A directory under /tmp (not pytest's 0700 tmp_path: the cage test runs the kiosk as an
    unprivileged user, who must read the venv), removed when the test process ends."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--",
         "pyproject.toml", "README.md", "kiosk"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    return [name for name in listed if name and (ROOT / name).is_file()]


@functools.cache
def built_wheel() -> Path:
    """Build the kiosk's wheel once per test run (``pip wheel``, no build isolation, so
    the venv's own setuptools builds it and no index is needed)."""
    source = scratch_dir("kiosk-source-")
    for name in tracked_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    out = scratch_dir("kiosk-wheel-")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--wheel-dir", str(out), str(source)],
        check=True, capture_output=True, text=True, timeout=300)
    (wheel,) = out.glob("intake_kiosk-*.whl")
    return wheel


def dependency_links(into: Path) -> Path:
    """A directory of links to the test venv's installed packages, the kiosk left out."""
    into.mkdir(parents=True, exist_ok=True)
    (packages,) = (Path(p) for p in site.getsitepackages() if Path(p).is_dir())
    for entry in packages.iterdir():
        if entry.name.startswith(_NOT_DEPENDENCIES) or entry.suffix == ".pth":
            continue
        (into / entry.name).symlink_to(entry)
    return into


def install_in_fresh_venv(venv: Path, python: str | None = None) -> Path:
    """Create ``venv`` (with ``python``, default the interpreter under the test venv),
    install the wheel into it offline, and return its ``intake-kiosk`` command."""
    python = python or sys._base_executable
    subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True,
                   capture_output=True, text=True, timeout=120)
    links = dependency_links(venv / "dependencies")
    (purelib,) = venv.glob("lib/python3*/site-packages")
    (purelib / "kiosk-test-dependencies.pth").write_text(f"{links}\n")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--quiet", "--no-index", "--no-build-isolation", str(built_wheel())],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"pip install of the wheel failed:\n{result.stderr}"
    return venv / "bin" / "intake-kiosk"
