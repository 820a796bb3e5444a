"""What the patient must see without hunting: whole dialog titles, a validation message
brought into view, the send button on the screen, buttons that stay under the finger
(issue 12.3, 12.5)."""

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.ui.theme import TEXT_SIZES, apply_theme
from tests.helpers.geometry import layout_problems

pytestmark = pytest.mark.gui

SIZES = pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])


@pytest.fixture
def themed(qapp):
    def use(text_size: float = 1.0, high_contrast: bool = False) -> None:
        apply_theme(qapp, text_size, high_contrast)
    yield use
    apply_theme(qapp)


@SIZES
@pytest.mark.parametrize("text_size", TEXT_SIZES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_start_over_question_is_shown_whole_at_every_text_size(
        patient, window, themed, size, text_size, language):
    themed(text_size)
    window.resize(*size)
    if language == "es":
        patient.tap(window.welcome.language_buttons.buttons()[1])
    patient.start()
    patient.tap(patient.flow.start_over)
    dialog = patient.flow.confirm_restart
    QApplication.processEvents()
    heading = dialog.heading
    assert heading.isVisible() and heading.text().startswith(("Start over?", "¿"))
    assert heading.heightForWidth(heading.width()) <= heading.height()
    assert dialog.dialog.geometry().top() >= 0
    assert dialog.dialog.geometry().bottom() <= dialog.height()
    assert layout_problems(dialog) == []
