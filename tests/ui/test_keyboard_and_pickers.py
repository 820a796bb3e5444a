"""Typing and picking as a patient expects (issue 12.7): Enter moves on, the keyboard
comes only when asked for, the year panel opens where birth years are, the unit is a
choice beside the number, the number pad has no calculator keys."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QScrollArea, QWidget

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.records import Step, StepKind
from kiosk.questionnaire import Quantity
from kiosk.ui.keyboard.qt_keyboard import SystemKeyboardDock
from kiosk.ui.widgets.date_field import ChoicePicker

pytestmark = pytest.mark.gui


def test_enter_moves_to_the_next_field_then_acts_as_next(patient, qtbot):
    patient.start()
    screen = patient.screen
    patient.type_into(screen.first_name, "Rosa")
    qtbot.keyClick(screen.first_name, Qt.Key.Key_Return)
    assert screen.last_name.hasFocus()
    assert patient.flow.keyboard.isVisible()  # the keyboard stays, now for the last name
    patient.type_into(screen.last_name, "Delgado")
    patient.pick(screen.birth.month, "March")
    patient.pick(screen.birth.day, "14")
    patient.pick(screen.birth.year, "1958")
    patient.choose("Nerve block")
    screen.last_name.setFocus()
    qtbot.keyClick(screen.last_name, Qt.Key.Key_Return)  # the last field: as Next
    patient.wait_written()
    assert patient.step.kind is StepKind.LEARN
    assert not patient.flow.keyboard.isVisible()


def test_enter_on_the_last_field_with_answers_missing_shows_why(patient, qtbot):
    patient.start()
    screen = patient.screen
    patient.type_into(screen.last_name, "Delgado")
    qtbot.keyClick(screen.last_name, Qt.Key.Key_Return)
    assert patient.step.kind is StepKind.CHECK_IN
    assert "Please type your first name." in patient.errors()


def _focused_text_field(window: QWidget) -> QLineEdit | None:
    focused = QApplication.focusWidget()
    return focused if isinstance(focused, QLineEdit) and window.isAncestorOf(focused) else None


def test_no_go_back_does_not_bring_the_keyboard_up(patient, window):
    patient.start()
    patient.type_into(patient.screen.first_name, "Rosa")
    patient.close_keyboard()
    patient.tap(patient.flow.start_over)
    no = next(b for b in patient.flow.confirm_restart.findChildren(QPushButton)
              if b.text() == "No, go back")
    patient.tap(no)
    QApplication.processEvents()
    assert not patient.flow.confirm_restart.isVisible()
    assert not patient.flow.keyboard.isVisible()
    assert _focused_text_field(window) is None
    assert patient.screen.first_name.text() == "Rosa"


def test_closing_a_picker_does_not_bring_the_keyboard_up(patient, window):
    patient.start()
    patient.pick(patient.screen.birth.month, "March")
    QApplication.processEvents()
    assert not patient.flow.keyboard.isVisible()
    assert _focused_text_field(window) is None


def _in_panel_view(picker: ChoicePicker, text: str) -> bool:
    entry = next(b for b in picker.entry_buttons() if b.text() == text)
    area = next(a for a in picker.panel.findChildren(QScrollArea))
    top = entry.mapTo(area.viewport(), entry.rect().topLeft())
    return area.viewport().rect().contains(entry.rect().translated(top))


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_the_year_panel_opens_on_the_usual_birth_years(patient, window, qtbot, size):
    window.resize(*size)
    patient.start()
    year = patient.screen.birth.year
    patient.tap(year)
    qtbot.waitUntil(lambda: year.panel is not None and year.panel.isVisible())
    QApplication.processEvents()
    assert _in_panel_view(year, "1970")
    assert not _in_panel_view(year, str(dt.date.today().year))
    assert _in_panel_view(year, "1958")  # a patient of 68 taps without dragging
    year.close_panel()


def _weight(patient):
    patient.start()
    fill_demo_session(patient.flow.session)
    patient.flow.session.current = Step(StepKind.QUESTIONS, link_id="health")
    patient.flow.show_step()
    QApplication.processEvents()
    return patient.screen.items["weight"]


def test_the_weight_unit_is_a_choice_beside_the_number(patient):
    weight = _weight(patient)
    assert not weight.findChildren(ChoicePicker)  # no second box that looks typed into
    pounds, kilos = weight.unit.buttons
    assert (pounds.text(), kilos.text()) == ("lb", "kg") and pounds.isChecked()
    def middle(widget):
        return widget.mapTo(weight, widget.rect().center()).y()
    assert abs(middle(kilos) - middle(weight.edit)) <= 2  # on the number's line
    weight.edit.clear()
    patient.tap(weight.edit)
    for digit in "70":
        patient.tap(patient.key(digit))
    patient.close_keyboard()
    patient.tap(kilos)
    assert kilos.isChecked() and not pounds.isChecked()
    answer = patient.flow.session.answers.get("weight")[0]
    assert isinstance(answer, Quantity) and (answer.value, answer.code) == (70.0, "kg")


def test_the_number_pad_asked_of_qt_virtual_keyboard_has_no_calculator_keys(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    room = QWidget(host)
    dock = SystemKeyboardDock(host, room, lambda widget: None)
    hints = Qt.InputMethodHint
    try:
        for properties in ({"digitsOnly": True}, {"digitsOnly": True, "decimal": True}):
            edit = QLineEdit(host)
            for name, value in properties.items():
                edit.setProperty(name, value)
            dock.open(edit)
            assert edit.inputMethodHints() & hints.ImhDigitsOnly
            assert not edit.inputMethodHints() & hints.ImhFormattedNumbersOnly
    finally:
        dock.dispose()


KEY_NAMES = {  # what a screen reader says for the function keys, by the patient's language
    "en": {"shift": "Shift", "space": "Space", "backspace": "Delete", "done": "Done",
           "point": "Decimal point"},
    "es": {"shift": "Mayúsculas", "space": "Espacio", "backspace": "Borrar", "done": "Listo",
           "point": "Punto decimal"},
}


def _keys_by_name(keyboard: QWidget) -> dict[str, str]:
    """Visible key id → its accessible name, read from the accessibility tree."""
    from tests.helpers.accessible import find_all, name

    return {node.object().property("keyId"): name(node) for node in find_all(keyboard)
            if node.object().property("keyId")}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_keyboard_keys_are_named_in_the_patients_language(window, qtbot, language):
    window.start_patient(language)
    flow = window.flow
    flow.screen.first_name.setFocus()
    qtbot.waitUntil(flow.keyboard.isVisible)
    keys = _keys_by_name(flow.keyboard)
    expected = KEY_NAMES[language]
    for key_id in ("shift", "space", "backspace", "done"):
        assert keys[key_id] == expected[key_id]
    # letters and digits say what they show: a capital while Shift is on (a name starts so)
    assert keys["1"] == "1"
    assert keys["ñ"] == "Ñ" and keys["q"] == "Q"
    flow.keyboard.shift_key.click()
    assert _keys_by_name(flow.keyboard)["q"] == "q"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_number_pad_keys_are_named_in_the_language_given(qtbot, content, language):
    from kiosk.ui.keyboard.kiosk_keyboard import OnScreenKeyboard

    keyboard = OnScreenKeyboard(content.strings(language))
    qtbot.addWidget(keyboard)
    weight = QLineEdit()
    qtbot.addWidget(weight)
    weight.setProperty("digitsOnly", True)
    weight.setProperty("decimal", True)
    keyboard.attach(weight)
    keyboard.show()
    keys = _keys_by_name(keyboard)
    expected = KEY_NAMES[language]
    assert {keys["point"], keys["backspace"], keys["done"]} == {
        expected["point"], expected["backspace"], expected["done"]}
    assert keys["7"] == "7"
