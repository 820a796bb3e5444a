"""No control overlaps another and no text is cut off at the largest text size, in both
orientations and both themes (12.3)."""

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.theme import apply_theme
from tests.helpers.geometry import layout_problems

SIZES = pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
THEMES = pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high"])


@pytest.fixture
def largest_text(qapp):
    def use(high_contrast: bool) -> None:
        apply_theme(qapp, 1.5, high_contrast)
    yield use
    apply_theme(qapp)


@SIZES
@THEMES
@pytest.mark.parametrize("language", ["en", "es"])
def test_welcome_at_a_plus_plus_has_nothing_overlapping_or_cut_off(
        qtbot, content, largest_text, size, high_contrast, language):
    largest_text(high_contrast)
    welcome = WelcomeScreen(content, language)
    qtbot.addWidget(welcome)
    welcome.contrast.setChecked(high_contrast)  # chosen: the bold-or-not width matters
    welcome.size_buttons.buttons()[2].setChecked(True)
    welcome.setFixedSize(*size)
    welcome.show()
    qtbot.waitExposed(welcome)
    QApplication.processEvents()
    assert layout_problems(welcome) == []
    gap = welcome.language_buttons.buttons()[0].geometry().top() - welcome.start.geometry().bottom()
    assert gap >= 8  # Start and the chosen language never read as one block
