"""Welcome: clinic name, a large Start button, the language choice.

Staff reach their sign-in by tapping the clinic name five times within three seconds
(or Ctrl+Shift+S on a keyboard); the README documents both.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.content_library import ContentLibrary
from kiosk.ui.touch import TapCounter, button, label


class WelcomeScreen(QWidget):
    start_requested = Signal(str)  # language code
    staff_requested = Signal()

    def __init__(self, content: ContentLibrary, language: str = "en", demo: bool = False) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.content = content
        self.language = language
        t = content.strings(language)
        self.clinic_name = TapCounter(content.clinic.clinic_name)
        self.clinic_name.setObjectName("ClinicName")
        self.clinic_name.setAccessibleName(content.clinic.clinic_name)
        self.clinic_name.triggered.connect(self.staff_requested)
        self.heading = label(t("welcome_heading"), "Heading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setStyleSheet("font-size: 48px;")
        self.intro = label(t("welcome_body"), "Body")
        self.intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.start = button(t("start"), "Start")
        self.start.clicked.connect(lambda: self.start_requested.emit(self.language))

        languages = QHBoxLayout()
        languages.addStretch(1)
        self.language_label = label(t("language_label"), "Muted", wrap=False)
        languages.addWidget(self.language_label)
        self.language_buttons = QButtonGroup(self)
        for code, catalogue in content.catalogues.items():
            choice = button(catalogue.language_name, "Language", accessible=catalogue.language_name)
            choice.setCheckable(True)
            choice.setChecked(code == language)
            choice.clicked.connect(lambda _=False, c=code: self.set_language(c))
            self.language_buttons.addButton(choice)
            languages.addWidget(choice)
        languages.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        self.demo_marker = label(t("demo_marker"), "DemoMarker", wrap=False)
        self.demo_marker.setVisible(demo)
        header = QHBoxLayout()
        header.addWidget(self.clinic_name)
        header.addStretch(1)
        header.addWidget(self.demo_marker)
        layout.addLayout(header)
        layout.addStretch(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addSpacing(40)
        layout.addWidget(self.start, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        layout.addLayout(languages)

    def set_language(self, code: str) -> None:
        """Switch the Welcome text now; the session starts in this language."""
        self.language = code
        t = self.content.strings(code)
        self.heading.setText(t("welcome_heading"))
        self.intro.setText(t("welcome_body"))
        self.start.setText(t("start"))
        self.start.setAccessibleName(t("start"))
        self.language_label.setText(t("language_label"))


if __name__ == "__main__":
    from kiosk.content_library import load_content
    from kiosk.ui.preview import preview_widget

    preview_widget(lambda: WelcomeScreen(load_content()))
