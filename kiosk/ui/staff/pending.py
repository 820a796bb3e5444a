"""What staff see first when they step in at a tablet whose intake could not be saved.

No patient details are shown here — only how many answers wait and what can be done:
try saving again, discard them (asked twice; audited when storage allows), or go back to
the patient screen. The answers stay in the intake service's memory until one of these.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.intake.service import IntakeService, SaveState
from kiosk.ui.overlay import Overlay
from kiosk.ui.touch import button, label


class PendingIntakeScreen(QWidget):
    retry_requested = Signal()
    discard_requested = Signal()
    return_requested = Signal()

    def __init__(self, service: IntakeService, t: Catalogue, may_discard: bool) -> None:
        super().__init__()
        self.service = service
        self.t = t
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(20)
        self.heading = label(t("staff_pending_heading"), "Heading")
        self.body = label("", "Body")
        self.submitted_note = label(t("staff_pending_submitted"), "Body")
        self.reason = label("", "Muted")
        self.retry = button(t("staff_pending_retry"), "Primary")
        self.discard = button(t("staff_pending_discard"), "Danger")
        self.discard.setVisible(may_discard)
        self.back = button(t("staff_pending_return"))
        for widget in (self.heading, self.body, self.submitted_note, self.reason):
            layout.addWidget(widget)
        for action in (self.retry, self.discard, self.back):
            layout.addWidget(action, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.retry.clicked.connect(self.retry_requested)
        self.back.clicked.connect(self.return_requested)
        self.confirm = Overlay(self, t("staff_pending_discard_confirm"))
        keep = self.confirm.add_button(t("start_over_no"))
        drop = self.confirm.add_button(t("staff_pending_discard"), "Danger")
        keep.clicked.connect(self.confirm.hide)
        drop.clicked.connect(self._discard_confirmed)
        self.discard.clicked.connect(self.confirm.open)
        self.refresh()

    def refresh(self) -> None:
        """Show the service's state now (called when the writer has news)."""
        saved = self.service.state is SaveState.SAVED
        self.heading.setText(self.t("staff_pending_saved") if saved
                             else self.t("staff_pending_heading"))
        self.body.setText("" if saved else
                          self.t("staff_pending_body", answers=self.service.answers_given()))
        self.body.setVisible(not saved)
        self.submitted_note.setVisible(not saved and self.service.submitting)
        error = self.service.last_error
        self.reason.setText(error)
        self.reason.setVisible(bool(error) and not saved)
        self.retry.setVisible(not saved)
        self.discard.setEnabled(not saved)

    def _discard_confirmed(self) -> None:
        self.confirm.hide()
        self.discard_requested.emit()
