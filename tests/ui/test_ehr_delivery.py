"""A patient's intake on its way to the clinic's EHR, from the tablet's taps to the FHIR
server on loopback, and what staff see of it."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from kiosk.delivery.settings import EhrSettings, FhirAuth, FhirDestination
from kiosk.staff.access import COMMAND_LINE
from kiosk.ui.ehr import start_delivery
from tests.helpers.fhir_server import token_file
from tests.helpers.pdf import pdf_text
from tests.helpers.staff import PIN, StaffUser
from tests.ui.test_patient_journey import BORN, answer_everything

pytestmark = pytest.mark.gui


def connect(window, server, tmp_path, token=None):
    auth = FhirAuth("bearer", token_file=token_file(tmp_path, token or server.token))
    sender = start_delivery(window, EhrSettings(FhirDestination(server.base_url, auth)))
    assert sender is not None
    return sender


def submit_by_taps(patient):
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Epidural steroid injection (from the back)")
    patient.read_explanation()
    answer_everything(patient)
    patient.next()
    patient.sign()
    with patient.qtbot.waitSignal(patient.flow.submitted) as submitted:
        patient.tap(patient.screen.confirm_button)
    return submitted.args[0]


def open_detail(patient, window, intake_id):
    """The patient taps Done on Thank you; Kim signs in and opens the intake."""
    with patient.qtbot.waitSignal(window.patient_reset):
        patient.tap(patient.screen.action)
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    staff = StaffUser(patient.qtbot, window)
    area = staff.sign_in("Kim", PIN)
    area.open_intake(intake_id)
    return staff, area.detail


def test_a_patients_intake_reaches_the_ehr_once_and_staff_see_it_sent(
        patient, window, server, tmp_path, qtbot):
    sender = connect(window, server, tmp_path)
    try:
        intake_id = submit_by_taps(patient)
        qtbot.waitUntil(lambda: server.stats()["stored"]["QuestionnaireResponse"] == 1,
                        timeout=30_000)
        qtbot.waitUntil(lambda: window.store.outbox.delivery(
            intake_id, COMMAND_LINE).state == "sent", timeout=10_000)
    finally:
        sender.stop()
    [document] = server.search("DocumentReference")
    pdf = base64.b64decode(document["content"][0]["attachment"]["data"])
    text = pdf_text(pdf)
    assert "Delgado" in text and "Needs attention" in text  # the summary staff print
    [response] = server.search("QuestionnaireResponse")
    signature = [e for e in response["extension"] if e["url"].endswith("-signature")]
    assert base64.b64decode(signature[0]["valueSignature"]["data"]).startswith(b"\x89PNG")

    _staff, detail = open_detail(patient, window, intake_id)
    assert detail.ehr_status.isVisible()
    assert detail.ehr_status.text().startswith("EHR: sent ")
    assert response["id"] in detail.ehr_status.text()


def test_staff_see_why_the_ehr_refused_and_send_again(patient, window, server, tmp_path,
                                                      qtbot):
    sender = connect(window, server, tmp_path, token="not-the-token")
    try:
        intake_id = submit_by_taps(patient)
        qtbot.waitUntil(lambda: window.store.outbox.delivery(
            intake_id, COMMAND_LINE).state == "failed", timeout=30_000)
    finally:
        sender.stop()
    staff, detail = open_detail(patient, window, intake_id)
    queue = staff.window.staff.queue
    assert queue.ehr_summary.text() == "EHR: 0 waiting, 1 failed"
    assert detail.ehr_status.text() == (
        "EHR: failed — HTTP 401: a valid bearer token is required")
    staff.tap(detail.ehr_button)
    assert detail.result.text() == "Queued for the EHR: the kiosk sends it within a few seconds"
    assert detail.ehr_status.text() == "EHR: waiting to be sent"
    assert window.store.outbox.delivery(intake_id, COMMAND_LINE).state == "waiting"
