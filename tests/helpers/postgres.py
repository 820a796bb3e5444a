"""A private PostgreSQL server that a test can stop, start and restart (a server restart or
a network blip as a clinic sees one). Uses Debian's binaries, run as the postgres user."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    """``password``: the server asks for it (scram-sha-256) instead of trusting anyone."""

    def __init__(self, base: Path, password: str | None = None) -> None:
        binaries = _bin()
        if binaries is None or os.geteuid() != 0:
            if os.environ.get("CI"):
                pytest.fail("PostgreSQL binaries (and root, to run them as postgres) are "
                            "needed on CI")
            pytest.skip("no PostgreSQL binaries here, or not root")
        self.bin = binaries
        self.base = base
        self.port = _free_port()
        (base / "sock").mkdir(parents=True, exist_ok=True)
        shutil.chown(base, "postgres")
        shutil.chown(base / "sock", "postgres")
        if password is None:
            self._as_postgres(f"{self.bin}/initdb -D {base}/data -A trust -U postgres")
        else:
            secret = base / "pwfile"
            secret.write_text(password + "\n")
            shutil.chown(secret, "postgres")
            self._as_postgres(f"{self.bin}/initdb -D {base}/data -A scram-sha-256 "
                              f"--pwfile={secret} -U postgres")
            secret.unlink()
        self.start()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, command: str) -> None:
        subprocess.run(["su", "postgres", "-c", command], check=True, capture_output=True,
                       timeout=60)

    def start(self) -> None:
        self._as_postgres(
            f"{self.bin}/pg_ctl -D {self.base}/data -l {self.base}/log -w -o '-p {self.port} "
            f"-k {self.base}/sock -c listen_addresses=127.0.0.1' start")

    def stop(self) -> None:
        self._as_postgres(f"{self.bin}/pg_ctl -D {self.base}/data -m fast -w stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def private_postgres():
    # Not under pytest's tmp_path: its parents are closed to the postgres user.
    base = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    base.chmod(0o755)
    server = PrivatePostgres(base)
    yield server
    server.close()
