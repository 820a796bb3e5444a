"""Welcome: clinic name, a large Start button, the language choice.

Staff reach their sign-in by tapping the clinic name five times within three seconds
(or Ctrl+Shift+S on a keyboard); the README documents both.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.content.library import ContentLibrary
from kiosk.ui.theme import TEXT_SIZES
from kiosk.ui.touch import TapCounter, button, label


class WelcomeScreen(QWidget):
    start_requested = Signal(str)  # language code
    staff_requested = Signal()
    display_requested = Signal(float, bool)  # text size factor, high contrast

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
        self.heading = label(t("welcome_heading"), "WelcomeHeading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
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
            # ``chosen``, not ``clicked``: the accessibility Toggle action changes it too
            choice.chosen.connect(lambda on, c=code: on and self.set_language(c))
            choice.setProperty("language", code)
            self.language_buttons.addButton(choice)
            languages.addWidget(choice)
        languages.addStretch(1)

        display = QHBoxLayout()
        display.addStretch(1)
        self.text_size_label = label(t("text_size"), "Muted", wrap=False)
        display.addWidget(self.text_size_label)
        self.size_buttons = QButtonGroup(self)
        for step, (factor, glyph) in enumerate(zip(TEXT_SIZES, ("A", "A+", "A++"), strict=True)):
            size = button(glyph, "Toggle", accessible=t(f"text_size_{step}"))
            size.setProperty("step", step)
            size.setCheckable(True)
            size.setChecked(step == 0)
            size.chosen.connect(lambda on, f=factor: on and self._on_display(text_size=f))
            self.size_buttons.addButton(size)
            display.addWidget(size)
        self.contrast = button(t("high_contrast"), "Toggle")
        self.contrast.setCheckable(True)
        self.contrast.chosen.connect(lambda checked: self._on_display(contrast=checked))
        display.addStretch(1)
        contrast_row = QHBoxLayout()  # its own row: the sizes still fit 800 px at A++
        contrast_row.addStretch(1)
        contrast_row.addWidget(self.contrast)
        contrast_row.addStretch(1)
        self.text_size = 1.0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 16, 48, 12)
        self.demo_marker = label(t("demo_marker"), "DemoMarker")
        self.demo_marker.setVisible(demo)
        layout.addWidget(self.clinic_name)
        layout.addWidget(self.demo_marker)  # its own line: fits 800 px portrait
        layout.addStretch(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addSpacing(16)
        layout.addWidget(self.start, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)  # the chosen language and Start never touch (one yellow block)
        layout.addLayout(languages)  # next to Start: the first thing a patient may need
        layout.addStretch(3)
        layout.addLayout(display)
        layout.addLayout(contrast_row)
        self._display_row, self._contrast_row = display, contrast_row
        self._contrast_beside = False

    def resizeEvent(self, event) -> None:  # noqa: N802
        # Wide (landscape): high contrast beside the text sizes, a row saved so Start and
        # the language buttons do not overlap at A++ on 800 px; narrow: its own row.
        beside = event.size().width() >= self.CONTRAST_BESIDE_FROM
        if beside != self._contrast_beside:
            self._contrast_beside = beside
            source, target = ((self._contrast_row, self._display_row) if beside
                              else (self._display_row, self._contrast_row))
            source.removeWidget(self.contrast)
            target.insertWidget(target.count() - 1, self.contrast)  # before the end stretch
        super().resizeEvent(event)

    CONTRAST_BESIDE_FROM = 1000  # px of width

    def _on_display(self, text_size: float | None = None, contrast: bool | None = None) -> None:
        if text_size is not None:
            self.text_size = text_size
        self.display_requested.emit(self.text_size, self.contrast.isChecked()
                                    if contrast is None else contrast)

    def reset_display(self) -> None:
        """Back to the default look for the next patient."""
        self.text_size = 1.0
        self.size_buttons.buttons()[0].show_answer(True)
        self.contrast.show_answer(False)

    def set_language(self, code: str) -> None:
        """Switch the Welcome text now; the session starts in this language."""
        self.language = code
        for choice in self.language_buttons.buttons():
            choice.show_answer(choice.property("language") == code)
        t = self.content.strings(code)
        self.heading.setText(t("welcome_heading"))
        self.intro.setText(t("welcome_body"))
        self.start.setText(t("start"))
        self.start.setAccessibleName(t("start"))
        self.language_label.setText(t("language_label"))
        self.text_size_label.setText(t("text_size"))
        self.contrast.setText(t("high_contrast"))
        self.contrast.setAccessibleName(t("high_contrast"))  # what a screen reader says too
        for size in self.size_buttons.buttons():
            size.setAccessibleName(t(f"text_size_{size.property('step')}"))


if __name__ == "__main__":
    from kiosk.content.library import load_content
    from kiosk.ui.preview import preview_widget

    preview_widget(lambda: WelcomeScreen(load_content()))
