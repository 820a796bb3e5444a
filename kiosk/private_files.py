"""Files that hold patient data outside the database: exports and backups.

Each is written whole or not at all — to a temporary name in the same folder, flushed and
fsync'd, then renamed (``os.replace``) to its final name and the folder fsync'd — so a kiosk
killed mid-write never leaves a file with its final name. Files are 0600 and the kiosk's own
folders 0700, whatever the umask. Temporary files a killed write left behind carry
:data:`PARTIAL_PREFIX` and are removed by :func:`prepare_private_folder` and :func:`purge_older`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
FOLDER_MODE = 0o700
PARTIAL_PREFIX = ".partial-"
# A temporary file untouched this long belongs to a write that was killed (a live write
# keeps its file's mtime fresh; another process may be writing one right now).
STALE_PARTIAL = dt.timedelta(minutes=5)


def private_folder(folder: Path) -> Path:
    """``folder`` (and missing parents) created 0700; an existing one set to 0700."""
    folder = Path(folder)
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(folder.stat().st_mode) != FOLDER_MODE:
        os.chmod(folder, FOLDER_MODE)
    return folder


def prepare_private_folder(folder: Path, now: dt.datetime | None = None) -> int:
    """At start: the folder 0700, every file in it 0600, and what killed writes left
    behind removed. Returns how many leftovers were removed."""
    private_folder(folder)
    now = now or dt.datetime.now()
    removed = 0
    for entry in os.scandir(folder):
        if not entry.is_file(follow_symlinks=False):
            continue
        if entry.name.startswith(PARTIAL_PREFIX) and _older_than(entry, now - STALE_PARTIAL):
            removed += _unlink(entry.path)
        elif stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode) != FILE_MODE:
            os.chmod(entry.path, FILE_MODE)
    return removed


def _older_than(entry: os.DirEntry, cutoff: dt.datetime) -> bool:
    return entry.stat(follow_symlinks=False).st_mtime < cutoff.timestamp()


def _unlink(path: str | Path) -> int:
    try:
        os.unlink(path)
    except FileNotFoundError:  # another process removed it first
        return 0
    return 1


def partial_path(final: Path) -> Path:
    """A temporary name beside ``final``, unique to this write."""
    return final.with_name(f"{PARTIAL_PREFIX}{secrets.token_hex(6)}-{final.name}")


def create_private(path: Path) -> int:
    """Create ``path`` (it must not exist) mode 0600 and return its descriptor."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                 FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # the umask may have taken bits away; never more than 0600
    return fd


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(partial: Path, final: Path, overwrite: bool = True) -> Path:
    """Rename a finished, fsync'd temporary file to its final name, durably. With
    ``overwrite`` False an existing ``final`` is refused (FileExistsError)."""
    if not overwrite and final.exists():
        raise FileExistsError(17, "the file already exists; choose a new name", str(final))
    os.replace(partial, final)
    fsync_folder(final.parent)
    return final


@contextlib.contextmanager
def writing_private(final: Path, text: bool = False,
                    encoding: str = "utf-8") -> Iterator[IO]:
    """Write ``final`` whole or not at all: yields a file open on a temporary name in the
    same folder; on a normal exit it is flushed, fsync'd and renamed to ``final``; on an
    exception it is removed and ``final`` is untouched."""
    final = Path(final)
    final.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    partial = partial_path(final)
    fd = create_private(partial)
    try:
        out: IO = (os.fdopen(fd, "w", encoding=encoding, newline="") if text
                   else os.fdopen(fd, "wb"))
    except BaseException:
        os.close(fd)
        partial.unlink(missing_ok=True)
        raise
    try:
        with out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        publish(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_private(final: Path, data: bytes) -> Path:
    """``data`` into ``final``, whole or not at all, mode 0600."""
    with writing_private(final) as out:
        out.write(data)
    return Path(final)


def write_private_with(final: Path, write: Callable[[Path], object],
                       check: Callable[[Path], None] | None = None,
                       overwrite: bool = True) -> Path:
    """For writers that need a path (SQLite's backup): ``write`` fills a temporary 0600
    file beside ``final``, ``check`` may refuse it (raise), then it is fsync'd and renamed."""
    final = Path(final)
    final.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    partial = partial_path(final)
    os.close(create_private(partial))
    try:
        write(partial)
        if check is not None:
            check(partial)
        os.chmod(partial, FILE_MODE)
        fsync_file(partial)
        publish(partial, final, overwrite)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:  # what SQLite may have left beside the temporary file
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
    return final


def purge_older(folder: Path, cutoff: dt.datetime) -> int:
    """Delete the files in ``folder`` last modified before ``cutoff`` (retention), and
    what killed writes left behind; returns how many files went."""
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    removed = 0
    stale = dt.datetime.now() - STALE_PARTIAL
    for entry in os.scandir(folder):
        if not entry.is_file(follow_symlinks=False):
            continue
        limit = stale if entry.name.startswith(PARTIAL_PREFIX) else cutoff
        if _older_than(entry, limit):
            removed += _unlink(entry.path)
    return removed
