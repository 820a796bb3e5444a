"""Staff roles, what each may do, and the growing delay after wrong PINs."""

from __future__ import annotations

import datetime as dt

FRONT_DESK = "front_desk"
ADMIN = "admin"
ROLES = {FRONT_DESK: "Front desk", ADMIN: "Administrator"}

_PERMISSIONS = {
    FRONT_DESK: {"review", "export", "backup", "discard_interrupted"},
    ADMIN: {"review", "export", "backup", "discard_interrupted", "manage_accounts", "purge"},
}

FREE_ATTEMPTS = 3  # wrong PINs allowed before any wait
FIRST_DELAY = dt.timedelta(seconds=30)
LONGEST_DELAY = dt.timedelta(minutes=15)


def may(role: str, action: str) -> bool:
    return action in _PERMISSIONS.get(role, set())


def locked_until(failures: int, now: dt.datetime) -> dt.datetime | None:
    """After ``failures`` wrong PINs in a row: when the next try is allowed (None: now).

    30 s after the 3rd, then doubling (60 s, 2 min, ...) up to 15 minutes.
    """
    if failures < FREE_ATTEMPTS:
        return None
    delay = min(FIRST_DELAY * 2 ** (failures - FREE_ATTEMPTS), LONGEST_DELAY)
    return now + delay
