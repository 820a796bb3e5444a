"""Today's appointment list from every feed the clinic's settings name, started together:
the CSV folder, the HL7 v2 SIU listener and the FHIR ``Appointment`` search.

:func:`start_feeds` answers with the :class:`~kiosk.intake.appointments.Schedule` check-in
matches against and :class:`RunningFeeds` to stop at shutdown. A listener that cannot have
its port, or a server not there yet, is logged and leaves the other feeds working: a patient
is never held up by a feed (no match: the patient chooses the procedure as before).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from kiosk.delivery.fhir_appointments import FhirAppointmentSearch
from kiosk.delivery.fhir_client import FhirClient
from kiosk.delivery.settings import EhrSettings
from kiosk.delivery.siu import SiuListener
from kiosk.intake.appointments import CsvFolder, LiveAppointments, Schedule

log = logging.getLogger(__name__)


@dataclass
class RunningFeeds:
    listener: SiuListener | None = None
    search: FhirAppointmentSearch | None = None
    problems: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        if self.search is not None:
            self.search.stop()


def start_feeds(settings: EhrSettings) -> tuple[Schedule | None, RunningFeeds]:
    running = RunningFeeds()
    if not settings.has_appointment_feed:
        return None, running
    system = settings.patient_identifier_system
    folder = (CsvFolder(settings.appointments_folder, system)
              if settings.appointments_folder is not None else None)
    live: list[LiveAppointments] = []
    if settings.appointments_hl7 is not None:
        feed = LiveAppointments()
        live.append(feed)
        where = settings.appointments_hl7
        try:
            running.listener = SiuListener(where, feed).start()
        except OSError as exc:
            problem = (f"the SIU listener cannot listen on {where.host}:{where.port}: "
                       f"{exc.strerror or exc}")
            running.problems.append(problem)
            log.error("%s; appointments come from the other feeds only", problem)
    if settings.appointments_fhir_search and settings.fhir is not None:
        feed = LiveAppointments()
        live.append(feed)
        running.search = FhirAppointmentSearch(FhirClient(settings.fhir), system, feed,
                                               settings.fhir_search_minutes).start()
    return Schedule(system, folder, live), running
