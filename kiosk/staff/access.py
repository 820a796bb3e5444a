"""Staff roles, what each may do, who is acting, and the growing delay after wrong PINs.

Every staff operation in storage takes the acting :class:`StaffActor` and checks its role
there (:mod:`kiosk.storage.access`), not only in which buttons the screens show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FRONT_DESK = "front_desk"
ADMIN = "admin"
ROLES = {FRONT_DESK: "Front desk", ADMIN: "Administrator"}

_FRONT_DESK = {"view", "review", "export", "backup", "discard_interrupted", "view_audit"}
_PERMISSIONS = {
    FRONT_DESK: _FRONT_DESK,
    ADMIN: _FRONT_DESK | {"manage_accounts", "purge"},
}
ACTIONS = frozenset(_PERMISSIONS[ADMIN])

FREE_ATTEMPTS = 3  # wrong PINs allowed before any wait, for one name
# Wrong PINs in a row under any names before every name waits: one PIN tried against many
# staff names (each with its own three free tries) is held back too.
FREE_ATTEMPTS_ANY_NAME = 10
FIRST_DELAY = dt.timedelta(seconds=30)
LONGEST_DELAY = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class StaffActor:
    """Who does a staff action: a signed-in account (its id), or the command line of the
    machine itself (``account_id`` None: someone with the kiosk user's own access)."""

    name: str
    role: str
    account_id: int | None = None

    @property
    def from_command_line(self) -> bool:
        return self.account_id is None


COMMAND_LINE = StaffActor("command line", ADMIN)


def may(role: str, action: str) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown staff action {action!r}")
    return action in _PERMISSIONS.get(role, set())


def lockout_delay(failures: int, free: int = FREE_ATTEMPTS) -> dt.timedelta | None:
    """After ``failures`` wrong PINs in a row, how long until the next try (None: now).

    30 s after the ``free``-th (the 3rd for one name), then doubling (60 s, 2 min, ...) up
    to 15 minutes, for any count:
    the doubling stops at the cap before it is computed, so a millionth failure waits 15
    minutes like the sixth (no overflow).
    """
    if failures < free:
        return None
    doublings = failures - free
    cap = LONGEST_DELAY // FIRST_DELAY  # 30 s doubled this often reaches 15 minutes
    if doublings >= cap.bit_length():
        return LONGEST_DELAY
    return min(FIRST_DELAY * 2 ** doublings, LONGEST_DELAY)


def locked_until(failures: int, now: dt.datetime,
                 free: int = FREE_ATTEMPTS) -> dt.datetime | None:
    """When the next try is allowed after ``failures`` wrong PINs (None: now)."""
    delay = lockout_delay(failures, free)
    return None if delay is None else now + delay
