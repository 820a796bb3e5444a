"""Today's appointments from the clinic's FHIR R4 server: an ``Appointment`` search, repeated
in the background, kept in a :class:`~kiosk.intake.appointments.LiveAppointments`.

``GET [base]/Appointment?date=YYYY-MM-DD&_include=Appointment:patient&_count=200`` (with the
kiosk's credentials, following ``next`` links; the Patients a server did not include are
then asked for by ``_id``). Each Appointment not cancelled, no-show or
entered in error, with a Patient participant included, becomes one appointment:

- id: the Appointment's first identifier's value, else its id;
- start: ``start`` (in the kiosk's time zone);
- patient: the included Patient's identifier in ``patient_identifier_system``, ``name``
  (``official`` or first: family, first given), ``birthDate``;
- procedure: a coding of ``serviceType`` with system :data:`PROCEDURE_SYSTEM` (code: the
  kiosk's procedure id), area: a coding of ``serviceType``, ``appointmentType`` or
  ``reasonCode`` with system :data:`AREA_SYSTEM` (code ``neck``, ``low-back``, …).

Appointments the kiosk cannot use are skipped and counted in the log. The search runs on its
own thread (every ``fhir_search_minutes``); check-in only reads what the last answer held,
so a slow or absent server never holds up a patient. A failed search keeps the last list.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from kiosk.delivery.fhir_client import FhirClient
from kiosk.intake.appointments import Appointment, LiveAppointments

log = logging.getLogger(__name__)

PROCEDURE_SYSTEM = "https://intake-kiosk.example/fhir/CodeSystem/procedure"
AREA_SYSTEM = "https://intake-kiosk.example/fhir/CodeSystem/procedure-area"
NOT_COMING = {"cancelled", "noshow", "entered-in-error"}
MOST_PAGES = 50


class SearchFailed(OSError):
    """The search did not answer (the words are the status or the network's, no data)."""


def appointments_in(bundles: list[dict[str, Any]], identifier_system: str
                    ) -> tuple[list[Appointment], int]:
    """The usable appointments of a search's pages, and how many were skipped."""
    patients: dict[str, dict[str, Any]] = {}
    found: list[dict[str, Any]] = []
    for bundle in bundles:
        for entry in bundle.get("entry") or []:
            resource = entry.get("resource") or {}
            if resource.get("resourceType") == "Patient":
                patients[f"Patient/{resource.get('id')}"] = resource
            elif resource.get("resourceType") == "Appointment":
                found.append(resource)
    usable: list[Appointment] = []
    skipped = 0
    for resource in found:
        if resource.get("status") in NOT_COMING:
            continue
        appointment = _appointment(resource, patients, identifier_system)
        if appointment is None:
            skipped += 1
        else:
            usable.append(appointment)
    return usable, skipped


def _appointment(resource: dict[str, Any], patients: dict[str, dict[str, Any]],
                 identifier_system: str) -> Appointment | None:
    try:
        start = dt.datetime.fromisoformat(str(resource.get("start", "")))
    except ValueError:
        return None
    if start.tzinfo is not None:
        start = start.astimezone().replace(tzinfo=None)
    patient = next((patients[ref] for ref in _actors(resource) if ref in patients), None)
    if patient is None:
        return None
    patient_id = next((str(i.get("value", "")) for i in patient.get("identifier") or []
                       if i.get("system") == identifier_system and i.get("value")), "")
    names = patient.get("name") or [{}]
    name = next((n for n in names if n.get("use") == "official"), names[0])
    family, given = str(name.get("family", "")), [str(g) for g in name.get("given") or []]
    try:
        birth = dt.date.fromisoformat(str(patient.get("birthDate", "")))
    except ValueError:
        return None
    procedure = _code(resource.get("serviceType"), PROCEDURE_SYSTEM)
    area = _code([*(resource.get("serviceType") or []), resource.get("appointmentType") or {},
                  *(resource.get("reasonCode") or [])], AREA_SYSTEM)
    if not (patient_id and family and given and procedure):
        return None
    identifiers = resource.get("identifier") or []
    appointment_id = str(identifiers[0].get("value", "")) if identifiers else ""
    return Appointment(appointment_id or f"Appointment/{resource.get('id')}", patient_id,
                       family, given[0], birth, start.date(), start.strftime("%H:%M"),
                       procedure, area)


def _actors(resource: dict[str, Any]) -> list[str]:
    return [str((p.get("actor") or {}).get("reference", ""))
            for p in resource.get("participant") or []]


def _code(concepts: Any, system: str) -> str:
    for concept in concepts or []:
        for coding in (concept or {}).get("coding") or []:
            if coding.get("system") == system and coding.get("code"):
                return str(coding["code"])
    return ""


class FhirAppointmentSearch:
    """Keeps ``feed`` holding today's appointments from the clinic's FHIR server."""

    def __init__(self, client: FhirClient, identifier_system: str, feed: LiveAppointments,
                 every_minutes: float = 5.0,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.client = client
        self.identifier_system = identifier_system
        self.feed = feed
        self.every = every_minutes * 60
        self.today = today
        self.last_problem = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def search(self, day: dt.date) -> list[dict[str, Any]]:
        """The search's pages (``SearchFailed`` when the server does not answer)."""
        query = urllib.parse.urlencode({"date": day.isoformat(),
                                        "_include": "Appointment:patient", "_count": "200"})
        url: str | None = f"{self.client.destination.base_url}/Appointment?{query}"
        pages = self._pages(url)
        # a server that ignores _include: the patients asked for by id, in one search
        held = {f"Patient/{e['resource'].get('id')}" for page in pages
                for e in page.get("entry") or [] if (e.get("resource") or {}).get(
                    "resourceType") == "Patient"}
        wanted = sorted({ref.split("/", 1)[1] for page in pages
                         for e in page.get("entry") or []
                         for ref in _actors(e.get("resource") or {})
                         if ref.startswith("Patient/") and ref not in held})
        for start in range(0, len(wanted), 100):
            ids = ",".join(wanted[start:start + 100])
            query = urllib.parse.urlencode({"_id": ids, "_count": "200"})
            pages += self._pages(f"{self.client.destination.base_url}/Patient?{query}")
        return pages

    def _pages(self, url: str | None) -> list[dict[str, Any]]:
        pages: list[dict[str, Any]] = []
        while url and len(pages) < MOST_PAGES:
            page = self._get(url)
            pages.append(page)
            url = next((str(link.get("url")) for link in page.get("link") or []
                        if link.get("relation") == "next"), None)
        return pages

    def refresh(self) -> int:
        """Search once and put the answer on the list; how many appointments it holds for
        today. A failed search leaves the list as it was (``last_problem`` says why)."""
        day = self.today()
        try:
            pages = self.search(day)
        except SearchFailed as exc:
            self.last_problem = str(exc)
            log.warning("today's FHIR appointments could not be read: %s", exc)
            return len(self.feed.on(day))
        found, skipped = appointments_in(pages, self.identifier_system)
        self.feed.replace_day(day, found)
        self.last_problem = ""
        if skipped:
            log.warning("FHIR appointments: %d skipped (no patient with the clinic's "
                        "identifier, name, birth date, start or procedure code)", skipped)
        return len(found)

    def _get(self, url: str) -> dict[str, Any]:
        try:
            headers = self.client.headers()
        except OSError as exc:
            raise SearchFailed(str(exc)) from None
        request = urllib.request.Request(url, headers=headers, method="GET")
        try:
            with urllib.request.urlopen(request, timeout=self.client.destination.timeout) as r:
                body = json.loads(r.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            if error.code == 401 and self.client.smart is not None:
                self.client.smart.forget()
            raise SearchFailed(f"HTTP {error.code}") from None
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise SearchFailed(f"the EHR could not be searched: {type(exc).__name__}") from None
        if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
            raise SearchFailed("the answer is not a searchset Bundle")
        return body

    # -- the thread ------------------------------------------------------------------------
    def start(self) -> FhirAppointmentSearch:
        self._thread = threading.Thread(target=self._run, name="fhir-appointments",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.refresh()
            self._stop.wait(self.every)
