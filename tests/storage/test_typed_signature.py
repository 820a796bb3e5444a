"""A signature given without drawing (issue 15): the typed full name and "I agree — this is
my signature", refused until both are there, stored as such, and shown as such."""

import datetime as dt

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.export.fhir_record import signature_extension
from kiosk.export.summary import summary_html
from kiosk.intake.records import Step, StepKind, TypedSignature
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
from tests.helpers.staff import signed_in


@pytest.fixture
def store(database):
    opened = Store(**database)
    yield opened
    opened.close()


def typed_session(content, language="en"):
    session = IntakeSession(content, language)
    fill_demo_session(session)
    session.confirm(True)
    session.set_signature_mode("typed")
    session.current = Step(StepKind.CONFIRM)
    return session


def test_a_typed_signature_needs_the_name_and_the_agreement(content):
    session = typed_session(content)
    assert {p.field for p in session.problems()} == {"typed_name", "typed_agree"}
    session.sign_typed("  Maria   Santos ", False)
    assert [p.key for p in session.problems()] == ["error_typed_agree"]
    session.sign_typed("", True)
    assert [p.key for p in session.problems()] == ["error_typed_name"]
    session.sign_typed("Maria Santos", True)
    assert session.problems() == []
    submitted = session.build_submission()
    assert submitted.typed_signature == TypedSignature(
        "Maria Santos", "I agree — this is my signature")
    assert submitted.signature_png is None  # the drawing it replaced is not kept


def test_back_to_drawing_needs_a_drawing_again(content):
    session = typed_session(content)
    session.sign_typed("Maria Santos", True)
    session.sign(None)
    session.set_signature_mode("drawn")
    assert [p.key for p in session.problems()] == ["error_signature"]


def test_the_statement_is_kept_in_the_words_the_patient_agreed_to(content):
    session = typed_session(content, "es")
    session.sign_typed("María Santos", True)
    assert session.build_submission().typed_signature.statement == "Acepto — esta es mi firma"


def test_a_typed_signature_is_stored_and_shown_to_staff_as_typed(store, content):
    session = typed_session(content)
    session.sign_typed("Maria Santos", True)
    intake_id = store.submit(session.build_submission())
    detail = store.intake(intake_id, signed_in(store))
    assert detail.typed_signature == TypedSignature(
        "Maria Santos", "I agree — this is my signature")
    assert detail.signature_png is None
    assert store.models.Intake.get_by_id(intake_id).signature_kind == "typed"
    html = summary_html(detail, content)
    assert "Signed by typing the full name" in html and "Maria Santos" in html
    assert "<img" not in html
    extension = signature_extension(detail, {"reference": "#patient"})
    assert extension["valueSignature"]["sigFormat"] == "text/plain"


def test_a_drawn_signature_is_stored_as_drawn(store, content):
    session = IntakeSession(content, now=lambda: dt.datetime.now().astimezone())
    fill_demo_session(session)
    session.confirm(True)
    intake_id = store.submit(session.build_submission())
    detail = store.intake(intake_id, signed_in(store))
    assert detail.typed_signature is None and detail.signature_png
    assert store.models.Intake.get_by_id(intake_id).signature_kind == "drawn"
    assert "Signed by typing" not in summary_html(detail, content)
