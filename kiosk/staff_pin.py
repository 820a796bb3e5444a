"""Staff PIN: checked for strength, stored only as a salted scrypt hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12
_N, _R, _P = 2**14, 8, 1


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
    """``scrypt$N$r$p$salt$hash`` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)
