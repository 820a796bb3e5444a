"""The clinic's EHR settings file: what it may say, and clear refusals of what it may not."""

import json
from pathlib import Path

import pytest

from kiosk.delivery.settings import SettingsError, load_settings


def written(tmp_path, data) -> Path:
    path = tmp_path / "ehr.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_a_full_settings_file(tmp_path):
    settings = load_settings(written(tmp_path, {
        "fhir": {"base_url": "https://ehr.clinic.example/fhir/",
                 "auth": {"type": "smart-backend", "token_url": "https://ehr/token",
                          "client_id": "kiosk-1", "private_key_file": "/etc/k.pem",
                          "kid": "k1"}},
        "patient_identifier_system": "https://clinic.example/fhir/sid/mrn",
        "appointments": {"csv_folder": "/var/lib/intake-kiosk/appointments"}}))
    assert settings.fhir.base_url == "https://ehr.clinic.example/fhir"
    assert settings.fhir.auth.type == "smart-backend" and settings.fhir.auth.kid == "k1"
    assert settings.appointments_folder == Path("/var/lib/intake-kiosk/appointments")


@pytest.mark.parametrize(("data", "where", "problem"), [
    ("{not json", "file", "is not JSON"),
    ({"fhir": {"base_url": "http://ehr.clinic.example/fhir"}}, "fhir.base_url",
     "https only"),
    ({"fhir": {"base_url": "ftp://x"}}, "fhir.base_url", "http(s) URL"),
    ({"fhir": {"base_url": "https://x", "auth": {"type": "basic"}}}, "fhir.auth.type",
     "none, bearer or smart-backend"),
    ({"fhir": {"base_url": "https://x", "auth": {"type": "smart-backend"}}},
     "fhir.auth.token_url", "required"),
    ({"appointments": {"csv_folder": "/x"}}, "patient_identifier_system", "required"),
    ({"fhir_url": "https://x"}, "top level", "unknown settings"),
])
def test_what_cannot_be_used_is_refused_with_where_and_why(tmp_path, data, where, problem):
    with pytest.raises(SettingsError) as refused:
        load_settings(written(tmp_path, data))
    assert refused.value.where == where and problem in refused.value.problem


def test_hl7_delivery_and_the_appointment_feeds(tmp_path):
    settings = load_settings(written(tmp_path, {
        "hl7": {"host": "hl7.clinic.example", "port": 2575, "message": "ORU^R01",
                "ca_file": "/etc/intake-kiosk/clinic-ca.pem", "sending_facility": "PAIN",
                "receiving_application": "EHR", "assigning_authority": "PAINCLINIC"},
        "patient_identifier_system": "https://clinic.example/fhir/sid/mrn",
        "appointments": {"hl7_listen": {"port": 2576}}}))
    hl7 = settings.hl7
    assert (hl7.host, hl7.port, hl7.message, hl7.tls) == ("hl7.clinic.example", 2575,
                                                          "ORU^R01", True)
    assert hl7.ca_file == Path("/etc/intake-kiosk/clinic-ca.pem")
    assert settings.appointments_hl7.host == "127.0.0.1"
    assert settings.appointments_hl7.port == 2576
    assert settings.fhir is None and settings.appointments_folder is None
    plain = load_settings(written(tmp_path, {"hl7": {"host": "127.0.0.1", "port": 2575}}))
    assert plain.hl7.tls is False and plain.hl7.message == "MDM^T02"  # loopback: no TLS
    both = load_settings(written(tmp_path, {  # delivered over HL7, appointments searched
        "hl7": {"host": "127.0.0.1", "port": 2575}, "fhir": {"base_url": "https://x"},
        "patient_identifier_system": "urn:x", "appointments": {"fhir_search": True}}))
    assert both.hl7 is not None and both.appointments_fhir_search


@pytest.mark.parametrize(("data", "where", "problem"), [
    ({"hl7": {"host": "x", "port": 70000}}, "hl7.port", "port number"),
    ({"hl7": {"host": "x", "port": 2575, "message": "ADT^A08"}}, "hl7.message",
     "MDM^T02 or ORU^R01"),
    ({"hl7": {"host": "x", "port": 2575, "sending_facility": "A^B"}},
     "hl7.sending_facility", "without HL7 delimiters"),
    ({"appointments": {"fhir_search": True}, "patient_identifier_system": "urn:x"},
     "appointments.fhir_search", "needs the fhir settings"),
    ({"appointments": {"hl7_listen": {"port": "2575"}}, "patient_identifier_system": "urn:x"},
     "appointments.hl7_listen.port", "port number"),
    ({"appointments": {"sftp": "x"}, "patient_identifier_system": "urn:x"}, "appointments",
     "expected"),
])
def test_hl7_and_feed_settings_that_cannot_be_used(tmp_path, data, where, problem):
    with pytest.raises(SettingsError) as refused:
        load_settings(written(tmp_path, data))
    assert refused.value.where == where and problem in refused.value.problem
