"""The staff filters' combo boxes show a down arrow (issue 12, seen in the real-window
screenshots: the stylesheet's wide drop-down left them blank, so they looked like plain
text boxes, in both themes)."""

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

from kiosk.ui.theme import apply_theme
from kiosk.ui.widgets.wrapping_combo import WrappingComboBox

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("high_contrast", [False, True])
def test_a_combo_box_draws_its_arrow_in_the_text_colour(qtbot, qapp, high_contrast):
    apply_theme(qapp, 1.0, high_contrast)
    try:
        combo = WrappingComboBox()
        combo.addItems(["All dates", "Today"])
        combo.setMinimumHeight(56)
        qtbot.addWidget(combo)
        combo.resize(300, 56)
        combo.show()
        qtbot.waitExposed(combo)
        picture = combo.grab().toImage()
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        box = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxArrow, combo)
        assert box.width() >= 24
        ink = combo.palette().color(combo.foregroundRole())
        near = 0
        for x in range(box.left(), box.right()):
            for y in range(box.top(), box.bottom()):
                seen = QColor(picture.pixel(x, y))
                near += (abs(seen.red() - ink.red()) + abs(seen.green() - ink.green())
                         + abs(seen.blue() - ink.blue())) < 90
        assert near >= 20, "no arrow drawn in the drop-down part"
    finally:
        apply_theme(qapp)
