"""The intake as a FHIR R4 transaction Bundle: Patient, QuestionnaireResponse, the PDF
summary as a DocumentReference, and a Flag for each staff flag.

Every entry is a conditional create (``ifNoneExist`` on the resource's identifier, each
derived from the intake's uid), so the same Bundle can be POSTed any number of times — a
retry after a lost acknowledgement, staff's *Resend* — and the server files it once. The
patient's entry is keyed on the clinic's identifier when check-in matched an appointment
(the EHR's own Patient is found, not copied), otherwise on an identifier the kiosk made for
this intake. The staff's *Export FHIR Bundle* writes the same Bundle to a file.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from kiosk.export.fhir_record import (
    KIOSK_FHIR,
    URI,
    authored,
    derived_uuid,
    fileable_response,
    patient_identifier,
    patient_reference,
    patient_resource,
    response_identifier,
)
from kiosk.intake.flags import Flag
from kiosk.storage import IntakeDetail

FLAG_SYSTEM = f"{KIOSK_FHIR}/CodeSystem/flag-rule"
FLAG_PRIORITY_URL = "http://hl7.org/fhir/StructureDefinition/flag-priority"
FLAG_PRIORITY_SYSTEM = "http://hl7.org/fhir/flag-priority-code"
_PRIORITY = {"high": ("PH", "High priority"), "medium": ("PM", "Medium priority"),
             "low": ("PL", "Low priority")}
LOINC = "http://loinc.org"
SUMMARY_TYPE = {"system": LOINC, "code": "74465-6",
                "display": "Questionnaire response Document"}


def intake_bundle(intake: IntakeDetail, summary_pdf: bytes | None) -> dict[str, Any]:
    """A transaction Bundle for ``intake``; without ``summary_pdf`` no DocumentReference."""
    # fullUrls of their own, never an identifier's value: a server replaces every
    # occurrence of a fullUrl in the Bundle with the reference it gives the resource
    patient_url = _full_url(intake, "patient")
    response_url = _full_url(intake, "response")
    patient = patient_resource(intake)
    entries = [_entry(patient_url, patient, _identifier_query(patient_identifier(intake)))]
    response = fileable_response(intake, patient_ref=patient_url)
    response.pop("id", None)  # the server gives ids; the identifier says which intake
    entries.append(_entry(response_url, response,
                          _identifier_query(response_identifier(intake))))
    if summary_pdf:
        document = summary_document(intake, summary_pdf, patient_url, response_url)
        entries.append(_entry(_full_url(intake, "summary"), document,
                              _identifier_query(document["identifier"][0])))
    for position, flag in enumerate(intake.flags):
        resource = flag_resource(intake, flag, position, patient_url)
        entries.append(_entry(_full_url(intake, f"flag/{position}"), resource,
                              _identifier_query(resource["identifier"][0])))
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def summary_document(intake: IntakeDetail, pdf: bytes, patient_url: str,
                     response_url: str) -> dict[str, Any]:
    identifier = {"system": URI, "value": f"urn:uuid:{derived_uuid(intake.uid, 'summary')}"}
    when = authored(intake)
    return {
        "resourceType": "DocumentReference",
        "masterIdentifier": dict(identifier),
        "identifier": [identifier],
        "status": "current",
        "docStatus": "final",
        "type": {"coding": [dict(SUMMARY_TYPE)], "text": "Pre-procedure intake summary"},
        "subject": patient_reference(intake, patient_url),
        "date": when,
        "author": [patient_reference(intake, patient_url)],
        "description": "Intake summary (flags, answers, understanding checks, signature)",
        "content": [{"attachment": {
            "contentType": "application/pdf",
            "language": "en",
            "data": base64.b64encode(pdf).decode("ascii"),
            "size": len(pdf),
            "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),
            "title": f"Intake summary {intake.uid}",
            "creation": when,
        }}],
        "context": {"related": [{"reference": response_url}]},
    }


def flag_resource(intake: IntakeDetail, flag: Flag, position: int,
                  patient_url: str) -> dict[str, Any]:
    """A staff flag as FHIR ``Flag``: the rule as the code, its words as the text, its
    severity as the standard flag-priority extension."""
    code, display = _PRIORITY.get(flag.severity, ("PN", "No alarm"))
    return {
        "resourceType": "Flag",
        "extension": [{"url": FLAG_PRIORITY_URL, "valueCodeableConcept": {
            "coding": [{"system": FLAG_PRIORITY_SYSTEM, "code": code, "display": display}]}}],
        "identifier": [{"system": URI,
                        "value": f"urn:uuid:{derived_uuid(intake.uid, f'flag/{position}')}"}],
        "status": "active",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/flag-category",
            "code": "clinical", "display": "Clinical"}]}],
        "code": {"coding": [{"system": FLAG_SYSTEM, "code": flag.rule_id,
                             "display": flag.label}],
                 "text": f"{flag.label}: {flag.text}"},
        "subject": patient_reference(intake, patient_url),
        "period": {"start": authored(intake)},
    }


def _full_url(intake: IntakeDetail, what: str) -> str:
    return f"urn:uuid:{derived_uuid(intake.uid, f'bundle-entry/{what}')}"


def _identifier_query(identifier: dict[str, str]) -> str:
    return f"identifier={identifier['system']}|{identifier['value']}"


def _entry(full_url: str, resource: dict[str, Any], if_none_exist: str) -> dict[str, Any]:
    return {"fullUrl": full_url, "resource": resource,
            "request": {"method": "POST", "url": resource["resourceType"],
                        "ifNoneExist": if_none_exist}}
