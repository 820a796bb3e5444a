"""Print PDF from the review queue: the summaries of the newest intakes the filters show
(up to PDF_BATCH), each starting a page, through the system print dialog when there is a
printer, else into one printable PDF file (written by the queue's background export)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.staff.access import StaffActor
from kiosk.storage import QueueFilter, StorageError, Store
from kiosk.ui.pdf_export import print_summaries, write_summaries_pdf

PDF_BATCH = 100  # summaries in one printable PDF from the queue
PrintDialog = Callable[[QPrinter, QWidget], QDialog]


def available_printers() -> list[QPrinterInfo]:
    """The printers the system has (CUPS on Linux); none on CI."""
    return QPrinterInfo.availablePrinters()


def summaries_pdf_writer(store: Store, actor: StaffActor, content: ContentLibrary,
                         where: QueueFilter) -> Callable[[Path, str | None], int]:
    """What writes the PDF file (on the export's worker thread): the newest summaries
    ``where`` selects, encrypted with the password if one is given; returns how many."""
    def write(path: Path, password: str | None) -> int:
        details = list(store.intakes_matching(where, actor, limit=PDF_BATCH))
        write_summaries_pdf(details, content, path, password)
        return len(details)

    return write


def print_through_dialog(parent: QWidget, print_dialog: PrintDialog, store: Store,
                         actor: StaffActor, content: ContentLibrary, t: Catalogue,
                         where: QueueFilter, described: str, say: Callable[[str], None]) -> None:
    """Ask the print dialog for a printer, record the print in the audit log (a print that
    cannot be recorded is not made), then print; ``say`` is given the outcome. Raises the
    StorageError when the print could not be recorded (the caller's banner says why)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    printer.setDocName("Intake summaries")
    dialog = print_dialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        say(t("print_cancelled"))
        return
    now = dt.datetime.now()
    details = list(store.intakes_matching(where, actor, limit=PDF_BATCH))
    on = printer.printerName() if printer.outputFileName() == "" else "a PDF file"
    try:
        store.audit(actor.name, "print_pdf", now,
                    detail=f"{len(details)} summaries: {described}; printer: {on}")
    except StorageError:
        say(t("print_failed", reason=t("print_not_audited")))
        raise
    try:
        print_summaries(details, content, printer)
    except OSError as exc:
        say(t("print_failed", reason=str(exc)))
        store.audit(actor.name, "print_pdf", now, success=False,
                    detail=f"printer: {on}: {exc}")
        return
    say(t("print_done", count=len(details), printer=printer.outputFileName() or on))


def say_no_printer(result: QLabel, t: Catalogue, password: str | None) -> None:
    """Before the export's own message: the summaries went to a file for want of a
    printer (the message is rich text when it shows a password)."""
    said = t("print_no_printer")
    done = result.text()
    result.setText(f"<p>{html.escape(said)}</p>{done}" if password else f"{said} {done}")
