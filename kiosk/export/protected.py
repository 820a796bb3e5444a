"""Export files that are not plaintext patient data on disk.

On a kiosk that holds patient data (an encrypted database, or the clinic's PostgreSQL) every
export is encrypted with a new password made for it and shown to staff once, never stored:
a PDF becomes a password-protected PDF (AES-256, opens in any PDF reader); CSV and FHIR
JSON go into a zip file encrypted with AES-256 (WinZip AE-2; 7-Zip, WinZip, Keka, `7z x`).
The demo kiosk (unencrypted, not for patient data) writes plain files. Either way the file
is written whole or not at all, mode 0600 (:mod:`kiosk.private_files`).
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

import pyzipper
from pypdf import PdfReader, PdfWriter

from kiosk.private_files import write_private

# No 0/o, 1/l/i: read off a screen and typed without mistakes. 20 characters ≈ 99 bits.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_GROUPS, _GROUP = 5, 4


def new_password() -> str:
    """A random export password, in groups of four: ``k7dm-…``."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(_GROUP))
                    for _ in range(_GROUPS))


def export_path(path: Path, password: str | None) -> Path:
    """Where an export meant for ``path`` is written: a protected CSV or JSON file goes
    into ``NAME.zip`` beside it; a PDF keeps its name (it is encrypted itself)."""
    path = Path(path)
    if password is None or path.suffix.lower() == ".pdf":
        return path
    return path.with_name(path.name + ".zip")


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """The PDF encrypted with AES-256 (PDF 2.0's standard security handler, revision 6)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zipped(name: str, data: bytes, password: str) -> bytes:
    """``data`` as the one file ``name`` in a zip encrypted with AES-256."""
    out = io.BytesIO()
    with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(name, data)
    return out.getvalue()


def save_export(path: Path, data: bytes, password: str | None) -> Path:
    """Write an export's bytes (a PDF, CSV or JSON file meant for ``path``); with a
    password, encrypted. Returns the file written (see :func:`export_path`)."""
    path = Path(path)
    final = export_path(path, password)
    if password is None:
        return write_private(final, data)
    if path.suffix.lower() == ".pdf":
        return write_private(final, encrypt_pdf(data, password))
    return write_private(final, zipped(path.name, data, password))
