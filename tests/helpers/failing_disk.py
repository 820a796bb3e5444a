"""Disks that fail as a clinic's do: a real tiny filesystem that fills up, and a database
that has become read-only.

A full disk is a real tmpfs of a few MB (mounting needs root; elsewhere the test is
skipped) filled to the last byte, so SQLite, Qt's PDF writer and Python's file writes all
meet a real ENOSPC. A read-only database is SQLite's own ``query_only`` on the connection
staff use: a running kiosk cannot have its disk remounted read-only under it (the kernel
refuses while files are open for writing) and modes do not stop root, so this is the
nearest real failure — SQLite answers every write with its read-only error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def tiny_filesystem(where: Path, size: str = "16m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` for the block's duration."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("a real full disk needs a tmpfs, and mounting one needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700",
                              "tmpfs", str(where)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


def fill(folder: Path) -> Path:
    """Write a file in ``folder`` until its filesystem has no byte left."""
    filler = folder / "filler.bin"
    chunk = b"\0" * 65536
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(chunk)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    with filler.open("ab", buffering=0) as out:  # the last partial block too
        try:
            while True:
                out.write(b"\0")
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    return filler


def make_database_full(store, data_dir: Path) -> None:
    """Fill the disk under a running store: its WAL is emptied first, so the next write
    must grow it and meets ENOSPC (a WAL that is reused in place would still take it)."""
    store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    fill(data_dir)


def make_database_read_only(store) -> None:
    """Every write on the connection staff use (the screen's thread) is refused."""
    store.db.execute_sql("PRAGMA query_only = 1")
