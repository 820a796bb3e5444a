"""CSV export of intakes, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from kiosk.content.library import ContentLibrary
from kiosk.export.protected import save_export
from kiosk.private_files import writing_private
from kiosk.questionnaire.response import answers_in_response
from kiosk.storage import IntakeDetail

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIXED_COLUMNS = [
    "intake_id", "submitted_at", "last_name", "first_name", "birth_date", "procedure",
    "language", "questionnaire", "flags", "reviewed_at", "reviewed_by",
]


def neutralise(cell: str) -> str:
    """Stop a spreadsheet from reading a cell as a formula (CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def write_csv(intakes: Iterable[IntakeDetail], content: ContentLibrary, out: IO[str]) -> int:
    """Write one row per intake with one column per question; returns the row count."""
    questions = [item for item in content.questionnaire.walk() if item.is_question]
    writer = csv.writer(out)
    writer.writerow(FIXED_COLUMNS + [item.link_id for item in questions])
    count = 0
    for intake in intakes:
        row = intake.row
        answers = {link_id: values for link_id, _, values in answers_in_response(intake.response)}
        cells = [
            str(row.id),
            row.submitted_at.isoformat(sep=" "),
            row.last_name,
            row.first_name,
            row.birth_date.isoformat(),
            row.procedure_id,
            intake.language,
            f"{intake.questionnaire_url}|{intake.questionnaire_version}",
            "; ".join(f.label for f in intake.flags),
            row.reviewed_at.isoformat(sep=" ") if row.reviewed_at else "",
            row.reviewed_by or "",
        ] + ["; ".join(answers.get(item.link_id, [])) for item in questions]
        writer.writerow([neutralise(c) for c in cells])
        count += 1
    return count


def export_csv_file(intakes: Iterable[IntakeDetail], content: ContentLibrary, path: Path,
                    password: str | None = None) -> int:
    """The CSV file at ``path`` (written whole or not at all, 0600); with ``password``
    in an AES-256 zip instead (``path`` + ``.zip``, see :mod:`kiosk.export.protected`)."""
    if password is None:
        # BOM: Excel reads UTF-8
        with writing_private(path, text=True, encoding="utf-8-sig") as out:
            return write_csv(intakes, content, out)
    buffer = io.StringIO(newline="")
    count = write_csv(intakes, content, buffer)
    save_export(path, buffer.getvalue().encode("utf-8-sig"), password)
    return count
