"""Thank you, and a calm error screen for when the answers could not be saved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal

from kiosk.content.catalogue import Catalogue
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import button, label


class MessageScreen(Screen):
    """A centred heading, a sentence and one large button."""

    acted = Signal()

    def __init__(self, t: Catalogue, heading: str, body: str, action: str) -> None:
        super().__init__(None, t)
        self.body.addStretch(1)
        for text, name in ((heading, "Heading"), (body, "Body")):
            widget = label(text, name)
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.body.addWidget(widget)
        self.body.addSpacing(32)
        self.action = button(action, "Start")
        self.action.clicked.connect(self.acted)
        self.body.addWidget(self.action, 0, Qt.AlignmentFlag.AlignHCenter)
        self.body.addStretch(2)


def thanks_screen(t: Catalogue) -> MessageScreen:
    return MessageScreen(t, t("thanks_heading"), t("thanks_body"), t("thanks_done"))


def storage_error_screen(t: Catalogue) -> MessageScreen:
    return MessageScreen(t, t("error_storage_heading"), t("error_storage_body"), t("try_again"))


if __name__ == "__main__":
    from kiosk.ui.preview import preview_screen

    preview_screen(lambda service, t: thanks_screen(t))
