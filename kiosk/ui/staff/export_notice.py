"""What staff are told after an export: where the file went and, when it is encrypted,
how to open it and its password (shown this once, never stored)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.content.catalogue import Catalogue

# Large and on a line of its own: read off the screen and written down without mistakes.
_PASSWORD_STYLE = ("font-family: 'DejaVu Sans Mono', monospace; font-size: 26px; "
                   "font-weight: bold; white-space: pre")


def export_done_text(t: Catalogue, path: Path, password: str | None,
                     count: int | None = None) -> str:
    """Plain text for a plain file ("Saved to PATH (N)"); rich text for an encrypted one,
    the password last, alone on its line."""
    where = f"{path} ({count})" if count is not None else str(path)
    if password is None:
        return t("export_done", path=where)
    key = ("export_done_pdf_protected" if path.suffix.lower() == ".pdf"
           else "export_done_zip_protected")
    sentence = html.escape(t(key, path=where, password="\x00")).split("\x00")[0].rstrip()
    return (f"<p>{sentence}</p>"
            f"<p style=\"{_PASSWORD_STYLE}\">{html.escape(password)}</p>")


def show_export_done(result: QLabel, t: Catalogue, path: Path, password: str | None,
                     count: int | None = None) -> None:
    """Put :func:`export_done_text` on ``result`` (rich text only for the password's
    notice, which escapes everything it shows)."""
    result.setTextFormat(Qt.TextFormat.RichText if password else Qt.TextFormat.PlainText)
    result.setText(export_done_text(t, path, password, count))


def show_plain(result: QLabel, text: str) -> None:
    """Any other message on the same label: plain text again."""
    result.setTextFormat(Qt.TextFormat.PlainText)
    result.setText(text)
