"""Items without an answer: text, help, groups, and what the kiosk cannot ask."""

from __future__ import annotations

from kiosk.content.catalogue import Catalogue
from kiosk.questionnaire import Item
from kiosk.questionnaire.answering import Answerer
from kiosk.questionnaire.instances import Path
from kiosk.ui.touch import label
from kiosk.ui.widgets.items.base import ItemWidget, QuestionWidget

#: before help text: U+2139 INFORMATION SOURCE, which DejaVu Sans (fonts-dejavu-core) has;
#: the circled ⓘ (U+24D8) is in none of the fonts the kiosk installs and showed as a box.
HELP_MARK = "\u2139"


class NoticeWidget(QuestionWidget):
    """Items the kiosk cannot take an answer for: said plainly, never a crash."""

    def build_control(self) -> None:
        self.layout_.addWidget(label(self.t("unsupported_item"), "Notice"))


class DisplayWidget(ItemWidget):
    def __init__(self, item: Item, answers: Answerer, t: Catalogue, help_text: bool,
                 path: Path = ()) -> None:
        super().__init__(item, answers, t, path)
        self.help_text = help_text
        if help_text:
            self.words = label("", "Muted")
        else:
            self.words = label("", "Notice" if item.display_category == "instructions" else "Body")
        self.refresh_text()
        self.layout_.addWidget(self.words)

    def refresh_text(self) -> None:
        """Show the text as it is now (a form may compute it: cqf-expression)."""
        shown = self.sheet.text_of(self.item)
        self.words.setText(f"{HELP_MARK} {shown}" if self.help_text else shown)


class GroupWidget(ItemWidget):
    def __init__(self, item: Item, answers: Answerer, t: Catalogue, top: bool,
                 path: Path = (), heading: str | None = None) -> None:
        super().__init__(item, answers, t, path)
        text = heading if heading is not None else item.text
        if text and not top:
            self.layout_.addWidget(label(text, "SubHeading"))
