"""An on-screen keyboard for the few text fields: letters for names, digits for numbers.

It types into whichever QLineEdit has focus; its keys never take focus themselves.
On a real display patients get Qt Virtual Keyboard (see ``system_keyboard.py``);
this one serves where that cannot show (offscreen: the tests tap it like a patient would;
no plugin; ``--keyboard kiosk``) and on the staff screens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.catalogue import Catalogue

# The last letter row is the language's own (``keyboard.extra_row`` in its catalogue:
# accented letters for names and words such as José, Núñez, Argüello).
LETTER_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm-.,")
DIGIT_ROWS = ("123", "456", "789")
_AUTO_SHIFT_AFTER = (" ", "-", "'")


class OnScreenKeyboard(QWidget):
    done = Signal()

    def __init__(self, t: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KeyboardPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._target: QLineEdit | None = None
        self._letter_keys: list[QPushButton] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        # The stack joins this widget before it gets pages: a page added to a layout with
        # no widget yet is a window of its own for a moment, and takes activation from the
        # kiosk's window (focus on text fields then fails).
        self._stack = QStackedLayout()
        outer.addLayout(self._stack)
        self._stack.addWidget(self._build_letters(t))
        self._stack.addWidget(self._build_digits(t))

    # -- building ---------------------------------------------------------------------------
    def _key(self, text: str, key_id: str, name: str = "Key",
             accessible: str = "") -> QPushButton:
        """A key showing ``text``. Its accessible name is ``accessible`` (a function key's
        name, in the patient's language) or, for a letter or digit, what it shows (so a
        capital reads as one). ``key_id`` ("q", "7", "space", "done"...) names it in any
        language, for tests."""
        key = QPushButton(text)
        key.setObjectName(name)
        key.setProperty("keyId", key_id)
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if accessible:
            key.setAccessibleName(accessible)
        key.setAutoRepeat(key_id == "backspace")
        return key

    def _build_letters(self, t: Catalogue) -> QWidget:
        page = QWidget()
        grid = QVBoxLayout(page)
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        rows = LETTER_ROWS + ((t.keyboard_extra_row,) if t.keyboard_extra_row else ())
        for row_keys in rows:
            row = QHBoxLayout()
            row.setSpacing(6)
            for char in row_keys:
                key = self._key(char, char)
                key.clicked.connect(lambda _=False, c=char: self.type_char(c))
                self._letter_keys.append(key)
                row.addWidget(key)
            grid.addLayout(row)
        row = QHBoxLayout()
        self.shift_key = self._key("⇧", "shift", accessible=t("key_shift"))
        self.shift_key.setCheckable(True)
        self.shift_key.toggled.connect(self._on_shift_toggled)
        space = self._key(t("key_space"), "space", accessible=t("key_space"))
        space.clicked.connect(lambda: self.type_char(" "))
        backspace = self._key("⌫", "backspace", accessible=t("key_backspace"))
        backspace.setToolTip(t("key_backspace"))
        backspace.clicked.connect(self.backspace)
        done = self._key(t("key_done"), "done", "Primary", accessible=t("key_done"))
        done.clicked.connect(self.done)
        row.addWidget(self.shift_key, 1)
        row.addWidget(space, 5)
        row.addWidget(backspace, 2)
        row.addWidget(done, 2)
        grid.addLayout(row)
        return page

    def _build_digits(self, t: Catalogue) -> QWidget:
        page = QWidget()
        outer = QHBoxLayout(page)
        outer.addStretch(1)
        grid = QGridLayout()
        grid.setSpacing(8)
        for r, row_keys in enumerate(DIGIT_ROWS):
            for c, char in enumerate(row_keys):
                key = self._key(char, char)
                key.setMinimumSize(96, 64)
                key.clicked.connect(lambda _=False, ch=char: self.type_char(ch))
                grid.addWidget(key, r, c)
        backspace = self._key("⌫", "backspace", accessible=t("key_backspace"))
        backspace.clicked.connect(self.backspace)
        zero = self._key("0", "0")
        zero.clicked.connect(lambda: self.type_char("0"))
        self.point_key = self._key(".", "point", accessible=t("key_decimal_point"))
        self.point_key.clicked.connect(lambda: self.type_char("."))
        done = self._key(t("key_done"), "done", "Primary", accessible=t("key_done"))
        done.clicked.connect(self.done)
        for c, key in enumerate((backspace, zero, self.point_key, done)):
            key.setMinimumSize(96, 64)
            grid.addWidget(key, 3, c)
        outer.addLayout(grid)
        outer.addStretch(1)
        return page

    # -- behaviour --------------------------------------------------------------------------
    def attach(self, target: QLineEdit | None) -> None:
        """Type into ``target`` from now on, with the key set its input needs."""
        self._target = target
        digits = bool(target is not None and target.property("digitsOnly"))
        self._stack.setCurrentIndex(1 if digits else 0)
        self.point_key.setVisible(bool(target is not None and target.property("decimal")))
        self._update_auto_shift()

    def target(self) -> QLineEdit | None:
        return self._target

    def type_char(self, char: str) -> None:
        if self._target is None:
            return
        if self.shift_key.isChecked():
            char = char.upper()
        self._target.insert(char)
        self._update_auto_shift()

    def backspace(self) -> None:
        if self._target is not None:
            self._target.backspace()
            self._update_auto_shift()

    def _update_auto_shift(self) -> None:
        text = self._target.text() if self._target is not None else ""
        wants_capital = bool(
            self._target is not None
            and self._target.property("capitalizeWords")
            and (not text or text.endswith(_AUTO_SHIFT_AFTER))
        )
        self.shift_key.setChecked(wants_capital)

    def _on_shift_toggled(self, on: bool) -> None:
        for key in self._letter_keys:
            key.setText(key.text().upper() if on else key.text().lower())


def focused_line_edit() -> QLineEdit | None:
    widget = QApplication.focusWidget()
    return widget if isinstance(widget, QLineEdit) else None
