"""Staff accounts in the database: sign-in with a lockout every kiosk shares, the first
administrator, creation, PIN changes, removal.

The lockout counts wrong PINs per *name tried*, in the ``signinattempt`` table, so every
kiosk process on a shared database sees the same count, and an unknown name locks exactly
like a real one (no telling which names exist); one more row (``ANY_NAME``) counts wrong
PINs under every name, so one PIN tried against many names is held back too. An attempt is
claimed — counted — before the PIN is checked, in one conditional update, so four kiosks
guessing at once get no more tries than one. Unknown names are checked against a decoy hash:
the answer takes as long as for a real account.

Signing in and making the first administrator are each a start, an argon2 check and a finish
(:mod:`kiosk.storage.pin_checks`), so that a screen can run the slow check on a worker thread
while the database is used only on its own; ``sign_in`` and ``create_first_admin`` do all
three in turn.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.staff.access import (
    ADMIN,
    FREE_ATTEMPTS,
    FREE_ATTEMPTS_ANY_NAME,
    ROLES,
    StaffActor,
    locked_until,
)
from kiosk.staff.pin import hash_pin
from kiosk.storage.pin_checks import (
    FirstAdminCheck,
    FirstAdminHashed,
    PendingSignIn,
    PinCheck,
    PinChecked,
)
from kiosk.storage.records import NotPermitted, StaffMember
from kiosk.storage.times import naive_local

if TYPE_CHECKING:
    from kiosk.storage.access import Access
    from kiosk.storage.audit import AuditLog
    from kiosk.storage.database import Database
    from kiosk.storage.models import Models

SETUP_CODE = "setup_code"
SETUP_CODE_LIFETIME = dt.timedelta(hours=1)
_decoy_hash: str | None = None
# The sign-in attempts row counted for every name: names are stripped, so no name's key
# starts with a space.
ANY_NAME = " any name"


def _decoy() -> str:
    """An argon2 hash of nothing anyone types, made once: unknown names are checked
    against it so that they answer as slowly as real ones."""
    global _decoy_hash
    if _decoy_hash is None:
        _decoy_hash = hash_pin(secrets.token_hex(16))
    return _decoy_hash


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt. ``actor`` is set when it succeeded."""

    ok: bool
    actor: StaffActor | None = None
    wait_seconds: int = 0  # > 0: locked out for this long

    @property
    def name(self) -> str:
        return self.actor.name if self.actor else ""

    @property
    def role(self) -> str:
        return self.actor.role if self.actor else ""


