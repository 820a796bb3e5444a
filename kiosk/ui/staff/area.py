"""Staff mode as one widget: sign-in, then the queue and intake details."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import backups_beside
from kiosk.content.library import ContentLibrary
from kiosk.intake.appointments import AppointmentSource
from kiosk.intake.service import IntakeService
from kiosk.staff.access import StaffActor, may
from kiosk.storage import StorageError, Store
from kiosk.ui.keyboard.qt_keyboard import without_system_keyboard
from kiosk.ui.staff.admin import AdminScreen
from kiosk.ui.staff.audit_view import AuditScreen
from kiosk.ui.staff.detail import DetailScreen
from kiosk.ui.staff.interrupted import InterruptedScreen
from kiosk.ui.staff.pending import PendingIntakeScreen
from kiosk.ui.staff.queue import QueueScreen
from kiosk.ui.staff.sign_in import SignInScreen
from kiosk.ui.staff.storage_guard import storage_action
from kiosk.ui.touch import label

log = logging.getLogger(__name__)


class StaffArea(QWidget):
    left = Signal()  # staff signed out or cancelled
    pending_discarded = Signal()  # staff dropped the tablet's unsaved intake
    pending_return = Signal()  # staff went back to the patient screen

    def __init__(self, store: Store, content: ContentLibrary, exports_dir: Path,
                 pending: IntakeService | None = None,
                 appointments: AppointmentSource | None = None) -> None:
        """``pending``: the tablet's intake that could not be saved (staff stepped in from
        the patient's error screen); staff see it first, before the queue."""
        super().__init__()
        self.store = store
        self.pending = pending
        self.appointments = appointments  # today's list, for matching an intake by hand
        self.pending_screen: PendingIntakeScreen | None = None
        self.content = content
        self.exports_dir = exports_dir
        self.t = content.strings("en")
        self.actor: StaffActor | None = None
        self.staff_name = ""
        self.stack = QStackedWidget()
        self.stack.currentChanged.connect(
            lambda _index: without_system_keyboard(self.stack.currentWidget()))
        # what the last staff action could not do, and why (a full or read-only disk, a
        # database server gone): above every staff screen, until an action succeeds
        self.storage_problem = label("", "Banner")
        self.storage_problem.hide()
        banner_row = QVBoxLayout()
        banner_row.setContentsMargins(32, 8, 32, 0)
        banner_row.addWidget(self.storage_problem)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(banner_row)
        layout.addWidget(self.stack)
        self.sign_in = SignInScreen(store, self.t)
        self.sign_in.signed_in.connect(self.on_signed_in)
        self.sign_in.cancelled.connect(self.left)
        self.stack.addWidget(self.sign_in)
        without_system_keyboard(self.sign_in)
        self.queue: QueueScreen | None = None
        self.detail: DetailScreen | InterruptedScreen | AuditScreen | AdminScreen | None = None

    def show_storage_problem(self, action_key: str, error: StorageError) -> None:
        """Say on screen which action failed and why (the StorageError's words carry no
        patient data), and log it without a traceback."""
        log.error("staff action %s failed: %s", action_key, error)
        self.storage_problem.setText(self.t("staff_action_failed", action=self.t(action_key),
                                            cause=str(error)))
        self.storage_problem.setAccessibleName(self.storage_problem.text())
        self.storage_problem.show()

    def clear_storage_problem(self) -> None:
        self.storage_problem.hide()

    def on_signed_in(self, actor: StaffActor) -> None:
        self.actor = actor
        self.staff_name = actor.name
        if self.pending is not None:
            self.show_pending(self.pending)
            return
        self.open_queue()

    def show_pending(self, service: IntakeService) -> None:
        assert self.actor is not None
        screen = PendingIntakeScreen(service, self.t, may(self.actor.role, "discard_interrupted"))
        screen.retry_requested.connect(service.retry)
        screen.discard_requested.connect(self._discard_pending)
        screen.return_requested.connect(self.pending_return)
        self.pending_screen = screen
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)

    def _discard_pending(self) -> None:
        assert self.pending is not None and self.actor is not None
        if not may(self.actor.role, "discard_interrupted"):
            return
        self.pending.drop_unsaved()
        try:
            self.store.audit(self.staff_name, "unsaved_intake_discarded", dt.datetime.now())
        except StorageError:
            log.error("the discard of an unsaved intake could not be audited (storage down)")
        self.pending = None
        self.pending_discarded.emit()

    def on_write_outcome(self) -> None:
        if self.pending_screen is not None:
            self.pending_screen.refresh()

    @storage_action("staff_action_open_queue")
    def open_queue(self) -> None:
        actor = self.actor
        assert actor is not None
        self.queue = QueueScreen(self.store, self.content, self.t, actor, self.exports_dir)
        self.queue.admin_button.setVisible(may(actor.role, "manage_accounts"))
        self.queue.admin_requested.connect(self.open_admin)
        self.queue.open_requested.connect(self.open_intake)
        self.queue.sign_out_requested.connect(self.sign_out)
        self.queue.interrupted_requested.connect(self.open_interrupted)
        self.queue.audit_requested.connect(self.open_audit)
        self.stack.addWidget(self.queue)
        self.queue.reload()
        self.stack.setCurrentWidget(self.queue)

    @storage_action("staff_action_open_intake")
    def open_intake(self, intake_id: int) -> None:
        self._drop_detail()
        self.detail = DetailScreen(self.store, self.content, self.t, self.actor,
                                   self.exports_dir, intake_id, self.appointments)
        self.detail.back_requested.connect(self.back_to_queue)
        self.stack.addWidget(self.detail)
        self.stack.setCurrentWidget(self.detail)

    @storage_action("staff_action_open_interrupted")
    def open_interrupted(self) -> None:
        self._drop_detail()
        self.detail = InterruptedScreen(self.store, self.content, self.t, self.actor)
        self.detail.back_requested.connect(self.back_to_queue)
        self.stack.addWidget(self.detail)
        self.stack.setCurrentWidget(self.detail)

    @storage_action("staff_action_open_accounts")
    def open_admin(self) -> None:
        if self.actor is None or not may(self.actor.role, "manage_accounts"):
            return
        self._drop_detail()
        self.detail = AdminScreen(self.store, self.t, self.actor,
                                  (self.exports_dir, backups_beside(self.exports_dir)))
        self.detail.back_requested.connect(self.back_to_queue)
        self.stack.addWidget(self.detail)
        self.stack.setCurrentWidget(self.detail)

    @storage_action("staff_action_open_audit")
    def open_audit(self) -> None:
        self._drop_detail()
        self.store.audit(self.staff_name, "audit_viewed", dt.datetime.now())
        self.detail = AuditScreen(self.store, self.t, self.actor)
        self.detail.back_requested.connect(self.back_to_queue)
        self.stack.addWidget(self.detail)
        self.stack.setCurrentWidget(self.detail)

    def back_to_queue(self) -> None:
        assert self.queue is not None
        self._drop_detail()
        self.stack.setCurrentWidget(self.queue)  # the queue even when it cannot be re-read
        self.queue.reload()

    def _drop_detail(self) -> None:
        if self.detail is not None:
            if isinstance(self.detail, AdminScreen):
                self.detail.dispose()
            self.stack.removeWidget(self.detail)
            self.detail.deleteLater()
            self.detail = None

    def sign_out(self, reason: str = "sign_out") -> None:
        """Staff mode ends whatever the database says: a sign-out that cannot be audited
        must not keep the screen signed in."""
        if self.staff_name:
            try:
                self.store.audit(self.staff_name, reason, dt.datetime.now())
            except StorageError as exc:
                log.error("a %s could not be audited: %s", reason, exc)
        self.left.emit()
