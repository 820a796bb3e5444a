"""Connecting a running kiosk to the clinic's EHR: the background sender, with its PDF
summaries rendered by Qt on the window's thread.

The sender (:mod:`kiosk.delivery.sender`) is plain Python on its own thread; Qt's PDF writer
and text engine belong to the GUI thread, so :class:`GuiDocuments` hands each rendering
over to it and waits for the bytes.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from PySide6.QtCore import QObject, Qt, QThread, Signal

from kiosk.content.library import ContentLibrary
from kiosk.delivery.fhir_client import FhirClient
from kiosk.delivery.mllp import MllpClient
from kiosk.delivery.sender import Sender, Transport
from kiosk.delivery.settings import EhrSettings
from kiosk.intake.writer import WriteOutcome
from kiosk.storage import IntakeDetail
from kiosk.ui.pdf_export import summary_pdf

log = logging.getLogger(__name__)

RENDER_TIMEOUT = 60.0  # seconds the sender waits for the window's thread to make a PDF


class GuiDocuments(QObject):
    """A ``Document`` for the sender: the intake's PDF summary, made on the GUI thread."""

    requested = Signal(object, object)  # IntakeDetail, Future

    def __init__(self, content: ContentLibrary, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self.requested.connect(self.on_requested, Qt.ConnectionType.QueuedConnection)

    def __call__(self, intake: IntakeDetail) -> bytes:
        if QThread.currentThread() is self.thread():
            return summary_pdf(intake, self.content)
        future: Future[bytes] = Future()
        self.requested.emit(intake, future)
        try:
            return future.result(RENDER_TIMEOUT)
        except FutureTimeout:
            raise OSError("the PDF summary was not ready in time") from None

    def on_requested(self, intake: IntakeDetail, future: Future) -> None:
        try:
            future.set_result(summary_pdf(intake, self.content))
        except OSError as exc:
            future.set_exception(exc)


def start_delivery(window, settings: EhrSettings) -> Sender | None:  # noqa: ANN001 - KioskWindow
    """Queue every submitted intake for the clinic's EHR (FHIR server or HL7 v2 receiver)
    and start sending; the sender is woken when an intake is stored and stopped when the
    window shuts down."""
    client: Transport
    if settings.hl7 is not None:
        client = MllpClient(settings.hl7)
    elif settings.fhir is not None:
        client = FhirClient(settings.fhir)
    else:
        return None
    window.store.deliver = True
    sender = Sender(window.store, client, document=GuiDocuments(window.content, window))

    def on_written(outcome: WriteOutcome) -> None:  # on the writer's thread
        if outcome.ok and outcome.job.kind == "submit":
            sender.wake()

    window.writer.listeners.append(on_written)
    window.ehr_sender = sender
    sender.start()
    log.info("EHR delivery on")
    return sender
