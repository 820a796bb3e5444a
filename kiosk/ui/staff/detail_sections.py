"""The staff detail's body: the intake as labelled sections (Patient, Needs attention,
Answers, ..., Review), each a Tab stop with a heading, read by a screen reader as a named
section, apart from the next by a visible line (issue 15: it was one nameless text block).

A screen adds a section of its own as one more :class:`SummarySection` in the list it
gives :meth:`DetailSections.show_sections`.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAccessible, QFocusEvent, QPixmap, QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.export.summary import SummarySection
from kiosk.ui import accessibility
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import label


def plain_text(html: str) -> str:
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


class DetailSection(QFrame):
    """One labelled section: its heading (a heading for assistive technology), its text,
    and for the signature the drawing. It takes focus by Tab; its accessible name is its
    heading and its description its text, so focus on it reads it whole."""

    def __init__(self, section: SummarySection, signature_png: bytes | None = None) -> None:
        super().__init__()
        self.key = section.key
        self.setObjectName("DetailSection")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        accessibility.set_role(self, QAccessible.Role.Section)
        self.heading = label(section.title, "SubHeading")
        self.body = QLabel(section.html)
        self.body.setObjectName("SectionBody")
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = plain_text(section.html)
        self.setAccessibleName(section.title)
        self.setAccessibleDescription(self.text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.heading)
        if signature_png:
            drawing = QPixmap()
            if drawing.loadFromData(signature_png):
                self.drawing = QLabel()
                self.drawing.setPixmap(drawing.scaled(
                    QSize(320, 160), Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))
                self.drawing.setAccessibleName(section.title)
                layout.addWidget(self.drawing)
        layout.addWidget(self.body)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt name)
        super().focusInEvent(event)
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None:
            area.ensureWidgetVisible(self, 0, 0)


class DetailSections(QScrollArea):
    """The sections, top to bottom, in one scrolling column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DetailSections")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its sections take focus, not it
        kinetic(self)
        self.sections: list[DetailSection] = []
        self.footer: QLabel | None = None

    def show_sections(self, sections: list[SummarySection], signature_png: bytes | None = None,
                      footer: str = "") -> None:
        """Show ``sections`` in order (the drawn signature in the "signature" one), then
        ``footer`` as a quiet line."""
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(8)
        self.sections = [DetailSection(section, signature_png if section.key == "signature"
                                       else None) for section in sections]
        for section in self.sections:
            layout.addWidget(section)
        self.footer = label(footer, "Muted") if footer else None
        if self.footer is not None:
            layout.addWidget(self.footer)
        layout.addStretch(1)
        self.setWidget(column)  # the old column goes with its sections

    def section(self, key: str) -> DetailSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def toPlainText(self) -> str:  # noqa: N802 (as QTextBrowser's, which it replaced)
        """Every section's heading and text, in order."""
        parts = [f"{section.heading.text()}\n{section.text}" for section in self.sections]
        if self.footer is not None:
            parts.append(self.footer.text())
        return "\n".join(parts)
