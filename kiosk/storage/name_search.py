"""How names are kept for staff search: folded so "Peña", "pena" and "PENA " all match.

Folding drops accents and case and keeps letters and digits only (a hyphen, an apostrophe
or a space in "O'Brien-Núñez" does not stop a prefix match). Migration 8 holds its own
frozen copy of this rule for the rows it backfills.
"""

from __future__ import annotations

import unicodedata


def name_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def prefix_upper_bound(prefix: str) -> str:
    """The smallest key greater than every key starting with ``prefix`` (a range the
    column's index answers, on SQLite and PostgreSQL alike, unlike LIKE)."""
    return prefix + "\uffff"
