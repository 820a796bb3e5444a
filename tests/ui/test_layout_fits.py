"""No control overlaps another and no text is cut off at the largest text size, in both
orientations and both themes (12.3); Back, Read aloud and Next stay apart and the progress
bar keeps its width at every text size, in both languages."""

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.records import Step, StepKind
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.theme import TEXT_SIZES
from tests.helpers.geometry import layout_problems

SIZES = pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
THEMES = pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high"])


@SIZES
@THEMES
@pytest.mark.parametrize("language", ["en", "es"])
def test_welcome_at_a_plus_plus_has_nothing_overlapping_or_cut_off(
        qtbot, content, themed, size, high_contrast, language):
    themed(1.5, high_contrast)
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


def footer_buttons(flow) -> list:
    row = flow.footer_row
    shown = [row.itemAt(i).widget() for i in range(row.count())]
    return sorted((w for w in shown if w is not None and w.isVisible()), key=lambda w: w.x())


def one_step_of_each_kind(session) -> list[Step]:
    seen: dict[StepKind, Step] = {}
    for step in session.steps():
        seen.setdefault(step.kind, step)
    return list(seen.values())


@SIZES
@THEMES
@pytest.mark.parametrize("text_size", TEXT_SIZES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_footer_buttons_keep_apart_and_the_progress_bar_its_width(
        window, themed, size, high_contrast, text_size, language):
    themed(text_size, high_contrast)
    window.resize(*size)
    window.start_patient(language)
    flow = window.flow
    fill_demo_session(flow.session)
    for step in one_step_of_each_kind(flow.session):
        flow.session.current = step
        flow.show_step()
        QApplication.processEvents()
        where = f"{step.kind.name}: "
        assert window.width() == size[0], where + "the window grew past the screen"
        buttons = footer_buttons(flow)
        assert len(buttons) >= 2, where + "Back and Next"
        for left, right in zip(buttons, buttons[1:], strict=False):
            gap = right.geometry().left() - left.geometry().right() - 1
            assert gap >= 16, where + f"{left.text()!r} and {right.text()!r} {gap} px apart"
        assert layout_problems(flow.footer) == [], where
        assert flow.footer.geometry().right() < window.width(), where
        assert flow.progress.width() >= 200, where + f"the bar is {flow.progress.width()} px"
        header = flow.progress.parentWidget()
        assert layout_problems(header) == [], where


@THEMES
def test_a_header_too_narrow_for_the_bar_gives_it_a_row_of_its_own(
        window, themed, high_contrast):
    """As on a kiosk whose fonts run a little wider than the test machine's: Spanish at
    A++ needs about 800 px for the bar, English and Start over on one row."""
    themed(1.5, high_contrast)
    window.resize(700, 1280)
    window.start_patient("es")
    flow = window.flow
    QApplication.processEvents()
    bar, start_over = flow.progress, flow.start_over
    assert window.width() == 700
    assert bar.width() >= 200
    assert bar.geometry().bottom() < start_over.geometry().top()  # a row of its own
    assert layout_problems(bar.parentWidget()) == []
    window.resize(1280, 800)  # turned: room again beside the buttons
    QApplication.processEvents()
    assert bar.geometry().top() < start_over.geometry().bottom()  # back in the row
    assert bar.geometry().right() < start_over.geometry().left()
    assert bar.width() >= 200
