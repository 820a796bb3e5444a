"""Any FHIR questionnaire, page by page, with Back, Next and Submit.

Used to try a clinic's own forms on the kiosk (``python -m kiosk.ui.form_runner FILE``)
and by the compatibility suite; the patient flow uses the same pages and widgets.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.intake.records import Problem
from kiosk.questionnaire import Questionnaire
from kiosk.questionnaire.form_session import FormSession
from kiosk.questionnaire.launch import LaunchContext
from kiosk.ui.keyboard.dock import KeyboardDock
from kiosk.ui.keyboard.kiosk_keyboard import OnScreenKeyboard
from kiosk.ui.screens.base import ScreenHost
from kiosk.ui.screens.questions import QuestionScreen
from kiosk.ui.touch import button, label

WARM_UP_MS = 250  # after the first page shows, while the patient reads it


class FormRunner(QWidget):
    submitted = Signal(dict)  # the QuestionnaireResponse
    page_shown = Signal(str)  # linkId of the page's top item

    def __init__(self, questionnaire: Questionnaire, t: Catalogue,
                 allow_files: bool = True, launch: LaunchContext | None = None) -> None:
        """``launch``: what the form may read as %patient (initialExpressions)."""
        super().__init__()
        self.allow_files = allow_files  # attachments from disk: staff desk, never the tablet
        self.setObjectName("Screen")
        self.t = t
        self.session = FormSession(questionnaire, launch)
        self.title = label(questionnaire.title or questionnaire.url, "SubHeading")
        self.position = label("", "Muted", wrap=False)
        self.screen: QuestionScreen | None = None
        self.host = ScreenHost()
        # the on-screen keyboard is built when a text field first takes focus (~15-30 ms
        # of a form's start; many forms' first pages have no text field)
        self.keyboard: OnScreenKeyboard | None = None
        self.dock: KeyboardDock | None = None
        QApplication.instance().focusChanged.connect(self._on_first_focus)
        self.back_button = button("‹ " + t("back"), accessible=t("back"))
        self.next_button = button(t("next") + " ›", "Primary", accessible=t("next"))
        self.back_button.clicked.connect(self.on_back)
        self.next_button.clicked.connect(self.on_next)
        header = QHBoxLayout()
        header.setContentsMargins(24, 8, 24, 0)
        header.addWidget(self.title, 1)
        header.addWidget(self.position)
        footer = QHBoxLayout()
        footer.setContentsMargins(24, 8, 24, 12)
        footer.addWidget(self.back_button)
        footer.addStretch(1)
        footer.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.host, 1)
        layout.addLayout(footer)
        self._layout = layout
        self.show_page()
        # what the form's start changed is evaluated while the patient reads, not at the
        # first tap (the answers and what the form shows do not change)
        QTimer.singleShot(WARM_UP_MS, self, self.session.sheet.warm_up)

    def _on_first_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QLineEdit) and self.isAncestorOf(new):
            dock = self._keyboard_dock()
            dock.open(new)

    def _keyboard_dock(self) -> KeyboardDock:
        """The keyboard and its dock, built now if not yet (under the page, above the
        footer); from then on the dock opens it."""
        if self.dock is None:
            QApplication.instance().focusChanged.disconnect(self._on_first_focus)
            self.keyboard = OnScreenKeyboard(self.t)
            self._layout.insertWidget(self._layout.indexOf(self.host) + 1, self.keyboard)
            self.dock = KeyboardDock(self, self.keyboard, self._reveal)
            if self.screen is not None:
                self.dock.watch(self.screen)
        return self.dock

    def _reveal(self, widget: QWidget) -> None:
        if self.screen is not None and self.screen.isAncestorOf(widget):
            self.screen.reveal(widget)

    def show_page(self) -> None:
        page = self.session.page()
        screen = (QuestionScreen(self.session, self.t, page, self.allow_files)
                  if page is not None else None)
        self.host.show_screen(screen)
        self.screen = screen
        if self.dock is not None:
            if screen is not None:
                self.dock.watch(screen)
            self.dock.hide()
        n, total = self.session.position()
        self.position.setText(self.t("page_of", n=n, total=total))
        self.back_button.setEnabled(n > 1)
        last = self.session.is_last()
        self.next_button.setText(self.t("submit") if last else self.t("next") + " ›")
        self.page_shown.emit(page.link_id if page is not None else "")

    def _show_problems(self, problems) -> None:
        if self.screen is not None:
            shown = [Problem(p.link_id, p.key, p.values, p.path) for p in problems]
            first = self.screen.show_problems(shown)
            if first is not None:
                self.screen.reveal(first)

    def on_next(self) -> None:
        if self.session.is_last():
            response, problems = self.session.submit()
            if response is None:
                self.show_page()
                self._show_problems(problems)
                return
            self.submitted.emit(response)
            return
        problems = self.session.next()
        if problems:
            self._show_problems(problems)
            return
        self.show_page()

    def on_back(self) -> None:
        if self.session.back():
            self.show_page()

    def dispose(self) -> None:
        if self.dock is not None:
            self.dock.dispose()
        else:
            QApplication.instance().focusChanged.disconnect(self._on_first_focus)


def main(argv: list[str]) -> int:
    """Try a questionnaire file on screen; the response is printed on submit."""
    from kiosk.content.library import load_content
    from kiosk.questionnaire import load_questionnaire
    from kiosk.questionnaire.load_report import format_report
    from kiosk.ui.theme import apply_theme

    if len(argv) != 2:
        sys.stderr.write("usage: python -m kiosk.ui.form_runner QUESTIONNAIRE.json\n")
        return 2
    app = QApplication.instance() or QApplication(argv[:1])
    apply_theme(app)
    from kiosk.content.core_value_sets import standard_value_sets

    questionnaire = load_questionnaire(argv[1], value_sets=standard_value_sets())
    sys.stderr.write(format_report(questionnaire) + "\n")
    runner = FormRunner(questionnaire, load_content().strings("en"))
    runner.submitted.connect(lambda response: (
        sys.stdout.write(json.dumps(response, indent=2, default=str) + "\n"), app.quit()))
    runner.resize(1280, 800)
    runner.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
