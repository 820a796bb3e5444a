"""An understanding check after the explanation: one question, answered once, then the
right answer with the reason and the part of the explanation it comes from."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.content.teach_back import UNSURE, Check
from kiosk.intake.records import Problem
from kiosk.intake.service import IntakeService
from kiosk.ui import accessibility
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import ChoiceButton, MessageLine, label


class TeachBackScreen(Screen):
    answered = Signal(bool)  # whether the first answer was right

    def __init__(self, service: IntakeService, t: Catalogue, number: int) -> None:
        super().__init__(service.session, t)
        self.service = service
        session = service.session
        checks = session.checks()
        self.check: Check = checks[number]
        language = session.language
        procedure = session.content.procedure(session.patient.procedure_id).text(language)
        self.body.addWidget(label(f"{t('teach_back_label')} · {procedure.title}", "Muted"))
        self.body.addWidget(label(t("teach_back_intro", n=number + 1, total=len(checks)),
                                  "Muted"))
        self.question = label(self.check.question(language), "Heading")
        self.body.addWidget(self.question)
        self.buttons: dict[str, ChoiceButton] = {}
        options = [(o.id, self.check.option_text(o.id, language)) for o in self.check.options]
        for option_id, text in [*options, (UNSURE, t("teach_back_unsure"))]:
            button = ChoiceButton(text)
            button.setAccessibleDescription(self.check.question(language))
            accessibility.set_role(button, QAccessible.Role.RadioButton)
            button.chosen.connect(lambda _=False, o=option_id: self._on_tapped(o))
            self.body.addWidget(button)
            self.buttons[option_id] = button
        self.error = MessageLine()
        self.error.hide()
        self.body.addWidget(self.error)
        self.feedback = QFrame()
        self.feedback.setObjectName("Feedback")
        self.feedback.hide()
        self.body.addWidget(self.feedback)
        self.finish_layout()
        chosen = session.understanding.get(self.check.id)
        if chosen is not None:  # back on an answered check: as it was left
            self._show_feedback(chosen)

    def _on_tapped(self, option_id: str) -> None:
        assert self.session is not None
        if self.check.id in self.session.understanding:
            self._show_feedback(self.session.understanding[self.check.id])  # first answer holds
            return
        right = self.service.answer_check(self.check.id, option_id)
        self._show_feedback(option_id)
        self.answered.emit(right)
        self.changed.emit()

    def _show_feedback(self, chosen: str) -> None:
        assert self.session is not None
        t, language, check = self.t, self.session.language, self.check
        for option_id, button in self.buttons.items():
            button.show_answer(option_id == chosen)
        self.error.hide()
        self.banner.hide()
        right = chosen == check.correct
        self.feedback.setProperty("right", right)
        layout = self.feedback.layout() or QVBoxLayout(self.feedback)
        while layout.count():
            widget = layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        verdict = t("teach_back_right") if right else t(
            "teach_back_wrong", answer=check.option_text(check.correct, language))
        layout.addWidget(label(verdict, "SubHeading"))
        layout.addWidget(label(check.explanation(language), "Body"))
        if not right:  # the part of the explanation the answer comes from
            text = self.session.content.procedure(self.session.patient.procedure_id).text(
                language)
            index = text.page_about(check.topic)
            if index is not None:
                page = text.pages[index]
                layout.addWidget(label(t("teach_back_from_page", heading=page.heading),
                                       "FieldLabel"))
                for paragraph in check.relevant(page.paragraphs, language):
                    layout.addWidget(label(paragraph, "Quote"))
            layout.addWidget(label(t("teach_back_ask"), "Muted"))
        self.feedback.style().unpolish(self.feedback)
        self.feedback.style().polish(self.feedback)
        self.feedback.show()
        # once laid out: the feedback scrolled into view, as much of it as fits under the
        # top of the question (not at all if the screen is gone by then: the timer
        # belongs to it)
        QTimer.singleShot(0, self, self._reveal_feedback)

    def _reveal_feedback(self) -> None:
        self.reveal_below(self.question, self.feedback, whole=True)

    def feedback_texts(self) -> list[str]:
        return [w.text() for w in self.feedback.findChildren(QLabel) if not w.isHidden()]

    def show_problems(self, problems: Sequence[Problem]) -> QWidget | None:
        super().show_problems(problems)
        if not problems:
            return None
        self.error.setText(self.message(problems[0]))
        self.error.show()
        return self.error
