"""CSV and PDF exports, read back the way staff and their spreadsheet would."""

import csv
import datetime as dt
import io

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.export.csv_export import neutralise, write_csv
from kiosk.export.summary import summary_html
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
from tests.helpers.staff import signed_in


@pytest.fixture
def stored(tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    session = IntakeSession(content)
    fill_demo_session(session, first="=HYPERLINK(\"x\")", last="@Santos")
    session.answer("contrast-reaction", ["-hives, +itching"])
    session.confirm(True)
    intake_id = store.submit(session.build_submission())
    yield store, intake_id
    store.close()


@pytest.mark.parametrize(("cell", "safe"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("Maria", "Maria"), ("1961-04-12", "1961-04-12"),
])
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


def test_csv_parses_back_with_neutralised_cells_and_every_question(stored, content):
    store, intake_id = stored
    out = io.StringIO()
    today = dt.date.today()
    assert write_csv(store.intakes_between(today, today, signed_in(store)), content, out) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1
    row = rows[0]
    assert row["intake_id"] == str(intake_id)
    assert row["first_name"] == "'=HYPERLINK(\"x\")"
    assert row["last_name"] == "'@Santos"
    assert row["contrast-reaction"] == "'-hives, +itching"
    assert row["blood-thinners"] == "Apixaban (Eliquis)"
    assert row["pain-now"] == "6"
    assert "Blood thinner" in row["flags"]
    assert row["birth_date"] == "1961-04-12"


def test_pdf_summary_holds_patient_flags_and_answers(stored, content, tmp_path, qapp):
    from pypdf import PdfReader

    from kiosk.ui.pdf_export import write_pdf

    store, intake_id = stored
    detail = store.intake(intake_id, signed_in(store))
    path = write_pdf(summary_html(detail, content), tmp_path / "s.pdf",
                     signature_png=detail.signature_png)
    reader = PdfReader(path)
    assert sum(len(page.images) for page in reader.pages) == 1  # the patient's signature
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    assert "@Santos" in text
    assert "Needs attention" in text
    assert "Blood thinner" in text and "Apixaban" in text
    assert "X-ray dye allergy" in text
    assert "How bad is your pain right now?" in text
    assert "Patient's signature" in text
    # Flags come before the answers
    assert text.index("Needs attention") < text.index("How bad is your pain")
