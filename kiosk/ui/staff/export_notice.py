"""What staff are told after an export: where the file went and, when it is encrypted,
how to open it and its password (shown this once, never stored)."""

from __future__ import annotations

from pathlib import Path

from kiosk.content.catalogue import Catalogue


def export_done_text(t: Catalogue, path: Path, password: str | None) -> str:
    if password is None:
        return t("export_done", path=str(path))
    key = "export_done_pdf_protected" if path.suffix.lower() == ".pdf" else \
        "export_done_zip_protected"
    return t(key, path=str(path), password=password)
