"""Today's appointments from a FHIR R4 Appointment search against a real server on loopback
(tests/fhir_server: Medplum's FHIR router, which runs the search and its _include)."""

from __future__ import annotations

import datetime as dt

from kiosk.delivery.fhir_appointments import AREA_SYSTEM, PROCEDURE_SYSTEM, FhirAppointmentSearch
from kiosk.delivery.fhir_client import FhirClient
from kiosk.delivery.settings import FhirAuth, FhirDestination
from kiosk.intake.appointments import LiveAppointments, Schedule
from tests.helpers.fhir_server import free_port, token_file

MRN = "https://clinic.example/fhir/sid/mrn"
TODAY = dt.date.today()
BORN = dt.date(1961, 4, 12)


def client(base_url: str, tmp_path) -> FhirClient:
    return FhirClient(FhirDestination(base_url, FhirAuth("bearer",
                                                         token_file=token_file(tmp_path)),
                                      timeout=10))


def patient(key: str, mrn: str, family: str, given: str, born: dt.date = BORN) -> dict:
    return {"fullUrl": f"urn:uuid:{key}", "request": {"method": "POST", "url": "Patient"},
            "resource": {"resourceType": "Patient",
                         "identifier": [{"system": MRN, "value": mrn}],
                         "name": [{"use": "official", "family": family, "given": [given]}],
                         "birthDate": born.isoformat()}}


def at(day: dt.date, hour: int, minute: int) -> str:
    return dt.datetime.combine(day, dt.time(hour, minute)).astimezone().isoformat()


def appointment(number: str, who: str, day: dt.date, procedure: str, area: str = "",
                status: str = "booked") -> dict:
    service = [{"coding": [{"system": PROCEDURE_SYSTEM, "code": procedure}]}]
    resource = {"resourceType": "Appointment", "status": status,
                "identifier": [{"system": "https://clinic.example/appointments",
                                "value": number}],
                "serviceType": service,
                "start": at(day, 9, 30), "end": at(day, 10, 0),
                "participant": [{"actor": {"reference": f"urn:uuid:{who}"},
                                 "status": "accepted"}]}
    if area:
        resource["reasonCode"] = [{"coding": [{"system": AREA_SYSTEM, "code": area}]}]
    return {"request": {"method": "POST", "url": "Appointment"}, "resource": resource}


def seed(fhir: FhirClient) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
        patient("7a1c0f8e-0000-4000-8000-000000000001", "MRN-0042", "Núñez-Peña",
                "María José"),
        patient("7a1c0f8e-0000-4000-8000-000000000002", "MRN-0043", "Okafor", "Chidi"),
        appointment("A-3001", "7a1c0f8e-0000-4000-8000-000000000001", TODAY,
                    "medial-branch-block", "neck"),
        appointment("A-3002", "7a1c0f8e-0000-4000-8000-000000000002", TODAY,
                    "facet-joint-injection", status="cancelled"),
        appointment("A-3003", "7a1c0f8e-0000-4000-8000-000000000002", tomorrow,
                    "facet-joint-injection"),
    ]}
    outcome = fhir.post_transaction(bundle)
    assert outcome.kind == "sent", outcome


def test_todays_appointments_come_from_the_servers_search(server, tmp_path):
    fhir = client(server.base_url, tmp_path)
    seed(fhir)
    live = LiveAppointments()
    search = FhirAppointmentSearch(fhir, MRN, live)
    assert search.refresh() == 1  # today's, not cancelled
    schedule = Schedule(MRN, feeds=[live])
    found = schedule.match("Maria", "Nunez", BORN, TODAY)
    assert found is not None
    assert (found.appointment_id, found.patient_id, found.procedure_id, found.area,
            found.time) == ("A-3001", "MRN-0042", "medial-branch-block", "neck", "09:30")
    assert schedule.match("Chidi", "Okafor", BORN, TODAY) is None  # cancelled
    assert schedule.match("Chidi", "Okafor", BORN, TODAY + dt.timedelta(days=1)) is None


def test_a_server_that_does_not_answer_keeps_the_last_list(server, tmp_path):
    fhir = client(server.base_url, tmp_path)
    seed(fhir)
    live = LiveAppointments()
    search = FhirAppointmentSearch(fhir, MRN, live)
    assert search.refresh() == 1
    gone = FhirAppointmentSearch(client(f"http://127.0.0.1:{free_port()}", tmp_path), MRN,
                                 live)
    assert gone.refresh() == 1
    assert gone.last_problem == "the EHR could not be searched: URLError"
    wrong = FhirAppointmentSearch(FhirClient(FhirDestination(server.base_url, FhirAuth(
        "bearer", token_file=token_file(tmp_path, "wrong")), timeout=10)), MRN, live)
    assert wrong.refresh() == 1 and wrong.last_problem == "HTTP 401"
    assert len(live) == 1
