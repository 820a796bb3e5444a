"""The text of a PDF as a reader of the printed page sees it, read by poppler's
``pdftotext`` (Debian's poppler-utils, in scripts/system_packages.sh's test list).

pypdf's ``extract_text`` took 52 s for the 309 pages of a 100-summary PDF on this
project's machines; pdftotext takes about 1 s. Encrypted exports are still opened with
pypdf (it checks the password)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdf_pages(pdf: bytes | str | Path) -> list[str]:
    """Each page's text in the order it was drawn (``-raw``: the page header first, as
    pypdf reads it), runs of white space made one space."""
    if isinstance(pdf, bytes):
        run = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf,
                             capture_output=True, check=True)
    else:
        run = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                             capture_output=True, check=True)
    pages = run.stdout.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    return [" ".join(page.split()) for page in pages]


def pdf_text(pdf: bytes | str | Path) -> str:
    """The whole document's text, pages joined by a space."""
    return " ".join(pdf_pages(pdf))
