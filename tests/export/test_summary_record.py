"""The summary staff read and print says in which language the patient answered and when
they signed (issue 12.10)."""


import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.export.summary import summary_html
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
from tests.helpers.pdf import pdf_pages
from tests.helpers.staff import signed_in


def test_the_summary_names_the_language_and_dates_the_signature(tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    session = IntakeSession(content, language="es")
    fill_demo_session(session)
    session.confirm(True)
    intake_id = store.submit(session.build_submission())
    detail = store.intake(intake_id, signed_in(store))
    store.close()
    html = summary_html(detail, content)
    assert "<b>Language</b></td><td>Español (es)</td>" in html
    when = detail.row.submitted_at.strftime("%Y-%m-%d %H:%M")
    assert html.index("Patient&#x27;s signature") < html.index(f"Signed {when}")


def _intakes(tmp_path, content, names):
    store = Store(tmp_path / "kiosk.db")
    ids = []
    for first in names:
        session = IntakeSession(content, language="es")
        fill_demo_session(session, first=first, last="Santos")
        session.confirm(True)
        ids.append(store.submit(session.build_submission()))
    actor = signed_in(store)
    details = [store.intake(i, actor) for i in ids]
    store.close()
    return details


@pytest.mark.gui
def test_every_printed_page_names_its_patient_birth_date_and_clinic(qapp, tmp_path, content):
    from kiosk.ui.pdf_export import summary_pdf, write_summaries_pdf

    maria, omar = _intakes(tmp_path, content, ["Maria", "Omar"])

    def pages(data: bytes) -> list[str]:
        return pdf_pages(data)

    one = pages(summary_pdf(maria, content))
    assert len(one) >= 2
    for number, text in enumerate(one, 1):
        assert text.startswith("Santos, Maria · Date of birth 1961-04-12 · "
                               "Riverside Pain Center"), text[:120]
        assert f"{number} / {len(one)}" in text
    path = write_summaries_pdf([maria, omar], content, tmp_path / "two.pdf")
    both = pages(path.read_bytes())
    assert [t.split(" ·")[0] for t in both] == \
        ["Santos, Maria"] * len(one) + ["Santos, Omar"] * (len(both) - len(one))
