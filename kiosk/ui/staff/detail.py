"""One intake for staff: flags first, every answer, mark reviewed, export PDF or FHIR."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.export.fhir_bundle import intake_bundle
from kiosk.export.fhir_record import fileable_response
from kiosk.export.protected import new_password, save_export
from kiosk.export.summary import summary_html
from kiosk.staff.access import StaffActor
from kiosk.storage import IntakeDetail, Store
from kiosk.ui.pdf_export import register_signature, summary_pdf, write_pdf
from kiosk.ui.staff.export_notice import show_export_done, show_plain
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import button, label


class DetailScreen(QWidget):
    back_requested = Signal()
    reviewed = Signal(int)

    def __init__(self, store: Store, content: ContentLibrary, t: Catalogue, actor: StaffActor,
                 exports_dir: Path, intake_id: int) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.store, self.content, self.t = store, content, t
        self.actor = actor
        self.staff_name = actor.name
        self.exports_dir = exports_dir
        self.intake_id = intake_id
        self.intake: IntakeDetail = store.intake(intake_id, actor)
        store.audit(actor.name, "intake_viewed", dt.datetime.now(), intake_id)

        self.summary = QTextBrowser()
        self.summary.setOpenLinks(False)
        kinetic(self.summary)
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
        layout.addWidget(self.status)
        layout.addWidget(self.ehr_status)
        layout.addWidget(self.result)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.intake = self.store.intake(self.intake_id, self.actor)
        register_signature(self.summary.document(), self.intake.signature_png)
        self.summary.setHtml(summary_html(self.intake, self.content, font_pt=14))
        row = self.intake.row
        if row.reviewed_at:
            self.status.setText(self.t("status_reviewed_by", who=row.reviewed_by,
                                       when=row.reviewed_at.strftime("%Y-%m-%d %H:%M")))
        else:
            self.status.setText(self.t("status_not_reviewed"))
        self.show_delivery()

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

    def on_send_to_ehr(self) -> None:
        """Queue the intake for the EHR now (again): the server files it once whatever
        happened before (every resource is a conditional create)."""
        self.store.outbox.resend(self.intake_id, self.actor, dt.datetime.now())
        self.show_delivery()
        show_plain(self.result, self.t("ehr_queued"))
        self.result.show()

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
        if error is not None:
            show_plain(self.result, self.t("export_failed", reason=error.strerror or str(error)))
        else:
            self.store.audit(self.staff_name, action, dt.datetime.now(), self.intake_id)
            show_export_done(self.result, self.t, path, password)
        self.result.show()

    def on_export_pdf(self) -> None:
        path, password = self._export_name("pdf"), self._password()
        try:
            path = write_pdf(summary_html(self.intake, self.content), path,
                             signature_png=self.intake.signature_png, password=password)
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
