"""PDF files from the summary HTML, with Qt's own PDF writer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from kiosk.intake_summary import SIGNATURE_RESOURCE


def register_signature(document: QTextDocument, png: bytes | None) -> None:
    """Make the summary's signature image available to the document."""
    if png:
        image = QImage.fromData(png, "PNG")
        document.addResource(QTextDocument.ResourceType.ImageResource,
                             QUrl(SIGNATURE_RESOURCE), image)


def write_pdf(html: str, path: Path, title: str = "Intake summary",
              signature_png: bytes | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
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
    document.setHtml(html)
    # Do not set the document's page size to the writer's: text becomes microscopic.
    document.print_(writer)
    del writer  # the file is finished when the writer goes away
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"the PDF writer produced no file at {path}")
    return path
