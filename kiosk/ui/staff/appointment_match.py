"""Staff match an intake to an appointment by hand: the day's list (the patient's birth date
first), one row tapped, then *Match*. The screen that shows it does the matching."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.intake.appointments import Appointment
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import button, label

ROW_HEIGHT = 76  # two lines of 18 px text, a comfortable touch target


class AppointmentPicker(QWidget):
    """The day's appointments as touch rows; ``picked`` with the chosen one."""

    picked = Signal(object)  # Appointment
    cancelled = Signal()

    def __init__(self, content: ContentLibrary, t: Catalogue, candidates: list[Appointment],
                 birth: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.candidates = candidates
        self.heading = label(t("match_heading") if candidates else t("match_none"), "Body")
        self.rows = QListWidget()
        self.rows.setObjectName("AppointmentRows")
        kinetic(self.rows)
        for appointment in candidates:
            item = QListWidgetItem(row_text(content, t, appointment, birth))
            item.setSizeHint(QSize(0, ROW_HEIGHT))
            item.setData(Qt.ItemDataRole.UserRole, appointment)
            self.rows.addItem(item)
        self.rows.currentRowChanged.connect(self.on_row_chosen)
        self.match_button = button(t("match_confirm"), "Primary")
        self.match_button.setEnabled(False)
        self.match_button.clicked.connect(self.on_match)
        self.cancel_button = button(t("match_cancel"))
        self.cancel_button.clicked.connect(self.cancelled)
        actions = QHBoxLayout()
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        actions.addWidget(self.match_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.rows, 1)
        layout.addLayout(actions)
        self.rows.setVisible(bool(candidates))

    def choose(self, appointment_id: str) -> None:
        """Select the row of this appointment (what a tap does)."""
        for index, appointment in enumerate(self.candidates):
            if appointment.appointment_id == appointment_id:
                self.rows.setCurrentRow(index)
                return
        raise KeyError(appointment_id)

    def chosen(self) -> Appointment | None:
        item = self.rows.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def on_row_chosen(self, row: int) -> None:
        self.match_button.setEnabled(row >= 0)

    def on_match(self) -> None:
        appointment = self.chosen()
        if appointment is not None:
            self.picked.emit(appointment)


def row_text(content: ContentLibrary, t: Catalogue, appointment: Appointment,
             birth: dt.date) -> str:
    """One row of two lines: time, name, birth date (marked when it is the patient's);
    procedure, area and the appointment id."""
    try:
        procedure = content.procedure(appointment.procedure_id).text("en").title
    except KeyError:
        procedure = appointment.procedure_id
    born = appointment.birth_date.isoformat()
    if appointment.birth_date == birth:
        born = t("match_same_birth", date=born)
    area = f" — {appointment.area}" if appointment.area else ""
    return (f"{appointment.time or '--:--'}  {appointment.last_name}, {appointment.first_name}"
            f"  ·  {born}\n{procedure}{area}  ·  {appointment.appointment_id}")