class StaffAccounts:
    def __init__(self, database: Database, models: Models, audit: AuditLog, access: Access,
                 holds_patient_data: Callable[[], bool]) -> None:
        self.database = database
        self.models = models
        self.audit = audit
        self.access = access
        self.holds_patient_data = holds_patient_data

    # -- accounts --------------------------------------------------------------------------
    def any(self) -> bool:
        account = self.models.StaffAccount
        return self.database.run("could not read staff accounts", lambda: (
            account.select().where(account.active == True).exists()))  # noqa: E712

    def list(self, actor: StaffActor) -> list[StaffMember]:
        self.access.require(actor, "manage_accounts")
        account = self.models.StaffAccount
        query = (account.select(account.name, account.role, account.created_at)
                 .where(account.active == True).order_by(account.name_key))  # noqa: E712
        return self.database.run("could not read staff accounts",
                                 lambda: [StaffMember(*row) for row in query.tuples()])

    def create(self, name: str, role: str, pin: str, actor: StaffActor, at: dt.datetime) -> None:
        """A new account (or a new PIN and role for an existing name, re-activated)."""
        self.access.require(actor, "manage_accounts")
        self._save(name, role, pin, actor.name, at)

    def first_admin_allowed(self) -> bool:
        """The sign-in screen may make the first administrator only on a kiosk that has no
        account and holds no patient data; otherwise a setup code is needed."""
        return not self.any() and not self.holds_patient_data()

    def create_first_admin(self, name: str, pin: str, at: dt.datetime,
                           setup_code: str = "") -> None:
        """The first administrator, from the sign-in screen: only with no account at all,
        and only on an empty kiosk or with the one-time code from ``main.py --setup-code``."""
        check = self.start_first_admin(name, pin, at, setup_code)
        self.finish_first_admin(check, check.run())

    def start_first_admin(self, name: str, pin: str, at: dt.datetime,
                          setup_code: str = "") -> FirstAdminCheck:
        """The database half before :meth:`create_first_admin`'s argon2 work: NotPermitted
        when an account exists; else what :meth:`FirstAdminCheck.run` must hash and verify."""
        if self.any():
            raise NotPermitted("a staff account exists already; sign in with it")
        needs_code = self.holds_patient_data()
        return FirstAdminCheck(name, pin, at, needs_code,
                               setup_code.replace("-", "").replace(" ", "").upper(),
                               self._setup_code_hash(setup_code, at) if needs_code else None)

    def finish_first_admin(self, check: FirstAdminCheck, hashed: FirstAdminHashed) -> None:
        """Save the first administrator once ``check`` ran (NotPermitted, audited, when its
        setup code was wrong); the setup code is used up."""
        if not hashed.code_ok or hashed.pin_hash is None:
            self.audit.add(check.name.strip() or "?", "first_admin", check.at, success=False,
                           detail="no valid setup code")
            raise NotPermitted("this kiosk holds patient data: a setup code is needed")
        if check.needs_code:
            secret = self.models.StaffSecret
            self.database.run("could not use the setup code", lambda: (
                secret.delete().where(secret.name == SETUP_CODE).execute()))
        self._save_hashed(check.name, ADMIN, hashed.pin_hash, check.name.strip(), check.at)

    def issue_setup_code(self, actor: StaffActor, at: dt.datetime) -> str:
        """A one-time code (valid for an hour) that lets the sign-in screen make the first
        administrator on a kiosk that holds patient data; only from the command line."""
        if not actor.from_command_line:
            raise NotPermitted("setup codes are issued on the kiosk's command line only")
        code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
        value = json.dumps({"hash": hash_pin(code.replace("-", "")),
                            "until": (naive_local(at) + SETUP_CODE_LIFETIME).isoformat()})
        secret = self.models.StaffSecret

        def write() -> None:
            with self.database.writing():
                secret.insert(name=SETUP_CODE, value=value).on_conflict(
                    conflict_target=[secret.name], preserve=[secret.value]).execute()
                self.audit.write(actor.name, "setup_code_issued", at)

        self.database.run("could not save the setup code", write)
        return code

    def _setup_code_hash(self, code: str, at: dt.datetime) -> str | None:
        """The setup code's hash to check ``code`` against; None when there is no code, none
        was typed, or it expired."""
        secret = self.models.StaffSecret
        found = self.database.run("could not read the setup code", lambda: (
            secret.get_or_none(secret.name == SETUP_CODE)))
        if found is None or not code:
            return None
        stored = json.loads(found.value)
        if naive_local(at) > dt.datetime.fromisoformat(stored["until"]):
            return None
        return str(stored["hash"])

    def _save(self, name: str, role: str, pin: str, actor_name: str, at: dt.datetime) -> None:
        self._save_hashed(name, role, hash_pin(pin), actor_name, at)

    def _save_hashed(self, name: str, role: str, pin_hash: str, actor_name: str,
                     at: dt.datetime) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        account = self.models.StaffAccount
        key = name.strip().lower()

        def write() -> None:
            with self.database.writing():
                account.insert(
                    name_key=key, name=name.strip(), role=role, pin_hash=pin_hash,
                    failed_attempts=0, locked_until=None, active=True, created_at=naive_local(at),
                ).on_conflict(
                    conflict_target=[account.name_key],
                    preserve=[account.name, account.role, account.pin_hash,
                              account.failed_attempts, account.locked_until, account.active],
                ).execute()
                self._forget_failures(key)
                self.audit.write(actor_name, "account_saved", at, detail=f"{name.strip()} ({role})")

        self.database.run("could not save the staff account", write)

    def deactivate(self, name: str, actor: StaffActor, at: dt.datetime) -> bool:
        """Remove an account from use; never the last administrator."""
        self.access.require(actor, "manage_accounts")
        account = self.models.StaffAccount
        key = name.strip().lower()

        def write() -> bool:
            with self.database.writing():
                found = account.get_or_none((account.name_key == key)
                                            & (account.active == True))  # noqa: E712
                if found is None:
                    return False
                admins = account.select().where((account.role == ADMIN)
                                                & (account.active == True)).count()  # noqa: E712
                if found.role == ADMIN and admins <= 1:
                    return False
                account.update(active=False).where(account.id == found.id).execute()
                self.audit.write(actor.name, "account_removed", at, detail=found.name)
                return True

        return self.database.run("could not remove the staff account", write, retry=False)

    # -- sign-in ---------------------------------------------------------------------------
    def sign_in(self, name: str, pin: str, at: dt.datetime) -> SignIn:
        """Check a name and PIN. Every attempt is counted before the PIN is checked and
        audited, known name or not; after 3 wrong PINs in a row the name waits 30 s, then
        60 s, 2 min ... up to 15 minutes — even for the right PIN. After 10 wrong PINs in a
        row under any names, every name waits the same way (one PIN tried against many
        names); a right PIN starts both counts again."""
        started = self.start_sign_in(name, pin, at)
        if isinstance(started, SignIn):
            return started
        return self.finish_sign_in(started, started.check.run())

    def start_sign_in(self, name: str, pin: str, at: dt.datetime) -> SignIn | PendingSignIn:
        """:meth:`sign_in` up to its argon2 check: the attempt is counted (and, when the
        name or every name must wait, refused and audited: a SignIn); else what is left."""
        shown = name.strip()[:100]
        key = shown.lower()
        at = naive_local(at)
        wait = (self._claim_attempt(key, at, FREE_ATTEMPTS)
                or self._claim_attempt(ANY_NAME, at, FREE_ATTEMPTS_ANY_NAME))
        if wait:
            self.audit.add(shown, "sign_in", at, success=False, detail="locked out")
            return SignIn(False, wait_seconds=wait)
        account = self.models.StaffAccount
        found = self.database.run("could not read staff accounts", lambda: (
            account.get_or_none((account.name_key == key)
                                & (account.active == True))))  # noqa: E712
        if found is None:
            return PendingSignIn(shown, key, at, None, "", "", PinCheck(pin, None, _decoy))
        return PendingSignIn(shown, key, at, int(found.id), found.name, found.role,
                             PinCheck(pin, found.pin_hash, _decoy))

    def finish_sign_in(self, pending: PendingSignIn, checked: PinChecked) -> SignIn:
        """:meth:`sign_in` after its argon2 check: the outcome audited; a right PIN starts
        the counts again (and replaces a hash of an older kind)."""
        if pending.account_id is None or not checked.right:
            self.audit.add(pending.shown, "sign_in", pending.at, success=False)
            return SignIn(False)
        account = self.models.StaffAccount
        account_id, new_hash = pending.account_id, checked.new_hash

        def succeed() -> None:
            with self.database.writing():
                self._forget_failures(pending.key)
                self._forget_failures(ANY_NAME)
                if new_hash is not None:
                    account.update(pin_hash=new_hash).where(account.id == account_id).execute()
                self.audit.write(pending.account_name, "sign_in", pending.at)

        self.database.run("could not record the sign-in", succeed)
        return SignIn(True, StaffActor(pending.account_name, pending.account_role, account_id))

    def _claim_attempt(self, key: str, at: dt.datetime, free: int) -> int:
        """Count one attempt for ``key`` (``free`` of them before any wait); returns the
        seconds to wait (0: go ahead)."""
        attempt = self.models.SignInAttempt

        def claim() -> int:
            for _ in range(20):  # another kiosk claimed at the same moment: read again
                with self.database.writing():
                    row = attempt.get_or_none(attempt.name_key == key)
                    if row is None:
                        inserted = attempt.insert(
                            name_key=key, failures=1, locked_until=locked_until(1, at, free),
                        ).on_conflict_ignore().as_rowcount().execute()
                        if inserted:
                            return 0
                        continue
                    if row.locked_until is not None and row.locked_until > at:
                        # whole seconds, rounded up: trying again then is allowed
                        return max(1, math.ceil((row.locked_until - at).total_seconds()))
                    failures = row.failures + 1
                    changed = attempt.update(
                        failures=failures, locked_until=locked_until(failures, at, free),
                    ).where((attempt.name_key == key)
                            & (attempt.failures == row.failures)).execute()
                    if changed:
                        return 0
            return 1  # heavy contention on one name: make the caller wait a moment

        return self.database.run("could not check the sign-in", claim, retry=False)

    def _forget_failures(self, key: str) -> None:
        attempt = self.models.SignInAttempt
        attempt.delete().where(attempt.name_key == key).execute()
