"""Administrator screen: staff accounts and the retention purge (every change audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.catalogue import Catalogue
from kiosk.staff.access import ADMIN, FRONT_DESK, ROLES, StaffActor
from kiosk.staff.pin import new_account_problem
from kiosk.storage import Store
from kiosk.ui.keyboard.dock import KeyboardDock
from kiosk.ui.keyboard.kiosk_keyboard import OnScreenKeyboard
from kiosk.ui.staff.storage_guard import storage_action
from kiosk.ui.touch import back_header, button, label


class AdminScreen(QWidget):
    back_requested = Signal()

    def __init__(self, store: Store, t: Catalogue, actor: StaffActor,
                 file_folders: Sequence[Path] = ()) -> None:
        """``file_folders``: the exports and backups folders, purged with the intakes."""
        super().__init__()
        self.setObjectName("Screen")
        self.store, self.t, self.actor = store, t, actor
        self.file_folders = tuple(file_folders)
        self.staff_name = actor.name
        top = back_header(t, t("accounts_heading"), self.back_requested)

        self.accounts = QVBoxLayout()
        self.name = self._field(t("staff_name_label"))
        self.pin = self._field(t("staff_new_pin_label"), secret=True)
        self.repeat = self._field(t("staff_repeat_pin_label"), secret=True)
        self.roles = QButtonGroup(self)
        role_row = QHBoxLayout()
        self.role_buttons = {}
        for role, title in ROLES.items():
            choice = button(title, "Language")
            choice.setCheckable(True)
            choice.setChecked(role == FRONT_DESK)
            self.roles.addButton(choice)
            self.role_buttons[role] = choice
            role_row.addWidget(choice)
        role_row.addStretch(1)
        self.save = button(t("accounts_add"), "Primary")
        self.save.clicked.connect(self.on_save)
        self.message = label("", "Notice")
        self.message.hide()

        self.days = QLineEdit(store.setting("retention_days", "365"))
        self.days.setValidator(QIntValidator(1, 100_000, self.days))
        self.days.setProperty("digitsOnly", True)
        self.days.setAccessibleName(t("retention_label"))
        self.purge = button(t("retention_purge"), "Danger")
        self.purge.clicked.connect(self.on_purge)

        form = QVBoxLayout()
        form.addLayout(self.accounts)
        for text, field in ((t("staff_name_label"), self.name),
                            (t("staff_new_pin_label"), self.pin),
                            (t("staff_repeat_pin_label"), self.repeat)):
            form.addWidget(label(text, "FieldLabel"))
            form.addWidget(field)
        form.addWidget(label(t("accounts_role"), "FieldLabel"))
        form.addLayout(role_row)
        form.addWidget(self.save)
        form.addWidget(self.message)
        form.addSpacing(24)
        form.addWidget(label(t("retention_label"), "FieldLabel"))
        purge_row = QHBoxLayout()
        purge_row.addWidget(self.days)
        purge_row.addWidget(self.purge)
        form.addLayout(purge_row)
        form.addStretch(1)
        holder = QWidget()
        holder.setLayout(form)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setWidget(holder)

        self.keyboard = OnScreenKeyboard(t)
        self.dock = KeyboardDock(self, self.keyboard, lambda w: self.area.ensureWidgetVisible(w))
        self.dock.watch(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 0)
        layout.addLayout(top)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.keyboard)
        self.reload()

    def _field(self, text: str, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(text)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setProperty("digitsOnly", True)
            edit.setMaxLength(12)
        return edit

    def reload(self) -> None:
        while self.accounts.count():
            old = self.accounts.takeAt(0).widget()
            if old is not None:
                old.hide()
                old.deleteLater()
        for account in self.store.staff.list(self.actor):
            row = QWidget()
            line = QHBoxLayout(row)
            line.addWidget(label(f"{account.name} — {ROLES.get(account.role, account.role)}",
                                 "Body"), 1)
            remove = button(self.t("accounts_remove"))
            remove.clicked.connect(lambda _=False, n=account.name: self.on_remove(n))
            line.addWidget(remove)
            self.accounts.addWidget(row)
            row.show()  # now, not on the layout's queued show

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    @storage_action("staff_action_save_account")
    def on_save(self) -> None:
        name, pin = self.name.text().strip(), self.pin.text()
        key, words = new_account_problem(name, pin, self.repeat.text())
        if key or words:
            self.say(self.t(key) if key else words)
            return
        role = ADMIN if self.role_buttons[ADMIN].isChecked() else FRONT_DESK
        self.store.staff.create(name, role, pin, self.actor, dt.datetime.now())
        for field in (self.name, self.pin, self.repeat):
            field.clear()
        self.say(self.t("accounts_saved", name=name))
        self.reload()

    @storage_action("staff_action_remove_account")
    def on_remove(self, name: str) -> None:
        if not self.store.staff.deactivate(name, self.actor, dt.datetime.now()):
            self.say(self.t("accounts_last_admin"))
        self.reload()

    @storage_action("staff_action_purge")
    def on_purge(self) -> None:
        try:
            days = int(self.days.text())
        except ValueError:
            days = 0
        if days < 1:
            self.say(self.t("retention_bad"))
            return
        now = dt.datetime.now()
        count = self.store.purge_older_than(days, self.actor, now)
        try:
            files = self.store.purge_files_older_than(days, self.file_folders, self.actor, now)
        except OSError as exc:
            self.say(self.t("retention_done", count=count, days=days) + " "
                     + self.t("retention_files_failed", reason=exc.strerror or str(exc)))
            return
        self.say(self.t("retention_done_files", count=count, files=files, days=days))

    def dispose(self) -> None:
        self.dock.dispose()
