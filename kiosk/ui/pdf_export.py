"""PDF files from the summary HTML, with Qt's own PDF writer; every page headed with its
patient (name, date of birth, clinic) and its number."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from kiosk.content.library import ContentLibrary
from kiosk.export.protected import save_export
from kiosk.export.summary import SIGNATURE_RESOURCE, page_header, summary_html
from kiosk.storage import IntakeDetail


def register_signature(document: QTextDocument, png: bytes | None) -> None:
    """Make the summary's signature image available to the document."""
    if png:
        image = QImage.fromData(png, "PNG")
        document.addResource(QTextDocument.ResourceType.ImageResource,
                             QUrl(SIGNATURE_RESOURCE), image)


def write_summaries_pdf(intakes: Sequence[IntakeDetail], content: ContentLibrary,
                        path: Path, password: str | None = None) -> Path:
    """Several intake summaries in one PDF, each starting on a new page, each page headed
    with its own patient and numbered within its intake."""
    documents = [(_document(summary_html(intake, content), intake.signature_png),
                  page_header(intake, content)) for intake in intakes]
    return save_export(path, _print_documents(documents, "Intake summaries"), password)


def summary_pdf(intake: IntakeDetail, content: ContentLibrary) -> bytes:
    """The printable summary of one intake as PDF bytes (for a FHIR DocumentReference);
    made in memory: nothing of it touches the disk."""
    return pdf_bytes(summary_html(intake, content), signature_png=intake.signature_png,
                     header=page_header(intake, content))


def write_pdf(html: str, path: Path, title: str = "Intake summary",
              signature_png: bytes | None = None,
              signatures: dict[str, bytes] | None = None,
              password: str | None = None, header: str = "") -> Path:
    """The PDF at ``path``, whole or not at all, 0600; with ``password`` encrypted
    (AES-256). Made in memory, so no plaintext copy is ever on disk."""
    data = pdf_bytes(html, title, signature_png, signatures, header)
    return save_export(path, data, password)


def pdf_bytes(html: str, title: str = "Intake summary", signature_png: bytes | None = None,
              signatures: dict[str, bytes] | None = None, header: str = "") -> bytes:
    """The HTML printed to PDF in memory (a QBuffer, never a file); ``header`` (see
    ``page_header``) tops every page."""
    document = _document(html, signature_png, signatures)
    return _print_documents([(document, header)], title)


def _document(html: str, signature_png: bytes | None,
              signatures: dict[str, bytes] | None = None) -> QTextDocument:
    document = QTextDocument()
    register_signature(document, signature_png)
    for name, png in (signatures or {}).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                             QImage.fromData(png, "PNG"))
    document.setHtml(html)
    return document


def _print_documents(documents: Sequence[tuple[QTextDocument, str]], title: str) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("Intake Kiosk")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    _paint_documents(writer, documents)
    del writer  # the PDF is finished when the writer goes away
    data = bytes(buffer.data().data())
    buffer.close()
    if not data:
        raise OSError("the PDF writer produced nothing")
    return data


def print_summaries(intakes: Sequence[IntakeDetail], content: ContentLibrary,
                    printer: QPagedPaintDevice) -> None:
    """The summaries of ``intakes`` on ``printer`` (a QPrinter set up by the print dialog),
    each starting a new page, every page headed as in the PDF. OSError when the printer
    cannot be started."""
    documents = [(_document(summary_html(intake, content), intake.signature_png),
                  page_header(intake, content)) for intake in intakes]
    _paint_documents(printer, documents)


def _paint_documents(device: QPagedPaintDevice,
                     documents: Sequence[tuple[QTextDocument, str]]) -> None:
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the printer could not be started")
    try:
        for number, (document, header) in enumerate(documents):
            if number:
                device.newPage()
            _print_document(device, painter, document, header)
    finally:
        painter.end()


def _print_document(writer: QPagedPaintDevice, painter: QPainter, document: QTextDocument,
                    header: str) -> None:
    """The document's pages, each under ``header`` and its page number. Laid out on the
    writer itself (as QTextDocument.print_ does), so its fonts keep their size."""
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    font = QFont("sans-serif", 8)
    painter.setFont(font)
    line = QFontMetricsF(font, writer).height()
    top = line * 2 if header else 0.0  # the header line and a line of space
    document.documentLayout().setPaintDevice(writer)
    document.setPageSize(QSizeF(page.width(), page.height() - top))
    keep_tables_whole(document)
    count = document.pageCount()
    body = QRectF(0, 0, page.width(), page.height() - top)
    for index in range(count):
        if index:
            writer.newPage()
        if header:
            painter.setPen(QColor("#444444"))
            box = QRectF(0, 0, page.width(), line)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             header)
            painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{index + 1} / {count}")
        painter.save()
        painter.translate(0, top - index * body.height())
        document.drawContents(painter, body.translated(0, index * body.height()))
        painter.restore()


def keep_tables_whole(document: QTextDocument) -> None:
    """Start on a new page every table that would straddle a page break and fits on one
    page: a question and its answer (each its own table, see ``summary_html``) are never
    parted (issue 12.10). A table taller than a page still breaks where it must."""
    layout = document.documentLayout()
    height = document.pageSize().height()
    document.pageCount()  # lays the whole document out
    for frame in document.rootFrame().childFrames():
        if not isinstance(frame, QTextTable):
            continue
        box = layout.frameBoundingRect(frame)
        if box.height() > height:
            continue
        if int(box.top() // height) != int((box.bottom() - 1) // height):
            table_format = frame.format()
            table_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            frame.setFormat(table_format)
            document.pageCount()  # what follows moves down: lay it out again
