"""Interrupted intakes: drafts left when the kiosk stopped mid-intake. Staff read, discard."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.intake.draft import restore
from kiosk.staff.access import StaffActor
from kiosk.storage import DraftRecord, Store
from kiosk.ui.staff.storage_guard import storage_action
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import back_header, button, label


def draft_html(draft: DraftRecord, content: ContentLibrary, language: str = "en") -> str:
    """What was answered before the interruption, escaped, in the questionnaire's order, as
    the patient would read it, in the staff's ``language`` (read by the one draft reader)."""
    session = restore(draft.data, content, language)
    patient = session.patient
    name = f"{patient.last_name}, {patient.first_name}".strip(", ")
    rows = [f"<h3>{escape(name or '—')}</h3>",
            f"<p>Started {draft.started_at:%Y-%m-%d %H:%M}, last answer "
            f"{draft.updated_at:%Y-%m-%d %H:%M}</p><table cellpadding='3'>"]
    for row in session.review_rows():
        if row.value and row.value != session.content.strings(language)("not_answered"):
            rows.append(f"<tr><td>{escape(row.label)}</td><td><b>{escape(row.value)}"
                        f"</b></td></tr>")
    rows.append("</table>")
    return "".join(rows)


class InterruptedScreen(QWidget):
    back_requested = Signal()

    def __init__(self, store: Store, content: ContentLibrary, t: Catalogue,
                 actor: StaffActor) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.store, self.content, self.t, self.actor = store, content, t, actor
        self.staff_name = actor.name
        self.list_layout = QVBoxLayout()
        top = back_header(t, t("interrupted_heading"), self.back_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.addLayout(top)
        layout.addWidget(label(t("interrupted_intro"), "Muted"))
        layout.addLayout(self.list_layout, 1)
        self.reload()

    def reload(self) -> None:
        while self.list_layout.count():
            old = self.list_layout.takeAt(0).widget()
            if old is not None:
                old.hide()
                old.deleteLater()
        drafts = self.store.drafts(self.actor)
        if not drafts:
            self.list_layout.addWidget(label(self.t("interrupted_none"), "Body"))
        for draft in drafts:
            text = QTextBrowser()
            text.setHtml(draft_html(draft, self.content))
            kinetic(text)
            discard = button(self.t("interrupted_discard"), "Danger")
            discard.clicked.connect(lambda _=False, d=draft: self.on_discard(d))
            row = QHBoxLayout()
            row.addWidget(text, 1)
            row.addWidget(discard)
            holder = QWidget()
            holder.setLayout(row)
            self.list_layout.addWidget(holder, 1)
            holder.show()
        self.store.audit(self.staff_name, "interrupted_viewed", dt.datetime.now(),
                         detail=f"{len(drafts)} drafts")

    @storage_action("staff_action_discard_interrupted")
    def on_discard(self, draft: DraftRecord) -> None:
        self.store.discard_interrupted(draft.id, self.actor, dt.datetime.now())
        self.reload()
