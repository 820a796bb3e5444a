"""What staff see at the top of an intake, on the real detail screen and in the PDF: the
day-of-procedure summary, and "Content not yet clinically reviewed" while the procedure's
review block is empty (issue 13.13)."""

import dataclasses

import pytest

from kiosk.storage import Store
from kiosk.ui.pdf_export import summary_pdf
from kiosk.ui.staff.detail import DetailScreen
from tests.helpers.pdf import pdf_text as text_of
from tests.helpers.staff import signed_in
from tests.test_clinical_safety import patient

pytestmark = pytest.mark.gui

NOT_REVIEWED = "Content not yet clinically reviewed"


def reviewed(content, procedure_id, by="Dr. Ana Ruiz, MD", on="2026-11-20"):
    """The content with ``procedure_id``'s review block filled in."""
    return dataclasses.replace(content, procedures=tuple(
        dataclasses.replace(p, reviewed_by=by, reviewed_on=on) if p.id == procedure_id else p
        for p in content.procedures))


@pytest.fixture
def stored(tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    session = patient(content, "radiofrequency-ablation", {
        "procedure-area": ("neck",), "blood-thinners": ("warfarin",),
        "blood-thinner-last-dose": ("yesterday",), "devices": ("pacemaker",),
        "pregnancy": ("not-applicable",)})
    intake_id = store.submit(session.build_submission())
    yield store, intake_id
    store.close()


def detail_text(qtbot, store, content, tmp_path, intake_id):
    detail = DetailScreen(store, content, content.strings("en"), signed_in(store),
                          tmp_path / "exports", intake_id)
    qtbot.addWidget(detail)
    detail.resize(1280, 800)
    detail.show()
    return " ".join(detail.summary.toPlainText().split())


def pdf_text(store, content, intake_id):
    intake = store.intake(intake_id, signed_in(store))
    return text_of(summary_pdf(intake, content))


def test_unreviewed_content_is_said_on_the_staff_screen_and_in_the_pdf(
        qtbot, tmp_path, content, stored):
    store, intake_id = stored
    assert not content.procedure("radiofrequency-ablation").clinically_reviewed
    shown = detail_text(qtbot, store, content, tmp_path, intake_id)
    assert NOT_REVIEWED in shown
    assert "checks for Radiofrequency ablation" in shown
    assert shown.index(NOT_REVIEWED) < shown.index("Needs attention (")  # above the flags
    assert NOT_REVIEWED in pdf_text(store, content, intake_id)


def test_reviewed_content_shows_no_notice(qtbot, tmp_path, content, stored):
    store, intake_id = stored
    content = reviewed(content, "radiofrequency-ablation")
    assert NOT_REVIEWED not in detail_text(qtbot, store, content, tmp_path, intake_id)
    assert NOT_REVIEWED not in pdf_text(store, content, intake_id)
    half = reviewed(content, "radiofrequency-ablation", on=None)  # a name without a date
    assert NOT_REVIEWED in pdf_text(store, half, intake_id)


def test_the_day_of_summary_tops_the_intake_on_screen_and_in_the_pdf(
        qtbot, tmp_path, content, stored):
    store, intake_id = stored
    for text in (detail_text(qtbot, store, content, tmp_path, intake_id),
                 pdf_text(store, content, intake_id)):
        assert "Day-of-procedure summary" in text
        assert text.index("Day-of-procedure summary") < text.index("Answers")
        assert "Bleeding risk Needs attention · Intermediate tier: Radiofrequency ablation, " \
               "area: Neck." in text
        assert "Takes: Warfarin (Coumadin, Jantoven). Last dose, as the patient gave it: " \
               "Yesterday." in text
        assert "Implanted device with radiofrequency or stimulation Needs attention · " \
               "Device: Pacemaker." in text
        assert "Infection Nothing reported" in text
