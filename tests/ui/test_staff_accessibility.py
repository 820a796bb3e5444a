"""Staff screens by keyboard and by accessibility actions: a queue row opens with Return,
Space or the action on its cell (not only a mouse click); the filters are labelled."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from kiosk.staff.access import COMMAND_LINE
from tests.helpers.accessible import TOGGLE, act, find_all
from tests.helpers.staff import StaffUser
from tests.ui.test_staff import PIN, submit_intake

pytestmark = pytest.mark.gui


@pytest.fixture
def area(qtbot, window):
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    submit_intake(window, "Older", "Patient")
    submit_intake(window, "Rosa", "Delgado")
    return StaffUser(qtbot, window).sign_in("Kim", PIN)


def back_to_queue(qtbot, area):
    qtbot.mouseClick(area.detail.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: area.queue is not None and area.queue.isVisible())


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_a_queue_row_opens_with_a_key(area, qtbot, key):
    table = area.queue.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, 1))  # the older one, by the arrow keys
    assert area.detail is None  # moving along the rows opens nothing
    QTest.keyClick(table, key)
    qtbot.waitUntil(lambda: area.detail is not None and area.detail.isVisible())
    assert "Patient" in area.detail.summary.toPlainText()


def test_a_queue_row_opens_with_the_accessibility_action_on_its_cell(area, qtbot):
    table = area.queue.table
    cells = find_all(table, QAccessible.Role.Cell, "Delgado, Rosa")
    assert cells
    act(cells[0], TOGGLE)
    qtbot.waitUntil(lambda: area.detail is not None and area.detail.isVisible())
    assert "Delgado" in area.detail.summary.toPlainText()


def test_every_filter_has_a_visible_label_that_names_it(area):
    filters = area.queue.filters
    fields = [w for w in filters.findChildren(QWidget)
              if isinstance(w, QComboBox | QLineEdit) and w.isVisibleTo(filters)
              and not w.objectName().startswith("qt_")]
    assert len(fields) >= 5
    buddies = {label.buddy(): label.text() for label in filters.findChildren(QLabel)
               if label.buddy() is not None and label.isVisibleTo(filters)}
    for field in fields:
        assert buddies.get(field) == field.accessibleName() != "", field
