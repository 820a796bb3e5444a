"""The background sender: delivers the outbox to the clinic's EHR, never blocking a patient.

One plain thread per kiosk. It takes the deliveries that are due and hands each intake to
its transport: a FHIR transaction Bundle (:class:`kiosk.delivery.fhir_client.FhirClient`,
every entry a conditional create, so a Bundle sent twice is filed once) or an HL7 v2
message over MLLP (:class:`kiosk.delivery.mllp.MllpClient`, one message control id per
intake). Sent: marked with where the server filed it. Not reachable, 5xx, 408/429, no ACK:
tried again after a pause that doubles from ``first_delay`` up to ``longest_delay``.
Another 4xx, an AE/AR acknowledgement: *failed* with the server's reason, until staff
resend. A crash between the server filing it and the outbox
being marked leaves the row waiting: it is sent again, and the server's conditional create
answers with what it already has — no duplicate.

The PDF summary comes from ``document`` (the UI renders it with Qt on its own thread);
without one a Bundle has no DocumentReference and an HL7 message (whose content the PDF
is) waits. Nothing about a patient is logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Protocol

from kiosk.delivery.fhir_client import Outcome
from kiosk.storage import IntakeDetail, StorageError, Store

log = logging.getLogger(__name__)

LEASE_SECONDS = 300.0  # a claimed delivery another kiosk may take if this one died
POLL_SECONDS = 5.0  # how often the outbox is looked at with nothing due (resends, other kiosks)

Document = Callable[[IntakeDetail], bytes | None]


class Transport(Protocol):
    """How one intake reaches the EHR: a FHIR transaction (:class:`FhirClient`) or an
    HL7 v2 message over MLLP (:class:`kiosk.delivery.mllp.MllpClient`)."""

    def deliver(self, intake: IntakeDetail, pdf: bytes | None) -> Outcome: ...


def local_now() -> dt.datetime:
    return dt.datetime.now()


class Sender:
    def __init__(self, store: Store, client: Transport, document: Document | None = None,
                 now: Callable[[], dt.datetime] = local_now, first_delay: float = 10.0,
                 longest_delay: float = 600.0) -> None:
        self.store = store
        self.client = client
        self.document = document
        self.now = now
        self.first_delay = first_delay
        self.longest_delay = longest_delay
        self.listeners: list[Callable[[int, Outcome], None]] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one pass (the thread's body; tests call it directly) ------------------------------
    def deliver_due(self) -> int:
        """Send every delivery that is due now; returns how many were tried."""
        tried = 0
        while not self._stop.is_set():
            due = self.store.outbox.due(self.now(), limit=10)
            if not due:
                break
            for delivery in due:
                # several kiosks may share the database: one sends, the others skip it
                if self.store.outbox.claim(delivery.intake_id, self.now(), LEASE_SECONDS):
                    self.deliver(delivery.intake_id, delivery.attempts)
                    tried += 1
        return tried

    def deliver(self, intake_id: int, attempts: int) -> Outcome:
        outbox = self.store.outbox
        try:
            intake = outbox.intake_for_delivery(intake_id)
            pdf = self.document(intake) if self.document is not None else None
            outcome = self.client.deliver(intake, pdf)
        except OSError as exc:  # the summary could not be made, or a token file
            outcome = Outcome("retry", str(exc))
        at = self.now()
        if outcome.kind == "sent":
            outbox.sent(intake_id, at, outcome.location)
        elif outcome.kind == "failed":
            outbox.failed(intake_id, at, outcome.reason)
        else:
            pause = min(self.longest_delay, self.first_delay * 2 ** min(attempts, 20))
            outbox.retry_later(intake_id, at, outcome.reason,
                               at + dt.timedelta(seconds=pause))
        log.info("EHR delivery of intake %s: %s", intake_id, outcome.kind)
        for listener in list(self.listeners):
            listener(intake_id, outcome)
        return outcome

    # -- the thread ------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="ehr-sender", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look at the outbox now (an intake was submitted, staff resent one)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.deliver_due()
                next_due = self.store.outbox.next_due()
            except StorageError as exc:  # the database is away: try again in a while
                log.warning("EHR sender cannot read the outbox: %s", exc)
                next_due = None
            wait = POLL_SECONDS
            if next_due is not None:
                wait = max(0.0, min(wait, (next_due - self.now()).total_seconds()))
            self._wake.wait(wait)
            self._wake.clear()
