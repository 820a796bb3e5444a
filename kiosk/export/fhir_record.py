"""A fileable FHIR R4 QuestionnaireResponse: whose it is, who wrote it, signed, checked.

The stored response holds the answers; an EHR needs more to file it. :func:`fileable_response`
adds, from the stored intake:

- ``identifier``: the intake's uid as ``urn:uuid:…`` (system ``urn:ietf:rfc:3986``), the same
  in every export and every delivery attempt — an EHR's conditional create keys on it;
- ``subject``, ``author`` and ``source``: the patient. Matched to an appointment: a reference
  by the clinic's identifier (and the name as ``display``). Not matched: a contained
  ``Patient`` (name, birth date, language) referenced as ``#patient``;
- ``authored`` (when the patient confirmed), ``language`` (``en``: the texts in the response
  are English, for staff; the patient's own language is in the kiosk's ``intake-language``
  extension and in the Patient's ``communication``);
- the drawn signature as FHIR ``Signature`` in the standard
  ``questionnaireresponse-signature`` extension (type *Author's Signature*, PNG); a
  typed signature there too, as ``text/plain``: the typed full name, then the statement
  the patient agreed to ("I agree — this is my signature");
- the understanding checks, one kiosk ``understanding-check`` extension each (see
  :data:`UNDERSTANDING_URL`): the check's id, its question, the patient's first answer and
  whether it was the expected one. Extensions, not items: they are not questions of the
  Questionnaire, and items a Questionnaire lacks make a response invalid against it.

Every identifier is derived from the intake's uid, so exporting or sending twice gives the
same resources (:func:`derived_uuid`).
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import uuid
from typing import Any

from kiosk.storage import IntakeDetail

URI = "urn:ietf:rfc:3986"
KIOSK_FHIR = "https://intake-kiosk.example/fhir"
SIGNATURE_URL = "http://hl7.org/fhir/StructureDefinition/questionnaireresponse-signature"
UNDERSTANDING_URL = f"{KIOSK_FHIR}/StructureDefinition/understanding-check"
LANGUAGE_URL = f"{KIOSK_FHIR}/StructureDefinition/intake-language"
AUTHOR_SIGNATURE = {"system": "urn:iso-astm:E1762-95:2013",
                    "code": "1.2.840.10065.1.12.1.1", "display": "Author's Signature"}
BCP47 = "urn:ietf:bcp:47"
CONTAINED_PATIENT = "#patient"


def derived_uuid(uid: str, what: str) -> str:
    """A stable UUID for one resource of an intake (``what``: "patient", "summary", …)."""
    return str(uuid.uuid5(uuid.UUID(uid) if _is_uuid(uid) else uuid.NAMESPACE_URL,
                          f"{uid}/{what}"))


def response_identifier(intake: IntakeDetail) -> dict[str, str]:
    return {"system": URI, "value": f"urn:uuid:{intake.uid}"}


def patient_identifier(intake: IntakeDetail) -> dict[str, str]:
    """The clinic's identifier when matched; else one the kiosk made for this intake
    (``use: temp``: the EHR should merge it with the patient's record)."""
    if intake.patient_identifier is not None:
        return {"use": "official", "system": intake.patient_identifier.system,
                "value": intake.patient_identifier.value}
    return {"use": "temp", "system": URI,
            "value": f"urn:uuid:{derived_uuid(intake.uid, 'patient')}"}


def patient_resource(intake: IntakeDetail) -> dict[str, Any]:
    """The patient as the kiosk knows them: identifier, name, birth date, language."""
    row = intake.row
    name: dict[str, Any] = {"use": "official"}
    if row.last_name:
        name["family"] = row.last_name
    if row.first_name:
        name["given"] = [row.first_name]
    return {
        "resourceType": "Patient",
        "identifier": [patient_identifier(intake)],
        "name": [name],
        "birthDate": row.birth_date.isoformat(),
        "communication": [{"language": {"coding": [{"system": BCP47,
                                                    "code": intake.language}]},
                           "preferred": True}],
    }


def patient_reference(intake: IntakeDetail, reference: str | None = None) -> dict[str, Any]:
    """How the response points at its patient: ``reference`` (a Bundle's ``urn:uuid``), or
    by the clinic's identifier when matched, or the contained Patient."""
    display = f"{intake.row.first_name} {intake.row.last_name}".strip()
    if reference is not None:
        found: dict[str, Any] = {"reference": reference}
    elif intake.patient_identifier is not None:
        found = {"type": "Patient", "identifier": {
            "system": intake.patient_identifier.system,
            "value": intake.patient_identifier.value}}
    else:
        found = {"reference": CONTAINED_PATIENT}
    if display:
        found["display"] = display
    return found


def authored(intake: IntakeDetail) -> str:
    stored = intake.response.get("authored")
    if isinstance(stored, str) and stored:
        return stored
    return intake.row.submitted_at.astimezone().isoformat(timespec="seconds")


def signature_extension(intake: IntakeDetail, who: dict[str, Any]) -> dict[str, Any] | None:
    """The drawn signature (PNG), or a typed one: the full name and the statement agreed
    to, as plain text (two lines)."""
    typed = intake.typed_signature
    if typed is not None:
        data, form = f"{typed.name}\n{typed.statement}".encode(), "text/plain"
    elif intake.signature_png:
        data, form = intake.signature_png, "image/png"
    else:
        return None
    return {"url": SIGNATURE_URL, "valueSignature": {
        "type": [dict(AUTHOR_SIGNATURE)],
        "when": _instant(authored(intake)),
        "who": copy.deepcopy(who),
        "sigFormat": form,
        "data": base64.b64encode(data).decode("ascii"),
    }}


def understanding_extensions(intake: IntakeDetail) -> list[dict[str, Any]]:
    return [{"url": UNDERSTANDING_URL, "extension": [
        {"url": "check", "valueCode": result.check_id},
        {"url": "question", "valueString": result.question},
        {"url": "answer", "valueString": result.answer},
        {"url": "correct", "valueBoolean": result.correct},
    ]} for result in intake.understanding]


def fileable_response(intake: IntakeDetail, patient_ref: str | None = None) -> dict[str, Any]:
    """The intake's QuestionnaireResponse, complete enough for an EHR to file.

    ``patient_ref``: the patient's ``fullUrl`` in a Bundle (then no Patient is contained).
    """
    stored = intake.response
    who = patient_reference(intake, patient_ref)
    response: dict[str, Any] = {"resourceType": "QuestionnaireResponse",
                                "id": str(stored.get("id") or intake.uid), "language": "en"}
    if patient_ref is None and intake.patient_identifier is None:
        patient = patient_resource(intake)
        patient["id"] = CONTAINED_PATIENT[1:]
        response["contained"] = [patient]
    extensions = [{"url": LANGUAGE_URL, "valueCode": intake.language}]
    signature = signature_extension(intake, who)
    if signature is not None:
        extensions.append(signature)
    extensions += understanding_extensions(intake)
    response["extension"] = extensions
    response["identifier"] = response_identifier(intake)
    questionnaire = stored.get("questionnaire") or (
        f"{intake.questionnaire_url}|{intake.questionnaire_version}"
        if intake.questionnaire_url else None)
    if questionnaire:
        response["questionnaire"] = questionnaire
    response["status"] = stored.get("status", "completed")
    response["subject"] = who
    response["authored"] = authored(intake)
    response["author"] = copy.deepcopy(who)
    response["source"] = copy.deepcopy(who)
    if stored.get("item"):
        response["item"] = copy.deepcopy(stored["item"])
    return response


def _instant(text: str) -> str:
    """FHIR ``instant`` needs seconds and a zone; the stored authored time has both."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
