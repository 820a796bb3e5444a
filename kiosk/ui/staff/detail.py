"""One intake for staff: flags first, every answer, mark reviewed, export PDF or FHIR, send
to the EHR, match to an appointment by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.export.fhir_bundle import intake_bundle
from kiosk.export.fhir_record import fileable_response
from kiosk.export.protected import new_password, save_export
from kiosk.export.summary import page_header, summary_html, summary_sections
from kiosk.intake.appointments import Appointment, AppointmentSource
from kiosk.intake.records import PatientIdentifier
from kiosk.staff.access import StaffActor
from kiosk.storage import IntakeDetail, StorageError, Store
from kiosk.ui.pdf_export import summary_pdf, write_pdf
from kiosk.ui.staff.appointment_match import AppointmentPicker
from kiosk.ui.staff.detail_sections import DetailSections
from kiosk.ui.staff.export_notice import show_export_done, show_plain
from kiosk.ui.staff.storage_guard import remove_unfinished, report, storage_action
from kiosk.ui.touch import button, label


class DetailScreen(QWidget):
    back_requested = Signal()
    reviewed = Signal(int)

    def __init__(self, store: Store, content: ContentLibrary, t: Catalogue, actor: StaffActor,
                 exports_dir: Path, intake_id: int,
                 appointments: AppointmentSource | None = None) -> None:
        """``appointments``: today's list, when the clinic feeds one (staff may then match
        an intake that was not matched at check-in)."""
        super().__init__()
        self.appointments = appointments
        self.picker: AppointmentPicker | None = None
        self.setObjectName("Screen")
        self.store, self.content, self.t = store, content, t
        self.actor = actor
        self.staff_name = actor.name
        self.exports_dir = exports_dir
        self.intake_id = intake_id
        self.intake: IntakeDetail = store.intake(intake_id, actor)
        store.audit(actor.name, "intake_viewed", dt.datetime.now(), intake_id)

        self.summary = DetailSections()  # labelled sections, one Tab stop each (issue 15)
        self.status = label("", "Muted")
        self.result = label("", "Notice")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()

        buttons = QHBoxLayout()
        self.back_button = button("‹ " + t("detail_back"), accessible=t("detail_back"))
        self.back_button.clicked.connect(self.back_requested)
        self.pdf_button = button(t("detail_export_pdf"))
        self.pdf_button.clicked.connect(self.on_export_pdf)
        self.fhir_button = button(t("detail_export_fhir"))
        self.fhir_button.clicked.connect(self.on_export_fhir)
        self.bundle_button = button(t("detail_export_bundle"))
        self.bundle_button.clicked.connect(self.on_export_bundle)
        self.ehr_status = label("", "Muted")
        self.ehr_status.setWordWrap(True)
        self.ehr_button = button(t("ehr_send_now"))
        self.ehr_button.clicked.connect(self.on_send_to_ehr)
        self.match_button = button(t("match_open"))
        self.match_button.clicked.connect(self.on_match_requested)
        self.review_button = button(t("detail_mark_reviewed"), "Primary")
        self.review_button.clicked.connect(self.on_mark_reviewed)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        # in the top bar: five buttons in the bottom one do not fit an 800 px portrait screen
        top.addWidget(self.bundle_button)
        top.addWidget(self.ehr_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.fhir_button)
        buttons.addStretch(1)
        buttons.addWidget(self.review_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.addLayout(top)
        layout.addWidget(self.summary, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.match_button)
        layout.addLayout(status_row)
        layout.addWidget(self.ehr_status)
        layout.addWidget(self.result)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.intake = self.store.intake(self.intake_id, self.actor)
        self.summary.show_sections(summary_sections(self.intake, self.content, None),
                                   self.intake.signature_png,
                                   self.content.strings("en")("summary_footer"))
        row = self.intake.row
        if row.reviewed_at:
            status = self.t("status_reviewed_by", who=row.reviewed_by,
                            when=row.reviewed_at.strftime("%Y-%m-%d %H:%M"))
        else:
            status = self.t("status_not_reviewed")
        # the patient's language in view, so someone brings Spanish help (issue 12.9)
        catalogue = self.content.catalogues.get(row.language)
        spoken = catalogue.language_name if catalogue is not None else row.language
        self.status.setText(f"{status} · {self.t('detail_language', language=spoken)}")
        # reviewed: the button says so and rests (a second tap replaced who reviewed)
        self.review_button.setEnabled(not row.reviewed_at)
        self.review_button.setText(self.t(
            "detail_reviewed" if row.reviewed_at else "detail_mark_reviewed"))
        self.match_button.setVisible(self.appointments is not None
                                     and self.intake.patient_identifier is None
                                     and self.picker is None)
        self.show_delivery()

    # -- matching by hand ------------------------------------------------------------------
    def on_match_requested(self) -> None:
        """Show the day's appointments (the patient's birth date first) in the summary's
        place."""
        if self.appointments is None or self.picker is not None:
            return
        row = self.intake.row
        candidates = self.appointments.book(row.submitted_at.date()).candidates(row.birth_date)
        self.picker = AppointmentPicker(self.content, self.t, candidates, row.birth_date)
        self.picker.picked.connect(self.on_appointment_picked)
        self.picker.cancelled.connect(self.close_picker)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.summary), self.picker, 1)
        self.picker.show()  # a child added to a shown widget stays hidden until shown
        self.summary.hide()
        self.review_button.hide()  # one primary action at a time: the picker's Match
        self.match_button.hide()

    def close_picker(self) -> None:
        if self.picker is not None:
            self.picker.hide()
            self.picker.deleteLater()
            self.picker = None
        self.summary.show()
        self.review_button.show()
        self.refresh()

    def on_appointment_picked(self, appointment: Appointment) -> None:
        assert self.appointments is not None
        try:
            self.store.match_appointment(
                self.intake_id, self.actor,
                PatientIdentifier(self.appointments.identifier_system, appointment.patient_id),
                appointment.appointment_id, dt.datetime.now())
        except StorageError as exc:
            show_plain(self.result, str(exc))
            self.result.show()
            return
        delivery = self.store.outbox.delivery(self.intake_id, self.actor)
        text = self.t("match_done", appointment=appointment.appointment_id)
        if delivery is not None and delivery.state == "sent":
            text += " " + self.t("match_after_sent")
        self.close_picker()
        show_plain(self.result, text)
        self.result.show()

    def show_delivery(self) -> None:
        """Where the intake is on its way to the EHR (hidden when delivery was never on)."""
        delivery = self.store.outbox.delivery(self.intake_id, self.actor)
        shown = delivery is not None or self.store.deliver
        self.ehr_status.setVisible(shown)
        self.ehr_button.setVisible(shown)
        if not shown:
            return
        t = self.t
        if delivery is None:
            text = t("ehr_not_queued")
        elif delivery.state == "sent" and delivery.sent_at is not None:
            text = t("ehr_sent", when=f"{delivery.sent_at:%Y-%m-%d %H:%M}",
                     where=delivery.location or "-")
        elif delivery.state == "failed":
            text = t("ehr_failed", reason=delivery.reason)
        elif delivery.reason:  # a try failed; another comes
            text = t("ehr_waiting", reason=delivery.reason, attempts=delivery.attempts,
                     when=f"{delivery.next_attempt_at:%H:%M:%S}")
        else:
            text = t("ehr_waiting_new")
        self.ehr_status.setText(text)

    @storage_action("staff_action_send_to_ehr")
    def on_send_to_ehr(self) -> None:
        """Queue the intake for the EHR now (again): the server files it once whatever
        happened before (every resource is a conditional create)."""
        self.store.outbox.resend(self.intake_id, self.actor, dt.datetime.now())
        self.show_delivery()
        show_plain(self.result, self.t("ehr_queued"))
        self.result.show()

    @storage_action("staff_action_mark_reviewed")
    def on_mark_reviewed(self) -> None:
        self.store.mark_reviewed(self.intake_id, self.actor, dt.datetime.now())
        self.refresh()
        self.reviewed.emit(self.intake_id)

    def _export_name(self, suffix: str) -> Path:
        row = self.intake.row
        return self.exports_dir / f"intake-{row.id}-{row.submitted_at:%Y%m%d-%H%M}.{suffix}"

    def _password(self) -> str | None:
        """A new password for this export when the kiosk holds patient data (else None:
        the demo writes plain files)."""
        return new_password() if self.store.protects_exports else None

    def _report(self, action: str, path: Path, error: OSError | None,
                password: str | None = None) -> None:
        """Say where the export went, or why it was not made (the file is written whole or
        not at all). One written that cannot be recorded in the audit log is removed:
        every export is audited, or not kept."""
        if error is not None:
            show_plain(self.result, self.t("export_failed", reason=error.strerror or str(error)))
            self.result.show()
            return
        try:
            self.store.audit(self.staff_name, action, dt.datetime.now(), self.intake_id)
        except StorageError as exc:
            remove_unfinished(path, existed_before=False)  # the file just written
            show_plain(self.result, self.t("export_failed",
                                           reason=self.t("export_not_audited")))
            self.result.show()
            report(self, "staff_action_export", exc)
            return
        show_export_done(self.result, self.t, path, password)
        self.result.show()

    def on_export_pdf(self) -> None:
        path, password = self._export_name("pdf"), self._password()
        try:
            path = write_pdf(summary_html(self.intake, self.content), path,
                             signature_png=self.intake.signature_png, password=password,
                             header=page_header(self.intake, self.content))
        except OSError as exc:
            self._report("export_pdf", path, exc)
            return
        self._report("export_pdf", path, None, password)

    def on_export_fhir(self) -> None:
        """The QuestionnaireResponse, complete enough for an EHR to file."""
        self._write_json("export_fhir", self._export_name("json"),
                         fileable_response(self.intake))

    def on_export_bundle(self) -> None:
        """Patient, response, PDF summary and flags as one FHIR transaction Bundle."""
        path = self.exports_dir / f"{self._export_name('json').stem}-bundle.json"
        try:
            pdf = summary_pdf(self.intake, self.content)
        except OSError as exc:
            self._report("export_fhir_bundle", path, exc)
            return
        self._write_json("export_fhir_bundle", path, intake_bundle(self.intake, pdf))

    def _write_json(self, action: str, path: Path, resource: dict) -> None:
        password = self._password()
        data = json.dumps(resource, indent=2, ensure_ascii=False).encode("utf-8")
        try:
            path = save_export(path, data, password)
        except OSError as exc:
            self._report(action, path, exc)
            return
        self._report(action, path, None, password)
