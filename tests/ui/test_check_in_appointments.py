"""Check-in with today's appointment list: a patient on it confirms the procedure in plain
words and is not asked it (nor where on the body); one not on it goes on as before."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.intake.appointments import CsvFolder
from kiosk.intake.records import Step, StepKind
from kiosk.staff.access import COMMAND_LINE
from tests.helpers.staff import PIN, StaffUser
from tests.ui.test_patient_journey import BORN, answer_everything

pytestmark = pytest.mark.gui
MRN = "https://clinic.example/fhir/sid/mrn"


@pytest.fixture
def listed(window, tmp_path):
    folder = tmp_path / "appointments"
    folder.mkdir()
    today = dt.date.today().isoformat()
    (folder / "day.csv").write_text(
        "date,time,appointment_id,patient_id,last_name,first_name,birth_date,procedure,area\n"
        f"{today},09:30,A-77,MRN-77,Delgado,Rosa,{BORN},medial-branch-block,neck\n"
        f"{today},09:45,A-78,MRN-78,Delgado-Ruiz,Ana,{BORN},facet-joint-injection,neck\n",
        encoding="utf-8")
    window.appointments = CsvFolder(folder, MRN)
    return window


def give_name_and_birth(patient, first, last, born=BORN):
    screen = patient.screen
    patient.type_into(screen.first_name, first)
    patient.type_into(screen.last_name, last)
    patient.close_keyboard()
    patient.pick(screen.birth.month, born.strftime("%B"))
    patient.pick(screen.birth.day, str(born.day))
    patient.pick(screen.birth.year, str(born.year))


def finish(patient):
    patient.read_explanation()
    answer_everything(patient, area=False)
    patient.next()
    patient.sign()
    with patient.qtbot.waitSignal(patient.flow.submitted) as submitted:
        patient.tap(patient.screen.confirm_button)
    with patient.qtbot.waitSignal(patient.flow.window().patient_reset):
        patient.tap(patient.screen.action)
    return submitted.args[0]


def staff_summary(patient, window, intake_id):
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    area = StaffUser(patient.qtbot, window).sign_in("Kim", PIN)
    area.open_intake(intake_id)
    return " ".join(area.detail.summary.toPlainText().split())


def test_a_listed_patient_confirms_the_procedure_and_is_not_asked_it(patient, listed):
    patient.start()
    give_name_and_birth(patient, "rosa", "DELGADO")
    texts = patient.visible_texts()
    assert "We found your appointment for today:" in texts
    assert "Medial branch block — Neck" in texts
    assert not [t for t in texts if "Ana" in t or "Ruiz" in t or "Facet" in t]
    screen = patient.screen
    assert not screen.card_grid.isVisible()  # no procedure cards to choose from
    patient.next()  # Yes or No first
    assert patient.errors() == ["Please tap Yes or No: is this the procedure you are here "
                                "for?"]
    patient.choose("Yes, that is right")
    assert ("Thank you. We will not ask you which procedure it is or where on your body."
            in patient.visible_texts())
    assert not screen.appointment_yes.isVisible()
    patient.next()
    assert patient.step == Step(StepKind.LEARN, page=0)
    assert "Medial branch block" in " ".join(patient.visible_texts())
    intake_id = finish(patient)  # no "Where on your body" page on the way

    row = listed.store.models.Intake.get_by_id(intake_id)
    assert (row.procedure_id, row.patient_id_system, row.patient_id_value,
            row.appointment_id) == ("medial-branch-block", MRN, "MRN-77", "A-77")
    assert '"code": "neck"' in row.response_json  # the area the schedule gave
    assert "matched: patient MRN-77, appointment A-77" in staff_summary(patient, listed,
                                                                        intake_id)


def test_no_and_not_listed_go_on_as_before_and_staff_see_not_matched(patient, listed):
    patient.start()
    give_name_and_birth(patient, "Rosa", "Delgado")
    patient.choose("No, that is not it")
    screen = patient.screen
    assert screen.card_grid.isVisible() and not screen.appointment.isVisible()
    patient.choose("Epidural steroid injection (from the back)")
    patient.next()
    patient.read_explanation()
    answer_everything(patient)  # the body area is asked
    patient.next()
    patient.sign()
    with patient.qtbot.waitSignal(patient.flow.submitted) as submitted:
        patient.tap(patient.screen.confirm_button)
    with patient.qtbot.waitSignal(listed.patient_reset):
        patient.tap(patient.screen.action)
    row = listed.store.models.Intake.get_by_id(submitted.args[0])
    assert (row.patient_id_value, row.appointment_id) == ("", "not-matched")
    assert "Appointment not matched" in staff_summary(patient, listed, submitted.args[0])


def test_a_patient_not_on_the_list_sees_the_cards(patient, listed):
    patient.start()
    give_name_and_birth(patient, "Rosa", "Delgado", dt.date(1958, 3, 15))
    screen = patient.screen
    assert screen.card_grid.isVisible() and not screen.appointment.isVisible()
    assert not [t for t in patient.visible_texts()
                if "found your appointment" in t or "Ana" in t or "Ruiz" in t]


def test_an_appointment_sent_as_hl7_siu_is_found_at_check_in(patient, window):
    from kiosk.delivery.mllp import MllpClient
    from kiosk.delivery.settings import Hl7Destination, Hl7Listener
    from kiosk.delivery.siu import SiuListener
    from kiosk.intake.appointments import LiveAppointments, Schedule
    from tests.delivery.test_siu_feed import siu

    live = LiveAppointments()
    listener = SiuListener(Hl7Listener("127.0.0.1", 0), live).start()
    try:
        window.appointments = Schedule(MRN, feeds=[live])
        start = dt.date.today().strftime("%Y%m%d") + "0930"
        message = siu(appointment="A-90", start=start, pid="MRN-90^^^PAINCLINIC^MR",
                      name="Delgado^Rosa", born=BORN.strftime("%Y%m%d"),
                      service="facet-joint-injection^Facet joint injection^L^low-back")
        sent = MllpClient(Hl7Destination("127.0.0.1", listener.port, tls=False,
                                         timeout=10)).send(message, "MSG-1")
        assert sent.kind == "sent"
    finally:
        listener.stop()
    patient.start()
    give_name_and_birth(patient, "Rosa", "Delgado")
    assert "We found your appointment for today:" in patient.visible_texts()
    assert "Facet joint injection — Lower back" in patient.visible_texts()
    patient.choose("Yes, that is right")
    patient.next()
    intake_id = finish(patient)
    row = window.store.models.Intake.get_by_id(intake_id)
    assert (row.procedure_id, row.patient_id_value, row.appointment_id) == (
        "facet-joint-injection", "MRN-90", "A-90")


def test_staff_match_an_unmatched_intake_to_an_appointment_by_hand(patient, listed, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    patient.start()
    give_name_and_birth(patient, "Rosa", "Delgado", dt.date(1958, 3, 15))  # not on the list
    patient.choose("Medial branch block")
    patient.next()
    patient.read_explanation()
    answer_everything(patient)
    patient.next()
    patient.sign()
    with patient.qtbot.waitSignal(patient.flow.submitted) as submitted:
        patient.tap(patient.screen.confirm_button)
    with patient.qtbot.waitSignal(listed.patient_reset):
        patient.tap(patient.screen.action)
    intake_id = submitted.args[0]

    listed.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    staff = StaffUser(patient.qtbot, listed)
    area = staff.sign_in("Kim", PIN)
    area.open_intake(intake_id)
    detail = area.detail
    assert "Appointment not matched" in " ".join(detail.summary.toPlainText().split())
    assert detail.match_button.isVisible()
    listed.resize(1280, 800)
    QApplication.processEvents()
    listed.grab().save(str(tmp_path / "detail-not-matched.png"))
    staff.tap(detail.match_button)
    picker = detail.picker
    assert picker is not None and picker.isVisible() and not detail.summary.isVisible()
    assert not detail.review_button.isVisible()
    rows = [picker.rows.item(i).text() for i in range(picker.rows.count())]
    assert len(rows) == 2 and "Delgado, Rosa" in rows[0] and "A-77" in rows[0]
    assert not picker.match_button.isEnabled()  # a row first
    for size, name in (((1280, 800), "landscape"), ((800, 1280), "portrait")):
        listed.resize(*size)
        QApplication.processEvents()  # lay out at the new size before the picture
        listed.grab().save(str(tmp_path / f"match-{name}.png"))
    item = picker.rows.item(0)
    patient.qtbot.mouseClick(picker.rows.viewport(), Qt.MouseButton.LeftButton,
                             pos=picker.rows.visualItemRect(item).center())
    assert picker.match_button.isEnabled()
    staff.tap(picker.match_button)

    assert detail.picker is None and detail.summary.isVisible()
    assert detail.result.text() == "Matched to appointment A-77."
    assert ("matched: patient MRN-77, appointment A-77"
            in " ".join(detail.summary.toPlainText().split()))
    assert not detail.match_button.isVisible()  # matched now
    row = listed.store.models.Intake.get_by_id(intake_id)
    assert (row.patient_id_system, row.patient_id_value, row.appointment_id) == (
        MRN, "MRN-77", "A-77")
    [line] = [a for a in listed.store.audit_events(COMMAND_LINE)
              if a.action == "appointment_matched"]
    assert (line.actor, line.intake_id, line.detail) == ("Kim", intake_id, "appointment A-77")
