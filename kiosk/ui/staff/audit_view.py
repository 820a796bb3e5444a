"""The audit log for staff: read-only, newest first (the database refuses edits)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.staff.access import StaffActor
from kiosk.storage import Store
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import back_header, label


class AuditScreen(QWidget):
    back_requested = Signal()

    def __init__(self, store: Store, t: Catalogue, actor: StaffActor) -> None:
        super().__init__()
        self.setObjectName("Screen")
        top = back_header(t, t("audit_heading"), self.back_requested)
        self.log = QTextBrowser()
        kinetic(self.log)
        rows = ["<table cellpadding='4'><tr><th align='left'>When</th><th align='left'>Who"
                "</th><th align='left'>What</th><th align='left'>Intake</th>"
                "<th align='left'>Detail</th></tr>"]
        for event in store.audit_events(actor, limit=500):
            what = event.action.replace("_", " ") + ("" if event.success else " (refused)")
            rows.append(
                f"<tr><td>{event.at:%Y-%m-%d %H:%M:%S}</td><td>{escape(event.actor)}</td>"
                f"<td>{escape(what)}</td><td>{event.intake_id or ''}</td>"
                f"<td>{escape(event.detail)}</td></tr>")
        rows.append("</table>")
        self.log.setHtml("".join(rows))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.addLayout(top)
        layout.addWidget(label(t("audit_intro"), "Muted"))
        layout.addWidget(self.log, 1)
