"""Where the database key comes from, and what makes a key acceptable.

The key is a passphrase of at least 16 characters, taken from (first found):
1. the environment variable ``KIOSK_DB_KEY``;
2. a key file (``--key-file``) that only the kiosk's user can read (mode 600 or 400).
No key means an unencrypted database, which the kiosk marks "DEMO — not for patient data".
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

KEY_ENV = "KIOSK_DB_KEY"
NEW_KEY_ENV = "KIOSK_NEW_DB_KEY"
MIN_KEY_LENGTH = 16


class DatabaseKeyError(ValueError):
    """The key cannot be used; the message says why and never contains the key."""


def check_key(key: str, where: str) -> str:
    if not key or not key.strip():
        raise DatabaseKeyError(f"the database key from {where} is empty")
    if len(key) < MIN_KEY_LENGTH:
        raise DatabaseKeyError(
            f"the database key from {where} is too short: use at least {MIN_KEY_LENGTH} "
            "characters (a passphrase of several words is easy to keep and hard to guess)")
    return key


def read_key_file(path: Path) -> str:
    try:
        info = path.stat()
    except OSError as exc:
        raise DatabaseKeyError(f"the key file {path} cannot be read ({exc.strerror})") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise DatabaseKeyError(
            f"the key file {path} can be read by other users: run 'chmod 600 {path}'")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise DatabaseKeyError(f"the key file {path} belongs to another user")
    return check_key(path.read_text(encoding="utf-8").strip("\n"), str(path))


def load_key(key_file: Path | None = None, env_name: str = KEY_ENV) -> str | None:
    """The configured key, or None for an unencrypted (demo) database."""
    if os.environ.get(env_name) is not None:
        return check_key(os.environ[env_name], f"${env_name}")
    if key_file is not None:
        return read_key_file(key_file)
    return None
