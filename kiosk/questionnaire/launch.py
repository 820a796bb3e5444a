"""SDC launch context: what a form's expressions may read about the patient.

The kiosk knows what the patient gave at check-in — name and birth date — and builds
``%patient`` as a FHIR Patient from it (gender only when the caller knows it). Expressions
also get ``%questionnaire`` and FHIRPath's ``today()``/``now()``. Anything else a form asks of
a launch context (``%user``, ``%encounter``, FHIR queries) the kiosk does not have: those
expressions give no value and the load report names them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

#: the Patient elements check-in can fill; an expression reading another gets nothing
PATIENT_ELEMENTS = frozenset({"resourceType", "name", "birthDate"})


@dataclass(frozen=True)
class LaunchContext:
    """The launch context variables (``%patient``), as FHIRPath environment entries."""

    patient: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def variables(self) -> dict[str, Any]:
        found = dict(self.extra)
        if self.patient is not None:
            found["patient"] = self.patient
        return found


def patient_resource(first_name: str, last_name: str, birth_date: dt.date | None,
                     gender: str | None = None) -> dict[str, Any]:
    """A FHIR R4 Patient with what check-in gave (never an identifier: none is needed)."""
    patient: dict[str, Any] = {"resourceType": "Patient"}
    name: dict[str, Any] = {}
    if last_name:
        name["family"] = last_name
    if first_name:
        name["given"] = first_name.split()
    if name:
        name["text"] = f"{first_name} {last_name}".strip()
        patient["name"] = [name]
    if birth_date is not None:
        patient["birthDate"] = birth_date.isoformat()
    if gender:
        patient["gender"] = gender
    return patient
