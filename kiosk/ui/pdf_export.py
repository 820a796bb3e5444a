"""PDF files from the summary HTML, with Qt's own PDF writer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from kiosk.content.library import ContentLibrary
from kiosk.export.protected import save_export
from kiosk.export.summary import SIGNATURE_RESOURCE, summary_html
from kiosk.storage import IntakeDetail


def register_signature(document: QTextDocument, png: bytes | None) -> None:
    """Make the summary's signature image available to the document."""
    if png:
        image = QImage.fromData(png, "PNG")
        document.addResource(QTextDocument.ResourceType.ImageResource,
                             QUrl(SIGNATURE_RESOURCE), image)


def write_summaries_pdf(intakes: Sequence[IntakeDetail], content: ContentLibrary,
                        path: Path, password: str | None = None) -> Path:
    """Several intake summaries in one PDF, each starting on a new page."""
    pages, signatures = [], {}
    for number, intake in enumerate(intakes):
        resource = f"signature-{number}.png"
        html = summary_html(intake, content, signature_resource=resource)
        body = html.split("<body", 1)[1].split(">", 1)[1].rsplit("</body>", 1)[0]
        style = " style='page-break-before: always'" if number else ""
        pages.append(f"<div{style}>{body}</div>")
        if intake.signature_png:
            signatures[resource] = intake.signature_png
    html = ("<html><body style='font-family: sans-serif; font-size: 11pt;'>"
            + "".join(pages) + "</body></html>")
    return write_pdf(html, path, "Intake summaries", signatures=signatures, password=password)


def summary_pdf(intake: IntakeDetail, content: ContentLibrary) -> bytes:
    """The printable summary of one intake as PDF bytes (for a FHIR DocumentReference);
    made in memory: nothing of it touches the disk."""
    return pdf_bytes(summary_html(intake, content), signature_png=intake.signature_png)


def write_pdf(html: str, path: Path, title: str = "Intake summary",
              signature_png: bytes | None = None,
              signatures: dict[str, bytes] | None = None,
              password: str | None = None) -> Path:
    """The PDF at ``path``, whole or not at all, 0600; with ``password`` encrypted
    (AES-256). Made in memory, so no plaintext copy is ever on disk."""
    data = pdf_bytes(html, title, signature_png, signatures)
    return save_export(path, data, password)


def pdf_bytes(html: str, title: str = "Intake summary", signature_png: bytes | None = None,
              signatures: dict[str, bytes] | None = None) -> bytes:
    """The HTML printed to PDF in memory (a QBuffer, never a file)."""
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
    document = QTextDocument()
    register_signature(document, signature_png)
    for name, png in (signatures or {}).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                             QImage.fromData(png, "PNG"))
    document.setHtml(html)
    # Do not set the document's page size to the writer's: text becomes microscopic.
    document.print_(writer)
    del writer  # the PDF is finished when the writer goes away
    data = bytes(buffer.data().data())
    buffer.close()
    if not data:
        raise OSError("the PDF writer produced nothing")
    return data
