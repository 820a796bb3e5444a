"""The summary staff read and print says in which language the patient answered and when
they signed (issue 12.10)."""

from kiosk.demo.answers import fill_demo_session
from kiosk.export.summary import summary_html
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
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
