"""Staff sign-in by name and PIN; on first use, the first administrator is created here.

The PIN's argon2 check (about 0.4 s) runs on a worker thread (:mod:`kiosk.ui.background`)
so the kiosk keeps drawing; the database is read and written on the GUI thread only, before
and after it (peewee's connections are per thread).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import TypeVar

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.catalogue import Catalogue
from kiosk.staff.pin import new_account_problem
from kiosk.storage import NotPermitted, StorageError, Store
from kiosk.storage.pin_checks import FirstAdminCheck, FirstAdminHashed, PendingSignIn, PinChecked
from kiosk.storage.staff_accounts import SignIn
from kiosk.ui.background import run_in_background
from kiosk.ui.keyboard.kiosk_keyboard import OnScreenKeyboard
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import button, label

T = TypeVar("T")
After = Callable[[], None]  # what the screen shows once a check is done
INPUT_METHOD = Qt.WidgetAttribute.WA_InputMethodEnabled


class SignInScreen(QWidget):
    signed_in = Signal(object)  # the StaffActor now signed in
    cancelled = Signal()

    def __init__(self, store: Store, t: Catalogue) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.store = store
        self.t = t
        # First use: the first administrator is made here — on an empty kiosk freely, on one
        # that holds patient data only with a setup code from the command line.
        unreadable: StorageError | None = None
        try:
            self.setting_pin = not store.staff.any()
            self.needs_code = self.setting_pin and not store.staff.first_admin_allowed()
        except StorageError as exc:  # the server is gone: sign in is tried, and says why
            unreadable = exc
            self.setting_pin = self.needs_code = False
        self.code = self._field(t("staff_setup_code_label"), secret=False)
        self.code.setMaxLength(20)
        self.name = self._field(t("staff_name_label"), secret=False)
        self.name.setProperty("capitalizeWords", True)
        self.pin = self._field(
            t("staff_new_pin_label") if self.setting_pin else t("staff_pin_label"), secret=True
        )
        self.repeat = self._field(t("staff_repeat_pin_label"), secret=True)
        self.message = label("", "Error")
        self.message.hide()

        form = QVBoxLayout()
        form.setSpacing(8)
        form.addWidget(label(t("staff_sign_in_heading"), "Heading"))
        if self.setting_pin:
            form.addWidget(label(t("staff_needs_setup_code" if self.needs_code
                                   else "staff_no_pin"), "Notice"))
        for field_label, field in ((t("staff_setup_code_label"), self.code),
                                   (t("staff_name_label"), self.name),
                                   (self.pin.accessibleName(), self.pin),
                                   (t("staff_repeat_pin_label"), self.repeat)):
            if (field is self.repeat and not self.setting_pin) or (
                    field is self.code and not self.needs_code):
                field.setParent(self)  # unused here, but owned: no window of its own
                field.hide()
                continue
            form.addWidget(label(field_label, "FieldLabel"))
            form.addWidget(field)
        form.addWidget(self.message)
        buttons = QHBoxLayout()
        self.cancel_button = button(t("staff_cancel"))
        self.cancel_button.clicked.connect(self.cancelled)
        self.submit_text = t("staff_set_pin") if self.setting_pin else t("staff_sign_in")
        self.submit_button = button(self.submit_text, "Primary")
        #: a PIN is being checked on a worker: taps and Enter wait, the fields are locked
        self.checking = False
        self._check_number = 0  # the check whose result the screen still wants
        self._focus_before: QWidget | None = None
        self._input_method: dict[QLineEdit, bool] = {}  # each field's, before a check
        self.submit_button.clicked.connect(self.on_submit)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        form.addLayout(buttons)
        form.addStretch(1)

        self.keyboard = OnScreenKeyboard(t)
        self.keyboard.done.connect(self.on_submit)
        form_holder = QWidget()
        form_holder.setLayout(form)
        form_area = QScrollArea()  # the keyboard must never push the form off a short screen
        form_area.setWidgetResizable(True)
        form_area.setFrameShape(QFrame.Shape.NoFrame)
        form_area.setWidget(form_holder)
        kinetic(form_area)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 0)
        layout.addWidget(form_area, 1)
        layout.addWidget(self.keyboard)
        self.keyboard.attach(self.name)
        for field in (self.code, self.name, self.pin, self.repeat):
            field.installEventFilter(self)
        if unreadable is not None:
            self.storage_failed(unreadable)

    def showEvent(self, event) -> None:  # noqa: N802
        # Focus once shown: setFocus on a widget that has no window yet makes Qt activate
        # an invisible one, and the kiosk's window loses the keyboard.
        super().showEvent(event)
        self.name.setFocus()

    def _field(self, text: str, secret: bool) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(text)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setProperty("digitsOnly", True)
            edit.setMaxLength(12)
        else:
            edit.setMaxLength(40)
        edit.returnPressed.connect(self.on_submit)
        return edit

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.keyboard.attach(watched)
        return False

    def hideEvent(self, event) -> None:  # noqa: N802
        # Closed (staff mode left) while a PIN is checked: its result is for nobody. The
        # database still records the attempt when it arrives, as it would have before.
        super().hideEvent(event)
        if self.checking and not event.spontaneous():  # not a mere minimise
            self._check_number += 1
            self._set_checking(False)
            self.pin.clear()
            self.repeat.clear()

    def fail(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def storage_failed(self, error: StorageError) -> None:
        """Why the database could not be used (its words hold no patient data)."""
        self.fail(self.t("staff_storage_problem") + " " + self.t("staff_storage_cause",
                                                                 cause=str(error)))

    def on_submit(self) -> None:
        if self.checking:  # a second tap, or Enter, while the first is checked
            return
        name = self.name.text().strip()
        pin = self.pin.text()
        now = dt.datetime.now()
        if not name:
            self.fail(self.t("staff_name_needed"))
            self.name.setFocus()
            return
        if not self.setting_pin:
            self._sign_in(name, pin, now)
            return
        key, words = new_account_problem(name, pin, self.repeat.text())
        if key or words:
            self.fail(self.t(key) if key else words)
            return
        try:
            check = self.store.staff.start_first_admin(name, pin, now, self.code.text().strip())
        except NotPermitted:
            self.fail(self.t("staff_setup_code_wrong"))
            return
        except StorageError as exc:
            self.storage_failed(exc)
            return

        def made(hashed: FirstAdminHashed) -> After:
            return self._finish_first_admin(check, hashed, name, pin, now)

        self._check(check.run, made)

    def _finish_first_admin(self, check: FirstAdminCheck, hashed: FirstAdminHashed,
                            name: str, pin: str, now: dt.datetime) -> After:
        try:
            self.store.staff.finish_first_admin(check, hashed)
        except NotPermitted:
            return lambda: self.fail(self.t("staff_setup_code_wrong"))
        except StorageError as exc:
            return partial(self.storage_failed, exc)
        return lambda: self._sign_in(name, pin, now)

    def _sign_in(self, name: str, pin: str, now: dt.datetime) -> None:
        try:
            started = self.store.staff.start_sign_in(name, pin, now)
        except StorageError as exc:
            self._storage_failed_signing_in(exc)
            return
        if isinstance(started, SignIn):  # locked out: no PIN to check
            self._show(started)
            return
        pending: PendingSignIn = started

        def checked(outcome: PinChecked) -> After:
            try:
                result = self.store.staff.finish_sign_in(pending, outcome)
            except StorageError as exc:
                return partial(self._storage_failed_signing_in, exc)
            return lambda: self._show(result)

        self._check(pending.check.run, checked)

    def _storage_failed_signing_in(self, error: StorageError) -> None:
        self.pin.clear()
        self.storage_failed(error)

    def _show(self, result: SignIn) -> None:
        if not self.setting_pin and not result.ok:
            self.pin.clear()
            self.pin.setFocus()
            self.fail(self.t("staff_locked", seconds=result.wait_seconds)
                      if result.wait_seconds else self.t("staff_wrong_pin"))
            return
        self.pin.clear()
        self.repeat.clear()
        if result.actor is None:
            self.fail(self.t("staff_wrong_pin"))
            return
        self.signed_in.emit(result.actor)

    # -- the argon2 check, off the GUI thread --------------------------------------------
    def _check(self, work: Callable[[], T], finish: Callable[[T], After]) -> None:
        """Run ``work`` (argon2, no database) on a worker; then, on the GUI thread,
        ``finish`` with its result (the database part: it runs even when the screen was
        closed meanwhile, so every attempt is counted and audited as before), and what
        ``finish`` returns to show, if the screen still waits for this check."""
        self._check_number += 1
        number = self._check_number
        self._set_checking(True)

        def done(future: Future[T]) -> None:
            try:
                after = finish(future.result())
            finally:
                wanted = shiboken6.isValid(self) and number == self._check_number
                if wanted:
                    self._set_checking(False)
            if wanted:
                after()

        run_in_background(work, done)

    def _set_checking(self, on: bool) -> None:
        self.checking = on
        if on:
            self._focus_before = QApplication.focusWidget()
        text = self.t("staff_checking_pin") if on else self.submit_text
        self.submit_button.setText(text)
        self.submit_button.setAccessibleName(text)
        self.submit_button.setEnabled(not on)
        for field in (self.code, self.name, self.pin, self.repeat):
            if on:
                self._input_method[field] = field.testAttribute(INPUT_METHOD)
            field.setReadOnly(on)
            # setReadOnly(False) turns input methods back on: a field kept from Qt Virtual
            # Keyboard (keyboard.qt_keyboard.without_system_keyboard) must stay so
            field.setAttribute(INPUT_METHOD, self._input_method.get(field, not on) and not on)
        self.keyboard.setEnabled(not on)  # its keys type even into a read-only field
        if not on:
            before, self._focus_before = self._focus_before, None
            if before is not None and shiboken6.isValid(before) and self.isAncestorOf(before):
                before.setFocus()  # where it was before the button was disabled under it
