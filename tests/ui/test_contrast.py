"""Every text colour of both themes on what it is drawn over meets WCAG AA (4.5:1), and a
chosen answer stands apart from an unchosen one (3:1 and a check mark) (12.4)."""

import pytest
from PySide6.QtGui import QColor

from kiosk.ui.contrast import chosen_fill_contrast, contrast, text_pairs
from kiosk.ui.theme import apply_theme, stylesheet
from kiosk.ui.touch import CardButton, ChoiceButton

THEMES = pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high"])


@THEMES
def test_every_text_colour_of_the_theme_meets_4_5_to_1(high_contrast):
    pairs = text_pairs(stylesheet(1.0, high_contrast))
    assert len(pairs) > 50  # the sheet was read, not skipped
    failing = [str(p) for p in pairs if p.ratio < 4.5]
    assert failing == []


@THEMES
def test_the_step_text_is_readable_over_the_fill_and_the_empty_bar(high_contrast):
    progress = [p for p in text_pairs(stylesheet(1.0, high_contrast))
                if p.selector == "QProgressBar"]
    assert len(progress) == 2  # over the groove and over the chunk
    assert min(p.ratio for p in progress) >= 4.5


def test_the_check_is_the_check_it_claims():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    bad = "QLabel#X { color: #cccccc; } #Screen { background: #ffffff; }"
    assert [p.ratio < 4.5 for p in text_pairs(bad)] == [True]


@THEMES
@pytest.mark.parametrize("selector", ["QPushButton#Choice", "QPushButton#Card",
                                      "QPushButton#Number", "QPushButton#Language",
                                      "QPushButton#Toggle", "QPushButton#PickerEntry"])
def test_a_chosen_answer_fill_stands_3_to_1_from_an_unchosen_one(high_contrast, selector):
    assert chosen_fill_contrast(stylesheet(1.0, high_contrast), selector) >= 3.0


@THEMES
@pytest.mark.parametrize("make", [lambda: ChoiceButton("Yes"),
                                  lambda: CardButton("Nerve block", "A numbing injection")],
                         ids=["choice", "card"])
def test_a_chosen_answer_shows_a_check_mark_and_a_different_fill(
        qtbot, qapp, high_contrast, make):
    apply_theme(qapp, 1.0, high_contrast)
    try:
        widget = make()
        qtbot.addWidget(widget)
        widget.resize(500, 120)
        widget.show()
        qtbot.waitExposed(widget)
        before = widget.grab().toImage()
        assert widget.mark.text() == ""
        widget.click()
        assert widget.isChecked() and widget.mark.text() == "\u2714"
        assert widget.mark.isVisible()
        after = widget.grab().toImage()
        point = (widget.width() - 60, widget.height() // 2)  # fill, clear of text and mark
        fill_before = QColor(before.pixel(*point)).name()
        fill_after = QColor(after.pixel(*point)).name()
        assert contrast(fill_before, fill_after) >= 3.0, (fill_before, fill_after)
        widget.click()
        assert widget.mark.text() == ""
    finally:
        apply_theme(qapp)


def test_high_contrast_draws_no_pale_box_behind_a_label():
    """The theme is light text on black: a pale panel (the DEMO marker was light yellow) is
    a glare patch a low-vision patient's eyes must adapt to, and breaks the theme."""
    from kiosk.ui.contrast import Resolved, luminance

    resolved = Resolved(stylesheet(1.0, True))
    labels = {selector for selector, _ in resolved.rules
              if selector.startswith("QLabel#") and ":" not in selector and "[" not in selector}
    assert "QLabel#DemoMarker" in labels
    pale = [selector for selector in sorted(labels)
            if luminance(resolved.background(selector)) > 0.2]
    assert pale == []
