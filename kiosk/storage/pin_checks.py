"""The slow half of a staff sign-in or of making the first administrator: argon2 alone.

:class:`~kiosk.storage.staff_accounts.StaffAccounts` splits each of them in three: a start
that reads and counts in the database, a check here that only hashes or verifies (about
0.4 s at the kiosk's argon2 cost, and no database: it may run on any thread, so a screen
can keep drawing meanwhile), and a finish that writes the outcome and the audit. The
database parts stay on the caller's thread (peewee's connections are per thread).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.staff.pin import hash_pin, needs_rehash, verify_pin


@dataclass(frozen=True)
class PinChecked:
    """What a :class:`PinCheck` found: the PIN is right, and its new hash if the stored one
    is of an older kind (to replace it)."""

    right: bool
    new_hash: str | None = None


@dataclass(frozen=True)
class PinCheck:
    """A PIN against a stored hash, or against the decoy when the name has no account (as
    slow as a real one: no telling which names exist)."""

    pin: str
    stored: str | None  # None: no such account, check against ``decoy()``
    decoy: Callable[[], str]

    def run(self) -> PinChecked:
        if self.stored is None:
            verify_pin(self.pin, self.decoy())
            return PinChecked(False)
        if not verify_pin(self.pin, self.stored):
            return PinChecked(False)
        return PinChecked(True, hash_pin(self.pin) if needs_rehash(self.stored) else None)


@dataclass(frozen=True)
class PendingSignIn:
    """A sign-in counted and read, waiting for its :attr:`check`; pass the check's result
    to ``StaffAccounts.finish_sign_in``."""

    shown: str  # the name as typed (stripped), for the audit
    key: str
    at: dt.datetime
    account_id: int | None  # None: no active account of that name
    account_name: str
    account_role: str
    check: PinCheck


@dataclass(frozen=True)
class FirstAdminHashed:
    """What a :class:`FirstAdminCheck` found: the setup code was right (or not needed), and
    the new PIN's hash (None when the code was wrong: nothing to save)."""

    code_ok: bool
    pin_hash: str | None


@dataclass(frozen=True)
class FirstAdminCheck:
    """The first administrator, allowed so far, waiting for its PIN to be hashed (and the
    setup code verified, on a kiosk that holds patient data); pass the result of
    :meth:`run` to ``StaffAccounts.finish_first_admin``."""

    name: str
    pin: str
    at: dt.datetime
    needs_code: bool
    code: str  # as typed, normalised for checking
    code_hash: str | None  # the unexpired setup code's hash; None: no code to match

    def run(self) -> FirstAdminHashed:
        if self.needs_code and (self.code_hash is None
                                or not verify_pin(self.code, self.code_hash)):
            return FirstAdminHashed(False, None)
        return FirstAdminHashed(True, hash_pin(self.pin))
