"""The button with keyboard focus is seen (WCAG 2.4.7): its border changes, in both
themes, on each kind of kiosk button."""

import pytest
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui.contrast import contrast
from kiosk.ui.theme import stylesheet
from kiosk.ui.touch import CardButton, ChoiceButton, button

THEMES = pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high"])
KINDS = pytest.mark.parametrize("make", [
    lambda: button("Next", "Primary"), lambda: button("Start over", "Quiet"),
    lambda: button("Back"), lambda: ChoiceButton("Yes"),
    lambda: CardButton("Nerve block", "A numbing injection"),
], ids=["primary", "quiet", "plain", "choice", "card"])


@THEMES
@KINDS
def test_a_focused_button_looks_different_from_an_unfocused_one(qtbot, themed,
                                                                high_contrast, make):
    themed(high_contrast=high_contrast)
    host = QWidget()
    host.setObjectName("Screen")
    qtbot.addWidget(host)
    row = QHBoxLayout(host)
    target, other = make(), button("Other")
    row.addWidget(target)
    row.addWidget(other)
    host.resize(700, 140)
    with qtbot.waitActive(host):
        host.show()
        host.activateWindow()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    resting = target.grab().toImage()
    target.setFocus()
    qtbot.waitUntil(target.hasFocus)
    assert target.grab().toImage() != resting


def test_the_focus_border_stands_apart_from_the_resting_one():
    assert contrast("#0d3b66", "#9fb3c8") >= 3.0  # normal theme: navy over the grey-blue
    assert contrast("#00ffff", "#000000") >= 3.0  # high contrast: cyan on black


def test_the_rule_between_staff_detail_sections_is_seen():
    """WCAG 1.4.11: the separator between sections, on the page and on a section."""
    sheet = stylesheet(1.0)
    assert "border-top: 3px solid #6b7d90" in sheet
    assert contrast("#6b7d90", "#f6f8fa") >= 3.0 and contrast("#6b7d90", "#ffffff") >= 3.0
    assert "border-top: 3px solid #ffffff" in stylesheet(1.0, True)  # white on black
