"""One page of the plain-language explanation of the chosen procedure."""

from __future__ import annotations

from kiosk.content.catalogue import Catalogue
from kiosk.intake.session import IntakeSession
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import label


class LearnScreen(Screen):
    def __init__(self, session: IntakeSession, t: Catalogue, page: int) -> None:
        super().__init__(session, t)
        text = session.content.procedure(session.patient.procedure_id).text(session.language)
        self.body.addWidget(label(f"{t('learn_label')} · {text.title}", "Muted"))
        current = text.pages[page]
        self.body.addWidget(label(current.heading, "Heading"))
        for paragraph in current.paragraphs:
            self.body.addWidget(label(paragraph, "Body"))
        self.body.addWidget(label(t("page_of", n=page + 1, total=len(text.pages)), "Muted"))
        self.finish_layout()


if __name__ == "__main__":
    from kiosk.ui.preview import preview_screen

    preview_screen(lambda service, t: LearnScreen(service.session, t, 0))
