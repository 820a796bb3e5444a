"""The staff queue at every text size, orientation and theme: every filter's name and the
choice it shows are whole, and the Flags column is in view in portrait too (issue 12.9)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
from kiosk.ui.staff.queue import FLAGS_COLUMN, QueueScreen
from kiosk.ui.theme import apply_theme
from tests.helpers.staff import signed_in

pytestmark = pytest.mark.gui

SIZES = pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
THEMES = pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high"])
TEXT = pytest.mark.parametrize("text_size", [1.0, 1.5], ids=["default", "largest"])


@pytest.fixture
def queue(qtbot, qapp, tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    session = IntakeSession(content)
    fill_demo_session(session, "Maria", "Santos")  # the demo answers raise flags
    session.confirm(True)
    store.submit(session.build_submission())
    actor = signed_in(store)

    def make(size, text_size=1.0, high_contrast=False):
        apply_theme(qapp, text_size, high_contrast)
        screen = QueueScreen(store, content, content.strings("en"), actor, tmp_path)
        qtbot.addWidget(screen)
        screen.setFixedSize(*size)
        screen.show()
        qtbot.waitExposed(screen)
        screen.reload()
        settle()
        return screen

    yield make
    apply_theme(qapp)
    store.close()


def settle():
    for _ in range(4):  # a change of height climbs one layout a round
        QApplication.processEvents()


def whole_choice(combo) -> bool:
    """The combo's chosen entry as drawn: every line within the text's box."""
    box = combo.text_rect()
    metrics = combo.fontMetrics()
    lines = combo.shown_lines()
    return (" ".join(lines).replace("- ", "-") == " ".join(combo.currentText().split())
            and all(metrics.horizontalAdvance(line) <= box.width() for line in lines)
            and len(lines) * metrics.lineSpacing() <= box.height())


@SIZES
@THEMES
@TEXT
def test_every_filter_name_and_choice_is_whole(queue, size, high_contrast, text_size):
    screen = queue(size, text_size, high_contrast)
    bar = screen.filters
    assert bar.width() <= screen.page.viewport().width()  # nothing beyond the right edge
    for caption in bar.captions():
        assert caption.isVisible()
        assert caption.sizeHint().width() <= caption.width(), caption.text()
        assert caption.sizeHint().height() <= caption.height(), caption.text()
    for combo in (bar.flag, bar.status, bar.period):
        for index in range(combo.count()):
            combo.setCurrentIndex(index)
            settle()
            assert whole_choice(combo), (combo.accessibleName(), combo.currentText())
        combo.setCurrentIndex(0)
    for tool in screen.tools:
        assert tool.sizeHint().width() <= tool.width(), tool.text()
        assert tool.geometry().right() <= tool.parentWidget().width()


def test_a_choice_wider_than_its_filter_wraps_instead_of_being_cut(queue):
    screen = queue((800, 1280), 1.5)
    flag = screen.filters.flag
    flag.setCurrentIndex(flag.findText("Bleeding supplement + high-bleeding-risk procedure"))
    settle()
    assert len(flag.shown_lines()) >= 2
    assert whole_choice(flag)


@THEMES
@TEXT
def test_portrait_shows_whether_an_intake_is_flagged(queue, high_contrast, text_size):
    screen = queue((800, 1280), text_size, high_contrast)
    table = screen.table
    assert not table.isColumnHidden(FLAGS_COLUMN)
    header = table.horizontalHeader()
    left = header.sectionViewportPosition(FLAGS_COLUMN)
    assert left >= 0 and left + header.sectionSize(FLAGS_COLUMN) <= table.viewport().width()
    assert table.model().headerData(FLAGS_COLUMN, Qt.Orientation.Horizontal) == "Flags"
    shown = table.model().index(0, FLAGS_COLUMN).data()
    assert shown.startswith(tuple("123456789")) and "Blood thinner" in shown
    # the birth date the hidden column held is under the name
    name = table.model().index(0, 1).data()
    assert name.splitlines() == ["Santos, Maria", "1961-04-12"]


def test_landscape_keeps_every_column_in_place(queue):
    screen = queue((1280, 800))
    table = screen.table
    assert [table.horizontalHeader().visualIndex(c) for c in range(6)] == list(range(6))
    assert not any(table.isColumnHidden(c) for c in range(6))
    assert table.model().index(0, 1).data() == "Santos, Maria"
