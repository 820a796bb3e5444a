"""Interrupted intakes: drafts left when the kiosk stopped mid-intake. Staff read, discard."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.intake.draft import restore
from kiosk.staff.access import StaffActor
from kiosk.storage import DraftRecord, Store
from kiosk.ui.staff.storage_guard import storage_action
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import back_header, button, label

PAGE_SIZE = 20  # drafts on one page; a clinic rarely has more than a few


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
    """The drafts, newest first, :data:`PAGE_SIZE` a page, each card as tall as its answers,
    in a list that scrolls (by finger too); Newer / Older turn the pages."""

    back_requested = Signal()

    def __init__(self, store: Store, content: ContentLibrary, t: Catalogue,
                 actor: StaffActor) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.store, self.content, self.t, self.actor = store, content, t, actor
        self.staff_name = actor.name
        self.offset = 0
        self.total = 0
        self.cards: list[QFrame] = []
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setAccessibleName(t("interrupted_heading"))
        kinetic(self.area)
        self.page_label = label("", "Muted")
        self.newer = button("‹ " + t("interrupted_newer", count=PAGE_SIZE),
                            accessible=t("interrupted_newer", count=PAGE_SIZE))
        self.newer.clicked.connect(self.on_newer)
        self.older = button(t("interrupted_older", count=PAGE_SIZE) + " ›",
                            accessible=t("interrupted_older", count=PAGE_SIZE))
        self.older.clicked.connect(self.on_older)
        pages = QHBoxLayout()
        pages.addWidget(self.newer)
        pages.addStretch(1)
        pages.addWidget(self.page_label)
        pages.addStretch(1)
        pages.addWidget(self.older)
        top = back_header(t, t("interrupted_heading"), self.back_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.addLayout(top)
        layout.addWidget(label(t("interrupted_intro"), "Muted"))
        layout.addWidget(self.area, 1)
        layout.addLayout(pages)
        self.reload()

    def reload(self) -> None:
        """The current page afresh (after a discard the page may have moved up)."""
        self.total = self.store.count_drafts()
        if self.offset >= self.total:
            self.offset = max(0, (self.total - 1) // PAGE_SIZE * PAGE_SIZE)
        drafts = self.store.drafts(self.actor, limit=PAGE_SIZE, offset=self.offset)
        # The page is built in a new holder, out of sight, and put in the list whole (the
        # old holder goes with its cards). Laying out 20 cards of rich-text tables still
        # takes about a second on a loaded 2-core machine (QLabel.heightForWidth).
        holder = QWidget()
        cards = QVBoxLayout(holder)
        cards.setContentsMargins(0, 0, 12, 0)  # room for the scroll bar
        cards.setSpacing(12)
        self.cards = [self._card(draft) for draft in drafts]
        if not drafts:
            cards.addWidget(label(self.t("interrupted_none"), "Body"))
        for card in self.cards:
            cards.addWidget(card)
        cards.addStretch(1)
        self.area.setWidget(holder)  # the old page's holder is deleted with its cards
        self.area.verticalScrollBar().setValue(0)
        paged = self.total > PAGE_SIZE
        self.page_label.setText(self.t("interrupted_page", first=self.offset + 1,
                                       last=self.offset + len(drafts), count=self.total)
                                if drafts else "")
        self.newer.setVisible(paged)
        self.older.setVisible(paged)
        self.newer.setEnabled(self.offset > 0)
        self.older.setEnabled(self.offset + PAGE_SIZE < self.total)
        self.store.audit(self.staff_name, "interrupted_viewed", dt.datetime.now(),
                         detail=f"{len(drafts)} drafts")

    def _card(self, draft: DraftRecord) -> QFrame:
        card = QFrame()
        card.setObjectName("DraftCard")
        text = QLabel(draft_html(draft, self.content))
        text.setObjectName("DraftText")
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setAccessibleName(self.t("interrupted_heading"))
        discard = button(self.t("interrupted_discard"), "Danger")
        discard.clicked.connect(lambda _=False, d=draft: self.on_discard(d))
        row = QHBoxLayout(card)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(text, 1)
        row.addWidget(discard, 0, Qt.AlignmentFlag.AlignTop)
        return card

    @storage_action("staff_action_open_interrupted")
    def on_newer(self) -> None:
        self.offset = max(0, self.offset - PAGE_SIZE)
        self.reload()

    @storage_action("staff_action_open_interrupted")
    def on_older(self) -> None:
        if self.offset + PAGE_SIZE < self.total:
            self.offset += PAGE_SIZE
        self.reload()

    @storage_action("staff_action_discard_interrupted")
    def on_discard(self, draft: DraftRecord) -> None:
        self.store.discard_interrupted(draft.id, self.actor, dt.datetime.now())
        self.reload()


def preview() -> None:
    """``python -m kiosk.ui.staff.interrupted``: 50 demo drafts in a throwaway database."""
    import sys
    import tempfile
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from kiosk.content.library import load_content
    from kiosk.demo.answers import fill_demo_session
    from kiosk.intake.draft import encode
    from kiosk.intake.session import IntakeSession
    from kiosk.staff.access import COMMAND_LINE
    from kiosk.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)
    content = load_content()
    folder = tempfile.mkdtemp(prefix="kiosk-interrupted-")
    store = Store(Path(folder) / "kiosk.db")
    for n in range(50):
        session = IntakeSession(content)
        fill_demo_session(session, f"Patient{n}", "Demo")
        store.save_draft(session.uid, session.started_at, encode(session))
    screen = InterruptedScreen(store, content, content.strings("en"), COMMAND_LINE)
    screen.resize(1280, 800)
    screen.show()
    app.exec()


if __name__ == "__main__":
    preview()
