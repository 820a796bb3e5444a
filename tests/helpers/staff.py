"""Staff accounts for tests: a real account, signed in the real way."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QPushButton

from kiosk.staff.access import COMMAND_LINE, StaffActor
from kiosk.storage import Store
from tests.helpers.taps import tap

PIN = "482913"


def signed_in(store: Store, name: str = "Kim", role: str = "admin",
              pin: str = PIN) -> StaffActor:
    """Create (or re-create) ``name`` from the command line and sign in as them."""
    store.staff.create(name, role, pin, COMMAND_LINE, dt.datetime.now())
    result = store.staff.sign_in(name, pin, dt.datetime.now())
    assert result.ok and result.actor is not None
    return result.actor


class StaffUser:
    """Drives staff mode the way staff do: taps on the real widgets."""

    def __init__(self, qtbot, window):
        self.qtbot = qtbot
        self.window = window

    def tap(self, widget):
        tap(self.qtbot, widget)

    def open_staff_mode(self):
        for _ in range(5):
            self.tap(self.window.welcome.clinic_name)
        self.qtbot.waitUntil(lambda: self.window.staff is not None)
        return self.window.staff

    def type_on_screen(self, sign_in, edit, text):
        self.tap(edit)
        self.qtbot.waitUntil(lambda: sign_in.keyboard.target() is edit)
        keys = {k.property("keyId"): k for k in sign_in.keyboard.findChildren(QPushButton)
                if k.isVisible()}
        for char in text:
            name = "space" if char == " " else char.lower()
            if char.isalpha() and char.isupper() != sign_in.keyboard.shift_key.isChecked():
                self.tap(sign_in.keyboard.shift_key)
            self.tap(keys[name])

    def sign_in(self, name, pin):
        """Open staff mode (from Welcome, or the one already open) and sign in."""
        area = self.window.staff or self.open_staff_mode()
        screen = area.sign_in
        self.type_on_screen(screen, screen.name, name)
        self.type_on_screen(screen, screen.pin, pin)
        self.submit(screen)
        return area

    def submit(self, sign_in):
        """Tap the sign-in screen's button and wait for its PIN check (a worker's) to end."""
        self.tap(sign_in.submit_button)
        self.qtbot.waitUntil(lambda: not sign_in.checking, timeout=20_000)
