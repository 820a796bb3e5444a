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
