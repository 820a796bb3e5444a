"""A submitted intake as an HL7 v2.5 message: MDM^T02 (a new document) or ORU^R01 (a result),
each with the PDF summary embedded, for EHRs that take HL7 v2 rather than FHIR.

Both carry:

- ``MSH-10`` message control id: 20 characters derived from the intake's uid, the same in
  every attempt and every resend — the receiver's duplicate check keys on it;
- ``PID``: the clinic's patient id (``PID-3``, type ``MR``, the clinic's assigning authority)
  when check-in matched today's list, else an id the kiosk made for this intake (type
  ``PI``, assigning authority ``INTAKE-KIOSK``) for the clinic to merge; name, birth date;
- the PDF summary as one ``OBX`` of type ``ED`` (``^AP^PDF^Base64^…``, LOINC 74465-6
  *Questionnaire form*), then one ``OBX`` (``ST``) per staff flag: the rule id as its code
  (``INTAKE-KIOSK-FLAG``), its words and severity as the value.

MDM^T02 adds ``EVN`` and ``TXA`` (document type ``IN``-take, ``TXA-12`` the intake's uid,
status ``DO`` documented); ORU^R01 adds ``OBR`` (placer order = the appointment id when
matched, filler order = the intake's uid, status ``F``). Text is escaped as HL7 requires
(``\\F\\ \\S\\ \\T\\ \\R\\ \\E\\``); segments end with a carriage return; UTF-8 (``MSH-18``).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from kiosk.export.fhir_record import authored, derived_uuid
from kiosk.storage import IntakeDetail

VERSION = "2.5"
KIOSK_AUTHORITY = "INTAKE-KIOSK"
QUESTIONNAIRE_FORM = "74465-6^Questionnaire form^LN"
FLAG_SYSTEM = "INTAKE-KIOSK-FLAG"  # the rule ids, as in the FHIR Flag's code system
_ESCAPES = str.maketrans({"\\": "\\E\\", "|": "\\F\\", "^": "\\S\\", "&": "\\T\\",
                          "~": "\\R\\", "\r": " ", "\n": " "})


@dataclass(frozen=True)
class Hl7Header:
    """Who sends to whom (MSH-3..6) and the clinic's assigning authority for PID-3."""

    sending_application: str = KIOSK_AUTHORITY
    sending_facility: str = ""
    receiving_application: str = ""
    receiving_facility: str = ""
    assigning_authority: str = ""


def escape(text: str) -> str:
    """Text as an HL7 field value: its delimiters escaped, line breaks made spaces."""
    return text.translate(_ESCAPES)


def control_id(intake: IntakeDetail) -> str:
    """The message control id (MSH-10, at most 20 characters in v2.5): stable per intake."""
    return derived_uuid(intake.uid, "hl7-message").replace("-", "")[:20].upper()


def hl7_time(moment: dt.datetime) -> str:
    """An HL7 TS: ``YYYYMMDDHHMMSS`` and the UTC offset when known."""
    text = moment.strftime("%Y%m%d%H%M%S")
    return text + moment.strftime("%z") if moment.tzinfo is not None else text


def intake_message(intake: IntakeDetail, pdf: bytes, kind: str, header: Hl7Header,
                   now: dt.datetime) -> str:
    """The whole message (``kind`` MDM^T02 or ORU^R01) as ER7 text, segments ending in CR."""
    if kind not in ("MDM^T02", "ORU^R01"):
        raise ValueError(f"unknown HL7 message kind {kind!r}")
    at = hl7_time(now)
    written = _authored_time(intake)
    structure = kind.replace("^", "_")
    segments = [
        "|".join(["MSH", "^~\\&", escape(header.sending_application),
                  escape(header.sending_facility), escape(header.receiving_application),
                  escape(header.receiving_facility), at, "", f"{kind}^{structure}",
                  control_id(intake), "P", VERSION, "", "", "", "", "", "UNICODE UTF-8"]),
    ]
    if kind == "MDM^T02":
        segments.append(f"EVN|T02|{at}")
    segments += [_pid(intake, header), "PV1|1|O"]
    if kind == "MDM^T02":
        segments.append("|".join(["TXA", "1", "IN", "AP", written, "", "", "", "", "", "",
                                  "", f"{escape(intake.uid)}^{KIOSK_AUTHORITY}", "", "", "",
                                  "", "DO"]))
    else:
        placer = escape(intake.appointment_id) if intake.patient_identifier else ""
        segments.append("|".join(["OBR", "1", placer,
                                  f"{escape(intake.uid)}^{KIOSK_AUTHORITY}",
                                  QUESTIONNAIRE_FORM, "", "", written, "", "", "", "", "",
                                  "", "", "", "", "", "", "", "", "", written, "", "", "F"]))
    segments.append(_obx(1, "ED", QUESTIONNAIRE_FORM,
                         "^AP^PDF^Base64^" + base64.b64encode(pdf).decode("ascii"), written))
    for position, flag in enumerate(intake.flags, start=2):
        words = f"{flag.label}: {flag.text} ({flag.severity})"
        segments.append(_obx(position, "ST", f"{escape(flag.rule_id)}^{escape(flag.label)}"
                             f"^{FLAG_SYSTEM}", escape(words), written))
    return "\r".join(segments) + "\r"


def _pid(intake: IntakeDetail, header: Hl7Header) -> str:
    row = intake.row
    if intake.patient_identifier is not None:
        authority = header.assigning_authority or escape(intake.patient_identifier.system)
        identifier = f"{escape(intake.patient_identifier.value)}^^^{authority}^MR"
    else:
        identifier = f"{derived_uuid(intake.uid, 'patient')}^^^{KIOSK_AUTHORITY}^PI"
    name = f"{escape(row.last_name)}^{escape(row.first_name)}"
    return "|".join(["PID", "1", "", identifier, "", name, "",
                     row.birth_date.strftime("%Y%m%d")])


def _obx(position: int, value_type: str, code: str, value: str, at: str) -> str:
    return "|".join(["OBX", str(position), value_type, code, "", value, "", "", "", "", "",
                     "F", "", "", at])


def _authored_time(intake: IntakeDetail) -> str:
    try:
        return hl7_time(dt.datetime.fromisoformat(authored(intake)))
    except ValueError:
        return hl7_time(intake.row.submitted_at)
