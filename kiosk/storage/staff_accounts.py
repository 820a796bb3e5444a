"""Staff accounts in the database: sign-in with lockout, creation, PIN changes, removal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.staff.access import ADMIN, ROLES, locked_until
from kiosk.staff.pin import hash_pin, needs_rehash, verify_pin
from kiosk.storage.models import StaffAccount

if TYPE_CHECKING:
    from kiosk.storage.store import Store


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt. ``name``/``role`` are set when it succeeded."""

    ok: bool
    name: str = ""
    role: str = ""
    wait_seconds: int = 0  # > 0: locked out for this long


class StaffAccounts:
    def __init__(self, store: Store) -> None:
        self.store = store

    def any(self) -> bool:
        return StaffAccount.select().where(StaffAccount.active == True).exists()  # noqa: E712

    def list(self) -> list[StaffAccount]:
        return list(StaffAccount.select().where(StaffAccount.active == True)  # noqa: E712
                    .order_by(StaffAccount.name_key))

    def create(self, name: str, role: str, pin: str, actor: str, at: dt.datetime) -> None:
        """A new account (or a new PIN and role for an existing name, re-activated)."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        key = name.strip().lower()
        with self.store.db.atomic():
            StaffAccount.insert(
                name_key=key, name=name.strip(), role=role, pin_hash=hash_pin(pin),
                failed_attempts=0, locked_until=None, active=True, created_at=at,
            ).on_conflict(
                conflict_target=[StaffAccount.name_key],
                preserve=[StaffAccount.name, StaffAccount.role, StaffAccount.pin_hash,
                          StaffAccount.failed_attempts, StaffAccount.locked_until,
                          StaffAccount.active],
            ).execute()
            self.store._audit(actor, "account_saved", at, detail=f"{name.strip()} ({role})")

    def deactivate(self, name: str, actor: str, at: dt.datetime) -> bool:
        """Remove an account from use; never the last administrator."""
        key = name.strip().lower()
        account = StaffAccount.get_or_none(StaffAccount.name_key == key)
        if account is None:
            return False
        admins = StaffAccount.select().where((StaffAccount.role == ADMIN)
                                             & (StaffAccount.active == True)).count()  # noqa: E712
        if account.role == ADMIN and admins <= 1:
            return False
        with self.store.db.atomic():
            StaffAccount.update(active=False).where(StaffAccount.id == account.id).execute()
            self.store._audit(actor, "account_removed", at, detail=account.name)
        return True

    def sign_in(self, name: str, pin: str, at: dt.datetime) -> SignIn:
        """Check a name and PIN; counts failures and applies the growing delay."""
        key = name.strip().lower()
        account = StaffAccount.get_or_none((StaffAccount.name_key == key)
                                           & (StaffAccount.active == True))  # noqa: E712
        if account is not None and account.locked_until and account.locked_until > at:
            wait = int((account.locked_until - at).total_seconds()) + 1
            self.store.audit(name.strip(), "sign_in", at, success=False, detail="locked out")
            return SignIn(False, wait_seconds=wait)
        if account is None or not verify_pin(pin, account.pin_hash):
            if account is not None:
                failures = account.failed_attempts + 1
                StaffAccount.update(failed_attempts=failures,
                                    locked_until=locked_until(failures, at)).where(
                    StaffAccount.id == account.id).execute()
            self.store.audit(name.strip(), "sign_in", at, success=False)
            return SignIn(False)
        changes = {"failed_attempts": 0, "locked_until": None}
        if needs_rehash(account.pin_hash):
            changes["pin_hash"] = hash_pin(pin)
        StaffAccount.update(**changes).where(StaffAccount.id == account.id).execute()
        self.store.audit(account.name, "sign_in", at)
        return SignIn(True, account.name, account.role)
