"""Where the PostgreSQL URL and its password come from, so the password is never in ``ps``.

A process's command line is readable by every local user (``ps``, ``/proc/PID/cmdline``);
its environment and a 0600 file are not. So the URL comes, first found, from
``--database-url`` or ``$KIOSK_DATABASE_URL``, and the password from
``--database-password-file`` (a file only the kiosk's user can read), from
``$KIOSK_DATABASE_URL``'s own password, or from libpq's usual ``~/.pgpass``. A password
written in ``--database-url`` on the command line still works, with a warning.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import urlsplit

URL_ENV = "KIOSK_DATABASE_URL"


class DatabaseUrlError(ValueError):
    """The database settings cannot be used; the message never contains the password."""


def url_password(url: str | None) -> str | None:
    """The password written in ``url`` (``postgresql://user:PASSWORD@host/db``), if any."""
    if not url or "://" not in url or url.startswith("sqlite:"):
        return None
    try:
        return urlsplit(url).password or None
    except ValueError:  # a malformed port or host: the store names the problem later
        return None


def command_line_password_warning(argv: list[str]) -> str | None:
    """A warning when a password was typed into ``--database-url`` on the command line."""
    for index, arg in enumerate(argv):
        value = None
        if arg == "--database-url" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--database-url="):
            value = arg.split("=", 1)[1]
        if value is not None and url_password(value):
            return ("Warning: the database password is on the command line, where every user "
                    "of this machine can read it (ps). Put the URL in $KIOSK_DATABASE_URL "
                    "(e.g. in /etc/intake-kiosk/environment, mode 600), or the password "
                    "alone in a file given with --database-password-file.")
    return None


def read_password_file(path: Path) -> str:
    """The password in ``path`` (one line), refused if other users can read the file."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise DatabaseUrlError(f"the database password file {path} is not a file")
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise DatabaseUrlError(f"the database password file {path} can be read by "
                                   f"other users: run 'chmod 600 {path}'")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise DatabaseUrlError(f"the database password file {path} belongs to "
                                   "another user")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DatabaseUrlError(f"the database password file {path} cannot be read "
                               f"({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise DatabaseUrlError(f"the database password file {path} is not UTF-8 text") \
            from None
    password = text.rstrip("\r\n")
    if not password or "\n" in password:
        raise DatabaseUrlError(f"the database password file {path} must hold the password "
                               "alone, on one line")
    return password


def password_for(url: str | None, password_file: Path | None) -> str | None:
    """The password to connect with beside ``url`` (None: the URL's own, or libpq's)."""
    if password_file is None:
        return None
    if not url or not url.startswith(("postgres://", "postgresql://")):
        raise DatabaseUrlError("--database-password-file is for a postgresql:// database "
                               "URL (--database-url or $KIOSK_DATABASE_URL)")
    if url_password(url):
        raise DatabaseUrlError("the database URL already holds a password: give it once, "
                               "in the URL or in --database-password-file")
    return read_password_file(password_file)
