"""The exported FHIR: a QuestionnaireResponse an EHR can file, and the transaction Bundle.

Every resource is validated twice: by fhir.resources' R4B models and by HL7's R4 JSON schema
plus FHIR's StructureDefinitions (tests/fhir_server/validate.mjs).
"""

import base64
import datetime as dt

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.export.fhir_bundle import intake_bundle
from kiosk.export.fhir_record import SIGNATURE_URL, UNDERSTANDING_URL, fileable_response
from kiosk.intake.records import PatientIdentifier
from kiosk.intake.session import IntakeSession
from kiosk.questionnaire import Coding
from kiosk.storage import Store
from tests.helpers.fhir import assert_valid, r4b
from tests.helpers.staff import signed_in

CLINIC_MRN = "https://clinic.example/fhir/sid/mrn"
PDF = b"%PDF-1.4\n% a stand-in summary\n%%EOF\n"


def code(session: IntakeSession, link_id: str, wanted: str) -> Coding:
    option = session.content.questionnaire.item(link_id).option_for_code(wanted)
    assert option is not None and isinstance(option.value, Coding)
    return option.value


def submitted(tmp_path, content, identifier=None, language="en"):
    store = Store(tmp_path / "kiosk.db")
    session = IntakeSession(content, language=language)
    fill_demo_session(session, first="María José", last="Núñez-Peña")
    session.answer("blood-thinners", [code(session, "blood-thinners", "apixaban"),
                                      code(session, "blood-thinners", "other")])
    session.answer("blood-thinners-other", ["Brand X"])
    session.confirm(True)
    submission = session.build_submission()
    if identifier is not None:
        import dataclasses
        submission = dataclasses.replace(submission, patient_identifier=identifier,
                                         appointment_id="appt-1")
    intake_id = store.submit(submission)
    detail = store.intake(intake_id, signed_in(store))
    store.close()
    return detail


def answers_of(response, link_id):
    def walk(items):
        for node in items:
            if node["linkId"] == link_id:
                yield node
            for answer in node.get("answer", []):
                yield from walk(answer.get("item", []))
            yield from walk(node.get("item", []))
    return list(walk(response.get("item", [])))


def test_a_follow_up_goes_under_the_answer_that_opened_it(tmp_path, content):
    detail = submitted(tmp_path, content)
    [thinners] = answers_of(detail.response, "blood-thinners")
    codes = [a["valueCoding"]["code"] for a in thinners["answer"]]
    assert codes == ["apixaban", "other"]
    apixaban, other = thinners["answer"]
    assert [i["linkId"] for i in other.get("item", [])] == ["blood-thinners-other"]
    assert other["item"][0]["answer"] == [{"valueString": "Brand X"}]
    # the follow-up no single answer opens (supplements) stays with the first answer
    assert "blood-thinners-other" not in [i["linkId"] for i in apixaban.get("item", [])]


def test_the_unmatched_record_names_its_patient_signature_and_checks(tmp_path, content):
    detail = submitted(tmp_path, content, language="es")
    response = fileable_response(detail)
    parsed = r4b(response)
    assert parsed.identifier.value == f"urn:uuid:{detail.uid}"
    assert parsed.identifier.system == "urn:ietf:rfc:3986"
    [patient] = response["contained"]
    assert patient["name"][0] == {"use": "official", "family": "Núñez-Peña",
                                  "given": ["María José"]}
    assert patient["birthDate"] == "1961-04-12"
    assert patient["communication"][0]["language"]["coding"][0]["code"] == "es"
    for field in ("subject", "author", "source"):
        assert response[field]["reference"] == "#patient"
    assert dt.datetime.fromisoformat(response["authored"]).tzinfo is not None
    assert response["language"] == "en"  # the texts it carries are English
    [signature] = [e["valueSignature"] for e in response["extension"]
                   if e["url"] == SIGNATURE_URL]
    assert base64.b64decode(signature["data"]) == detail.signature_png
    assert signature["sigFormat"] == "image/png"
    assert signature["who"]["reference"] == "#patient"
    assert signature["type"][0]["code"] == "1.2.840.10065.1.12.1.1"
    checks = [{x["url"]: next(v for k, v in x.items() if k.startswith("value"))
               for x in e["extension"]}
              for e in response["extension"] if e["url"] == UNDERSTANDING_URL]
    assert [c["check"] for c in checks] == [r.check_id for r in detail.understanding]
    # the demo patient answers the second check "I am not sure", every other one right
    assert len(checks) >= 3
    assert [c["correct"] for c in checks] == [number != 1 for number in range(len(checks))]
    assert checks[1]["answer"] == "I am not sure"
    assert_valid([response], tmp_path)


def test_a_matched_record_points_at_the_clinic_patient_by_identifier(tmp_path, content):
    detail = submitted(tmp_path, content, PatientIdentifier(CLINIC_MRN, "MRN-0042"))
    response = fileable_response(detail)
    assert "contained" not in response
    assert response["subject"]["identifier"] == {"system": CLINIC_MRN, "value": "MRN-0042"}
    assert response["subject"]["type"] == "Patient"
    assert response["author"] == response["subject"] == response["source"]
    assert_valid([response], tmp_path)


@pytest.mark.parametrize("matched", [False, True])
def test_the_bundle_holds_patient_response_summary_and_flags(tmp_path, content, matched):
    identifier = PatientIdentifier(CLINIC_MRN, "MRN-0042") if matched else None
    detail = submitted(tmp_path, content, identifier)
    bundle = intake_bundle(detail, PDF)
    assert bundle["type"] == "transaction"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds[:3] == ["Patient", "QuestionnaireResponse", "DocumentReference"]
    assert kinds[3:] == ["Flag"] * len(detail.flags) and detail.flags
    patient_url = bundle["entry"][0]["fullUrl"]
    patient = bundle["entry"][0]["resource"]
    if matched:
        assert patient["identifier"][0]["value"] == "MRN-0042"
    response = bundle["entry"][1]["resource"]
    assert response["subject"]["reference"] == patient_url and "contained" not in response
    document = bundle["entry"][2]["resource"]
    assert base64.b64decode(document["content"][0]["attachment"]["data"]) == PDF
    assert document["context"]["related"][0]["reference"] == bundle["entry"][1]["fullUrl"]
    flags = [e["resource"] for e in bundle["entry"][3:]]
    assert [f["code"]["coding"][0]["code"] for f in flags] == [f.rule_id for f in detail.flags]
    assert all(f["subject"]["reference"] == patient_url for f in flags)
    # every entry is a conditional create on an identifier that never changes
    for entry in bundle["entry"]:
        assert entry["request"]["method"] == "POST"
        assert entry["request"]["ifNoneExist"].startswith("identifier=")
    assert intake_bundle(detail, PDF) == bundle
    assert_valid([bundle], tmp_path)
