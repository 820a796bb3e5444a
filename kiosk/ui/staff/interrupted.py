"""Interrupted intakes: drafts left when the kiosk stopped mid-intake. Staff read, discard."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.staff.access import StaffActor
from kiosk.storage import DraftRecord, Store
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import back_header, button, label


def draft_html(draft: DraftRecord, content: ContentLibrary) -> str:
    """What was answered before the interruption, escaped, in the questionnaire's order."""
    patient = draft.data.get("patient", {})
    name = f"{patient.get('last_name', '')}, {patient.get('first_name', '')}".strip(", ")
    rows = [f"<h3>{escape(name or '—')}</h3>",
            f"<p>Started {draft.started_at:%Y-%m-%d %H:%M}, last answer "
            f"{draft.updated_at:%Y-%m-%d %H:%M}</p><table cellpadding='3'>"]
    answers = draft.data.get("answers", {})
    for item in content.questionnaire.walk():
        values = answers.get(item.link_id)
        if not values:
            continue
        shown = []
        for value in values:
            for key, raw in value.items():
                shown.append(raw.get("display") or raw.get("code", "")
                             if key == "valueCoding" else
                             ("Yes" if raw else "No") if key == "valueBoolean" else str(raw))
        rows.append(f"<tr><td>{escape(item.text)}</td><td><b>{escape('; '.join(shown))}"
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

    def on_discard(self, draft: DraftRecord) -> None:
        self.store.discard_interrupted(draft.id, self.actor, dt.datetime.now())
        self.reload()
