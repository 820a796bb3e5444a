"""The intake as staff see it: whether it is reviewed (the button says so), and the
patient's language (issue 12.9)."""

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
from kiosk.ui.staff.detail import DetailScreen
from tests.helpers.staff import signed_in
from tests.helpers.taps import tap

pytestmark = pytest.mark.gui


@pytest.fixture
def spanish_intake(tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    session = IntakeSession(content, language="es")
    fill_demo_session(session)
    session.confirm(True)
    intake_id = store.submit(session.build_submission())
    yield store, intake_id
    store.close()


def test_staff_see_the_patients_language_and_a_reviewed_intake_stays_reviewed(
        qtbot, content, tmp_path, spanish_intake):
    store, intake_id = spanish_intake
    actor = signed_in(store)
    detail = DetailScreen(store, content, content.strings("en"), actor, tmp_path / "exports",
                          intake_id)
    qtbot.addWidget(detail)
    detail.show()
    assert "Patient's language: Español" in detail.status.text()
    assert detail.review_button.isEnabled() and detail.review_button.text() == "Mark reviewed"
    tap(qtbot, detail.review_button)
    assert detail.status.text().startswith("Reviewed by Kim at ")
    assert "Patient's language: Español" in detail.status.text()
    assert not detail.review_button.isEnabled()  # no second tap to replace who reviewed
    assert detail.review_button.text() == "Reviewed ✓"
    reviews = store.models.Review.select().where(store.models.Review.intake == intake_id)
    assert reviews.count() == 1
