"""Drives the kiosk the way a patient does: taps on the real widgets, nothing else."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractButton,
    QLineEdit,
    QPushButton,
    QWidget,
)

from kiosk.intake.records import StepKind
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.touch import CardButton, ChoiceButton
from kiosk.ui.widgets.date_field import ChoicePicker
from tests.helpers.taps import pick, scroll_to, tap


class Patient:
    def __init__(self, qtbot, window: KioskWindow) -> None:
        self.qtbot = qtbot
        self.window = window

    # -- basics -----------------------------------------------------------------------------
    @property
    def flow(self):
        assert self.window.flow is not None, "no patient session is open"
        return self.window.flow

    @property
    def screen(self):
        return self.flow.screen

    @property
    def step(self):
        return self.flow.session.current

    def tap(self, widget: QWidget) -> None:
        tap(self.qtbot, widget)

    def start(self) -> None:
        self.tap(self.window.welcome.start)
        self.qtbot.waitUntil(lambda: self.window.flow is not None)

    def next(self) -> None:
        self.tap(self.flow.next_button)
        self.wait_written()

    def wait_written(self) -> None:
        """Wait until the step the patient asked for is shown (it waits for the writes)."""
        flow = self.flow
        self.qtbot.waitUntil(lambda: not flow.waiting, timeout=10_000)

    def back(self) -> None:
        self.tap(self.flow.back_button)

    def visible_texts(self) -> list[str]:
        return [w.text() for w in self.screen.findChildren(QWidget)
                if w.isVisible() and hasattr(w, "text") and callable(w.text)]

    def errors(self) -> list[str]:
        from PySide6.QtWidgets import QLabel

        return [w.text() for w in self.screen.findChildren(QLabel)
                if w.objectName() == "Error" and w.isVisible()]

    # -- typing on the on-screen keyboard ---------------------------------------------------
    def key(self, key_id: str) -> QPushButton:
        """The visible key ``key_id``: a letter or digit ("q", "7"), or "space", "shift",
        "backspace", "point", "done" (its accessible name is in the patient's language)."""
        for key in self.flow.keyboard.findChildren(QPushButton):
            if key.property("keyId") == key_id and key.isVisible():
                return key
        raise AssertionError(f"no visible key {key_id!r}")

    def type_into(self, edit: QLineEdit, text: str) -> None:
        self.tap(edit)
        self.qtbot.waitUntil(self.flow.keyboard.isVisible)
        shift = self.flow.keyboard.shift_key
        for char in text:
            if char == " ":
                self.tap(self.key("space"))
                continue
            if char.isalpha() and char.isupper() != shift.isChecked():
                self.tap(shift)
            self.tap(self.key(char.lower()))
        assert edit.text().endswith(text), (edit.text(), text)

    def close_keyboard(self) -> None:
        self.tap(self.key("done"))

    # -- lists and choices ------------------------------------------------------------------
    def pick(self, picker: ChoicePicker, text: str) -> None:
        pick(self.qtbot, picker, text)

    def buttons(self, kind=QAbstractButton) -> list:
        return [b for b in self.screen.findChildren(kind) if b.isVisible()]

    def choose(self, text: str, within: str | None = None) -> None:
        """Tap the visible answer or card labelled ``text`` (under question ``within``)."""
        root = self.screen.items[within] if within else self.screen
        for choice in root.findChildren(ChoiceButton):
            if choice.isVisible() and choice.label_text() == text:
                self.tap(choice)
                return
        for card in root.findChildren(CardButton):
            if card.isVisible() and card.title.text() == text:
                self.tap(card)
                return
        for plain in root.findChildren(QPushButton):
            if plain.isVisible() and plain.text() == text:
                self.tap(plain)
                return
        raise AssertionError(f"no visible answer {text!r}")

    def answer_yes_no(self, link_id: str, yes: bool) -> None:
        self.choose("Yes" if yes else "No", within=link_id)

    # -- whole steps --------------------------------------------------------------------------
    def check_in(self, first: str, last: str, born: dt.date, procedure: str) -> None:
        screen = self.screen
        self.type_into(screen.first_name, first)
        self.type_into(screen.last_name, last)
        self.close_keyboard()
        self.pick(screen.birth.month, born.strftime("%B"))
        self.pick(screen.birth.day, str(born.day))
        self.pick(screen.birth.year, str(born.year))
        self.choose(procedure)
        self.next()

    def read_explanation(self, checks: bool = True) -> int:
        """Tap Next through every explanation page (and answer the understanding checks
        right, unless ``checks`` is false); returns how many pages there were."""
        pages = 0
        while self.step.kind is StepKind.LEARN:
            pages += 1
            self.next()
        if checks:
            self.answer_checks()
        return pages

    def answer_checks(self, wrong: int | None = None) -> list[bool]:
        """Answer each understanding check (the right answer, or "I am not sure" for the
        ``wrong``-th); returns whether each verdict on screen said "That's right."."""
        verdicts = []
        number = 0
        while self.step.kind is StepKind.TEACH_BACK:
            check = self.screen.check
            text = ("I am not sure" if number == wrong
                    else check.option_text(check.correct, "en"))
            self.choose(text)
            verdicts.append(self.screen.feedback_texts()[0] == "That's right.")
            number += 1
            self.next()
        return verdicts

    def answer_area(self, area: str = "Lower back") -> None:
        """The questionnaire's first page: where on the body the procedure is."""
        assert self.step.link_id == "procedure-area"
        self.choose(area)
        self.next()

    def type_answer(self, link_id: str, text: str) -> None:
        widget = self.screen.items[link_id]
        self.type_into(widget.edit, text)
        self.close_keyboard()

    def sign(self) -> None:
        """Draw a signature on the Confirm screen's pad with a finger."""
        from PySide6.QtCore import QPoint, Qt

        pad = self.screen.pad
        scroll_to(pad)
        self.qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(40, 120))
        for x, y in ((90, 60), (140, 130), (200, 70), (260, 120)):
            self.qtbot.mouseMove(pad, QPoint(x, y))
        self.qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(260, 120))

    def tap_number(self, link_id: str, number: int) -> None:
        widget = self.screen.items[link_id]
        self.tap(widget.buttons[number])
