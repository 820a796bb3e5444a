"""Staff PINs: checked for strength, stored only as an argon2id hash (salted by argon2).

Hashes written by earlier versions (salted scrypt) still verify, and are replaced by an
argon2 hash at the next successful sign-in (``needs_rehash``).
"""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12
# argon2-cffi's defaults (RFC 9106's low-memory choice: 64 MiB, 3 passes, 4 lanes): about
# 0.4 s a check on a 2-core tablet, so a guesser gets a few PINs a second at most even
# without the lockout. (The test suite swaps in a cheap hasher, tests/conftest.py, except
# where a test is marked ``real_pin_hash``.)
_hasher = PasswordHasher()


class PinRejected(ValueError):
    """The PIN cannot be used; the message says why (it never contains the PIN)."""


def check_new_pin(pin: str) -> None:
    if not pin.isdigit():
        raise PinRejected("The PIN must be digits only.")
    if not MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH:
        raise PinRejected(f"The PIN must have {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits.")
    if len(set(pin)) == 1 or pin in "0123456789012" or pin in "9876543210":
        raise PinRejected("That PIN is too easy to guess. Avoid repeated or sequential digits.")


def hash_pin(pin: str) -> str:
    return _hasher.hash(pin)


def verify_pin(pin: str, stored: str) -> bool:
    if stored.startswith("scrypt$"):
        return _verify_scrypt(pin, stored)
    try:
        return _hasher.verify(stored, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return stored.startswith("scrypt$") or _hasher.check_needs_rehash(stored)


def _verify_scrypt(pin: str, stored: str) -> bool:
    try:
        _scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        digest = hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def new_account_problem(name: str, pin: str, repeat: str) -> tuple[str, str]:
    """("", "") when a new account's name and PIN can be used; else (catalogue key, or "" and
    the PIN checker's own words)."""
    if not name.strip():
        return "staff_name_needed", ""
    if pin != repeat:
        return "staff_pins_differ", ""
    try:
        check_new_pin(pin)
    except PinRejected as exc:
        return "", str(exc)
    return "", ""
