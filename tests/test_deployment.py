"""The locked-down deployment (deploy/, README "Locked-down deployment").

What runs here: the installed wheel (a fresh venv, as deploy/install.sh makes) started the
way intake-kiosk.service starts it — cage (its headless backend: no screen, no input
devices), running deploy/kiosk-session, running the kiosk on Qt's Wayland platform, as a user
who is not root (cage refuses root; as root, the test uses `nobody`), with a key file. The
kiosk reaches Welcome; killed, it comes back inside the same cage; what it wrote is its
user's only. What does not run here: systemd itself (no PID 1 systemd in CI) — the unit file
is checked with `systemd-analyze verify`, not started, so Restart=always (cage ending), the
PAM/logind session, tty7 and deploy/install.sh are not exercised.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import sys
import time

import pytest

from tests.helpers.installed import ROOT, install_in_fresh_venv, scratch_dir

RUNUSER = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin") or "runuser"
DEPLOY = ROOT / "deploy"
SHOWN = re.compile(r"first screen shown: Welcome \(pid (\d+), platform (\w+)\)")


def test_the_unit_file_is_valid_for_systemd():
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    result = subprocess.run(["systemd-analyze", "verify", str(DEPLOY / "intake-kiosk.service")],
                            capture_output=True, text=True, timeout=60)
    # verify exits 0 on an unknown key or a bad value, and only warns: no warning at all.
    assert (result.returncode, result.stderr) == (0, "")
    unit = (DEPLOY / "intake-kiosk.service").read_text()
    for line in ("User=kiosk", "Restart=always", "UMask=0077", "StateDirectoryMode=0700",
                 "Environment=QT_QPA_PLATFORM=wayland"):
        assert line in unit.splitlines()
    assert "/usr/bin/cage -d -- /opt/intake-kiosk/kiosk-session" in unit


def unprivileged() -> tuple[list[str], pwd.struct_passwd]:
    """How to run a command as a user who is not root, and who that is."""
    if os.getuid() != 0:
        return [], pwd.getpwuid(os.getuid())
    # runuser, not setpriv: a command setpriv starts directly could still run a file in
    # root's 0700 home (seen with util-linux 2.38); runuser's cannot.
    return [RUNUSER, "-m", "-u", "nobody", "--"], pwd.getpwnam("nobody")


def python_for(prefix: list[str]) -> str:
    """An interpreter the unprivileged user can run, of the test venv's Python version (the
    dependencies are linked from the test venv): the test venv's own base, else Debian's."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys._base_executable, f"/usr/bin/python{version}"):
        probe = subprocess.run([*prefix, candidate, "-c", "pass"], capture_output=True)
        if probe.returncode == 0:
            return candidate
    pytest.skip(f"no Python {version} that an unprivileged user may run")


def wait_for(predicate, what: str, cage: subprocess.Popen, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and cage.poll() is None:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    os.killpg(cage.pid, signal.SIGKILL)
    raise AssertionError(f"not seen: {what} (cage and the kiosk said:\n{cage.stdout.read()})")


def test_under_cage_the_kiosk_reaches_welcome_and_comes_back_when_killed():
    if shutil.which("cage") is None:
        pytest.skip("cage is not installed: `scripts/system_packages.sh test` installs it")
    prefix, user = unprivileged()
    base = scratch_dir("kiosk-cage-")
    kiosk = install_in_fresh_venv(base / "venv", python_for(prefix))
    runtime, home = base / "xdg", base / "home"
    for directory in (runtime, home):
        directory.mkdir(mode=0o700)
        os.chown(directory, user.pw_uid, user.pw_gid)
    key = home / "db.key"
    key.write_text("a passphrase long enough for the test\n")
    key.chmod(0o600)
    os.chown(key, user.pw_uid, user.pw_gid)
    data = home / "data"
    log = data / "kiosk.log"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime),
           "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
           "QT_QPA_PLATFORM": "wayland"}
    cage = subprocess.Popen(
        [*prefix, "cage", "-d", "--", str(DEPLOY / "kiosk-session"), str(kiosk), "--kiosk",
         "--data-dir", str(data), "--key-file", str(key), "--speech-engine", "off"],
        env=env, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)

    def shown() -> list[tuple[str, str]]:
        return SHOWN.findall(log.read_text()) if log.exists() else []

    try:
        first = wait_for(shown, "the kiosk's Welcome under cage", cage)
        (pid, platform), = first
        assert platform == "wayland"
        os.kill(int(pid), signal.SIGKILL)
        again = wait_for(lambda: shown()[1:], "the kiosk's Welcome again after a kill", cage)
        assert again[0][0] != pid and again[0][1] == "wayland"
        assert cage.poll() is None, "cage itself must stay up: the kiosk came back inside it"
    finally:
        os.killpg(cage.pid, signal.SIGTERM)
        try:
            cage.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(cage.pid, signal.SIGKILL)
            cage.wait()
        output = cage.stdout.read()

    assert "kiosk-session: the kiosk ended (exit status 137" in output
    # What the kiosk wrote (database, log) is its user's only: 0700 and 0600.
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    written = [path for path in data.rglob("*") if path.is_file()]
    assert {path.name for path in written} >= {"kiosk.db", "kiosk.log"}
    for path in written:
        info = path.stat()
        assert (path.name, stat.S_IMODE(info.st_mode), info.st_uid) == (
            path.name, 0o600, user.pw_uid)
