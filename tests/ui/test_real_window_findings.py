"""What the real-window screenshots of every screen showed wrong (issue 12), each checked on
the real widgets in both themes and orientations:

- the fill's moving dark edge ran through "Step 15 of 27" halfway through the intake;
- in portrait the date panel's seventh column of days was cut off at the dialog's edge;
- in high contrast at A++ the kiosk's own keyboard pushed Next below a 800 px screen.
"""

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QScrollArea

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.records import Step, StepKind

pytestmark = pytest.mark.gui

SIZES = pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
THEMES = pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high"])
TEXT_SIZES = pytest.mark.parametrize("text_size", [1.0, 1.5], ids=["A", "A++"])


def near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 40


@SIZES
@THEMES
@TEXT_SIZES
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_fill_never_runs_through_the_step_text(window, themed, size, high_contrast,
                                                   text_size, language):
    themed(text_size, high_contrast)
    window.resize(*size)
    window.start_patient(language)
    bar = window.flow.progress
    bar.setRange(0, 27)
    bar.setValue(27)
    QApplication.processEvents()
    fill = QColor(bar.grab().toImage().pixel(8, bar.height() // 2))  # the full bar's colour
    for value in range(1, 27):
        bar.setRange(0, 27)
        bar.setValue(value)
        bar.setFormat(window.flow.t("progress", n=value, total=27))
        QApplication.processEvents()
        picture = bar.grab().toImage()
        metrics = bar.fontMetrics()
        words = metrics.horizontalAdvance(bar.text())
        # where the words are drawn (centred), and a little room round them
        text = QRect((bar.width() - words) // 2 - 4, (bar.height() - metrics.ascent()) // 2,
                     words + 8, metrics.ascent())
        assert bar.width() - words >= 2 * 24, f"{bar.text()!r} fills its bar"
        filled = sum(near(QColor(picture.pixel(x, y)), fill)
                     for x in range(text.left(), text.right())
                     for y in range(text.top(), text.bottom()))
        assert filled == 0, f"the fill shows through {bar.text()!r}"


@SIZES
@THEMES
@TEXT_SIZES
@pytest.mark.parametrize("which", ["month", "day", "year"])
def test_every_date_panel_entry_is_whole_inside_its_dialog(window, themed, size,
                                                           high_contrast, text_size, which):
    themed(text_size, high_contrast)
    window.resize(*size)
    window.start_patient("es")
    flow = window.flow
    fill_demo_session(flow.session)
    flow.session.current = Step(StepKind.CHECK_IN)
    flow.show_step()
    picker = getattr(flow.screen.birth, which)
    picker.open_panel()
    QApplication.processEvents()
    dialog = picker.panel.dialog
    inside = dialog.rect().adjusted(8, 0, -8, 0)
    area = dialog.findChild(QScrollArea)
    assert area.widget().width() <= area.viewport().width()
    cut = []
    for entry in area.widget().findChildren(type(picker.panel.buttons.itemAt(0).widget())):
        box = QRect(entry.mapTo(dialog, QPoint(0, 0)), entry.size())
        if box.left() < inside.left() or box.right() > inside.right():
            cut.append(entry.text())
    assert cut == []
    assert window.rect().contains(QRect(dialog.mapTo(window, QPoint(0, 0)), dialog.size()))


@SIZES
@THEMES
@TEXT_SIZES
@pytest.mark.parametrize("language", ["en", "es"])
def test_with_the_kiosk_keyboard_open_the_screen_still_fits_the_window(
        window, themed, size, high_contrast, text_size, language):
    """High contrast at A++: the keys' thicker border made the kiosk's keyboard 12 px
    taller, and the window needed 1280x810: Next was cut off a 800 px screen."""
    themed(text_size, high_contrast)
    window.resize(*size)
    window.start_patient(language)
    flow = window.flow
    flow.screen.first_name.setFocus()
    flow.screen.first_name.setText("Maria")
    QApplication.processEvents()
    assert flow.keyboard.isVisible()
    needed = window.minimumSizeHint()
    assert needed.width() <= size[0] and needed.height() <= size[1], needed
    assert window.size().height() == size[1]
