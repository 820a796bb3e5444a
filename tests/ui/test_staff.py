"""Staff mode: the hidden way in, the PIN, the queue with flags, review, PDF and CSV export."""

import base64
import csv
import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.draft import encode
from kiosk.intake.session import IntakeSession
from kiosk.staff.access import COMMAND_LINE
from tests.helpers.fhir import r4b
from tests.helpers.pdf import pdf_pages, pdf_text
from tests.helpers.staff import StaffUser

pytestmark = pytest.mark.gui

PIN = "482913"


@pytest.fixture
def staff(qtbot, window):
    return Staff(qtbot, window)


def audit_actions(window) -> list[str]:
    return [e.action for e in reversed(window.store.audit_events(COMMAND_LINE, 5000))]


Staff = StaffUser


def submit_intake(window, first="Maria", last="Santos"):
    session = IntakeSession(window.content)
    fill_demo_session(session, first, last)
    session.confirm(True)
    return window.store.submit(session.build_submission())


def test_first_use_sets_a_pin_stored_as_a_hash(staff, window):
    area = staff.open_staff_mode()
    screen = area.sign_in
    assert screen.setting_pin and screen.repeat.isVisible()
    staff.type_on_screen(screen, screen.name, "Kim")
    staff.type_on_screen(screen, screen.pin, PIN)
    staff.type_on_screen(screen, screen.repeat, "482914")
    staff.tap(screen.submit_button)
    assert screen.message.text() == "The two PINs are not the same."
    screen.repeat.clear()
    staff.type_on_screen(screen, screen.repeat, PIN)
    staff.submit(screen)
    assert area.queue is not None and area.queue.isVisible()
    account = window.store.models.StaffAccount.get()
    assert account.role == "admin"  # the first account administers the others
    assert account.pin_hash.startswith("$argon2id$") and PIN not in account.pin_hash


def test_wrong_pin_is_refused_and_audited(staff, window):
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    area = staff.sign_in("Kim", "111111")
    assert area.queue is None
    assert area.sign_in.message.text() == "That name and PIN do not match. Please try again."
    assert area.sign_in.pin.text() == ""
    (failed,) = [e for e in window.store.audit_events(COMMAND_LINE) if e.action == "sign_in"]
    assert (failed.actor, failed.success) == ("Kim", False)


def test_staff_cannot_be_reached_during_a_patient_session(staff, window):
    window.welcome.start.click()
    window.open_staff()
    assert window.staff is None


def test_queue_review_and_exports(staff, window, tmp_path):
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    older = submit_intake(window, "Older", "Patient")
    newest = submit_intake(window, "Rosa", "Delgado")
    area = staff.sign_in("Kim", PIN)
    queue = area.queue
    assert queue.count.text() == "2 intakes, newest first"
    model = queue.model
    assert model.rowCount() == 2
    assert model.data(model.index(0, 1)) == "Delgado, Rosa"  # newest first
    assert model.data(model.index(1, 1)) == "Patient, Older"
    assert model.data(model.index(0, 2)) == "1961-04-12"
    assert model.data(model.index(0, 3)) == "Epidural steroid injection (from the back)"
    assert model.data(model.index(0, 4)) == "To review"
    flags = model.data(model.index(0, 5))
    assert "Blood thinner" in flags and "X-ray dye allergy" in flags

    # open the newest intake by tapping its row
    rect = queue.table.visualRect(model.index(0, 1))
    staff.qtbot.mouseClick(queue.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = area.detail
    assert detail is not None and detail.intake_id == newest
    text = detail.summary.toPlainText()
    assert text.index("Needs attention") < text.index("How bad is your pain")
    assert "Apixaban" in text
    # which understanding checks the patient missed, first answer as given
    assert "Understanding check (3 of 4 right the first time)" in text
    assert ("Which of these means you should call the clinic or get help right away?\n"
            "I am not sure (missed)") in text
    assert "Missed an understanding check" in text

    staff.tap(detail.review_button)
    assert detail.status.text().startswith("Reviewed by Kim at ")

    staff.tap(detail.pdf_button)
    assert detail.result.text().startswith("Saved to ")
    pdf_path = detail.result.text().removeprefix("Saved to ")
    text = pdf_text(pdf_path)
    assert "Delgado" in text and "Reviewed by Kim" in text
    assert "I am not sure (missed)" in text

    staff.tap(detail.fhir_button)
    assert detail.result.text().endswith(".json")
    response = json.loads(Path(detail.result.text().removeprefix("Saved to ")).read_text())
    assert r4b(response).identifier.value == f"urn:uuid:{detail.intake.uid}"
    assert response["contained"][0]["name"][0]["family"] == "Delgado"

    staff.tap(detail.bundle_button)
    assert detail.result.text().endswith("-bundle.json")
    bundle = json.loads(Path(detail.result.text().removeprefix("Saved to ")).read_text())
    r4b(bundle)
    [document] = [e["resource"] for e in bundle["entry"]
                  if e["resource"]["resourceType"] == "DocumentReference"]
    pdf = base64.b64decode(document["content"][0]["attachment"]["data"])
    assert "Delgado" in pdf_text(pdf)

    staff.tap(detail.back_button)
    assert model.data(model.index(0, 4)) == "Reviewed (Kim)"
    assert model.data(model.index(1, 4)) == "To review"

    with staff.qtbot.waitSignal(queue.export_finished, timeout=20000):  # a worker thread
        staff.tap(queue.export_button)
    csv_path = queue.result.text().removeprefix("Saved to ").rsplit(" (", 1)[0]
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["last_name"] for r in rows] == ["Patient", "Delgado"]
    assert rows[1]["reviewed_by"] == "Kim"
    assert older != newest

    actions = [e.action for e in reversed(window.store.audit_events(COMMAND_LINE, 5000))]
    for action in ("sign_in", "intake_viewed", "intake_reviewed", "export_pdf", "export_fhir",
                   "export_fhir_bundle", "export_csv"):
        assert action in actions

    staff.tap(queue.sign_out)
    assert window.staff is None and window.stack.currentWidget() is window.welcome


def test_staff_mode_ends_on_idle(make_window, qtbot):
    window = make_window(warning_seconds=0.2)
    window.settings = dataclasses.replace(window.settings, staff_idle_ms=1000)
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    staff = Staff(qtbot, window)
    staff.sign_in("Kim", PIN)
    qtbot.waitUntil(lambda: window.staff is None, timeout=3000)
    assert window.stack.currentWidget() is window.welcome
    assert audit_actions(window).count("idle_sign_out") == 1


def test_staff_see_the_load_report_of_the_kiosk_questionnaire(staff, window):
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    area = staff.sign_in("Kim", PIN)
    staff.tap(area.queue.form_button)
    report = area.queue.report
    assert report.isVisible()
    from PySide6.QtWidgets import QTextBrowser

    text = report.findChild(QTextBrowser).toPlainText()
    assert "Before your procedure: 57 items, 0 notes" in text


def test_interrupted_intakes_are_shown_to_staff_and_discarded(staff, window):
    from kiosk.intake.session import IntakeSession

    # a kiosk that died mid-intake left this draft behind
    session = IntakeSession(window.content)
    session.set_name("Rosa", "Delgado")
    session.answer("bleeding", [True])
    window.store.save_draft(session.uid, session.started_at, encode(session))
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    area = staff.sign_in("Kim", PIN)
    assert area.queue.interrupted_button.text() == "Interrupted (1)"
    staff.tap(area.queue.interrupted_button)
    screen = area.detail
    from PySide6.QtWidgets import QLabel, QPushButton

    text = screen.findChild(QLabel, "DraftText").text()
    assert "Delgado, Rosa" in text and "bleed or bruise easily" in text and "Yes" in text
    discard = next(b for b in screen.findChildren(QPushButton) if b.text() == "Discard")
    staff.tap(discard)
    assert window.store.drafts(COMMAND_LINE) == []
    assert audit_actions(window).count("interrupted_discarded") == 1


def test_a_full_disk_shows_calm_to_the_patient_and_the_cause_to_staff(staff, window, qtbot):
    import dataclasses

    from kiosk.storage import StorageError

    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    kept = submit_intake(window, "Kept", "Intact")
    pages = window.store.db.execute_sql("PRAGMA page_count").fetchone()[0]
    window.store.db.execute_sql(f"PRAGMA max_page_count = {pages}")
    session = IntakeSession(window.content)
    fill_demo_session(session)
    session.confirm(True)
    big = session.build_submission()
    big = dataclasses.replace(big, response={**big.response, "text": "x" * 50_000})
    with pytest.raises(StorageError):
        window.store.submit(big)
    area = staff.sign_in("Kim", PIN)
    banner = area.queue.storage_problem
    assert banner.isVisible()
    assert "database or disk is full" in banner.text()
    assert area.queue.model.rowCount() == 1
    assert window.store.intake(kept, COMMAND_LINE).row.last_name == "Intact"


def test_staff_can_read_the_audit_log_but_not_change_it(staff, window):
    from PySide6.QtWidgets import QTextBrowser

    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    first = staff.sign_in("Mallory", "000000")
    staff.tap(first.sign_in.cancel_button)
    area = staff.sign_in("Kim", PIN)
    staff.tap(area.queue.audit_button)
    text = area.detail.findChild(QTextBrowser).toPlainText()
    assert "Mallory" in text and "sign in (refused)" in text
    assert "Kim" in text and "audit viewed" in text
    assert area.detail.log.isReadOnly() is not False  # a browser: read-only


def test_front_desk_cannot_manage_accounts_but_an_administrator_can(staff, window):
    from PySide6.QtWidgets import QPushButton

    now = dt.datetime.now()
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, now)
    window.store.staff.create("Ada", "admin", "731946", COMMAND_LINE, now)
    area = staff.sign_in("Kim", PIN)
    assert not area.queue.admin_button.isVisible()
    staff.tap(area.queue.sign_out)
    area = staff.sign_in("Ada", "731946")
    assert area.queue is not None, area.sign_in.message.text()
    assert area.queue.admin_button.isVisible()
    staff.tap(area.queue.admin_button)
    admin = area.detail
    staff.type_on_screen(admin, admin.name, "Lee")
    staff.type_on_screen(admin, admin.pin, "285714")
    staff.type_on_screen(admin, admin.repeat, "285714")
    staff.tap(admin.save)
    assert admin.message.text() == "Account saved for Lee."
    assert [a.name for a in window.store.staff.list(COMMAND_LINE)] == ["Ada", "Kim", "Lee"]
    remove = [b for b in admin.findChildren(QPushButton)
              if b.text() == "Remove" and b.isVisible()]
    staff.tap(remove[0])  # Ada: the last administrator
    assert admin.message.text() == "The last administrator cannot be removed."
    staff.tap(admin.purge)
    assert admin.message.text().startswith(
        "Deleted 0 intakes and 0 export and backup files older than 365 days")
    actions = audit_actions(window)
    assert "account_saved" in actions and "purge" in actions


def test_front_desk_pc_runs_staff_mode_only(make_window, qtbot):
    window = make_window(staff_only=True)
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    window.open_staff()  # what main.py --staff does at start
    assert window.staff is not None
    window.start_patient("en")
    assert window.flow is None  # no patient screens on the front-desk PC
    staff = Staff(qtbot, window)
    screen = window.staff.sign_in
    staff.type_on_screen(screen, screen.name, "Kim")
    staff.type_on_screen(screen, screen.pin, PIN)
    staff.submit(screen)
    staff.tap(window.staff.queue.sign_out)
    assert window.staff is not None and window.stack.currentWidget() is window.staff
    assert window.staff.queue is None  # back at sign-in, not Welcome


def test_the_queue_filters_by_flag_status_and_date_and_exports_what_it_shows(
        staff, window, tmp_path):
    from kiosk.demo.synthetic import fill_demo_intakes

    fill_demo_intakes(window.store, window.content, 150, now=dt.datetime.now())
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    queue = staff.sign_in("Kim", PIN).queue
    model, filters = queue.model, queue.filters
    assert queue.count.text() == "150 intakes, newest first"
    assert not queue.clear_filters.isVisible()

    filters.flag.setCurrentIndex(filters.flag.findText("Blood thinner"))
    shown = model.rowCount()
    assert 0 < shown < 150
    assert queue.count.text() == f"{shown} of 150 intakes match, newest first"
    assert all("Blood thinner" in model.data(model.index(r, 5)) for r in range(shown))
    assert queue.export_button.text() == f"Export CSV ({shown})"

    filters.status.setCurrentIndex(filters.status.findText("To review only"))
    waiting = model.rowCount()
    assert waiting < shown
    assert all(model.data(model.index(r, 4)) == "To review" for r in range(waiting))

    staff.tap(queue.clear_filters)
    assert model.rowCount() == 150 and queue.count.text() == "150 intakes, newest first"

    filters.period.setCurrentIndex(filters.period.findText("Between two dates"))
    assert filters.start.isVisible()
    newest = window.store.queue_page(limit=1)[0].submitted_at.date()
    filters.start.setDate(newest)
    filters.end.setDate(newest)
    same_day = model.rowCount()
    assert 0 < same_day <= 32
    assert {model.data(model.index(r, 0))[:10] for r in range(same_day)} == {str(newest)}

    with staff.qtbot.waitSignal(queue.export_finished, timeout=20000):  # a worker thread
        staff.tap(queue.export_button)
    csv_path = queue.result.text().removeprefix("Saved to ").rsplit(" (", 1)[0]
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == same_day

    filters.period.setCurrentIndex(filters.period.findText("All dates"))
    with staff.qtbot.waitSignal(queue.export_finished, timeout=20000):
        staff.tap(queue.pdf_button)
    assert queue.result.text().startswith("No printer is set up on this computer, so the "
                                          "PDF was saved instead. Saved to ")
    pdf_path = queue.result.text().split("Saved to ", 1)[1].rsplit(" (", 1)[0]
    assert queue.result.text().endswith("(100)")  # the newest 100 of 150
    pages = pdf_pages(pdf_path)
    assert " ".join(pages).count("Pre-procedure intake:") == 100
    starts = [page for page in pages if re.search(r" 1 ?/ ?\d+ Pre-procedure intake: ", page)]
    assert len(starts) == 100  # each summary starts a page, numbered 1 within its intake
    details = [e.detail for e in window.store.audit_events(COMMAND_LINE, 5000)
               if e.action == "export_csv"]
    assert details == [f"{same_day} intakes: All intakes, Reviewed and not, {newest} to {newest}"]


def test_staff_fields_never_call_up_qt_virtual_keyboard(staff, window):
    """Staff screens have the kiosk's keypad (and the desk's keyboard); on a tablet running
    Qt Virtual Keyboard for patients, its keyboard must not cover theirs."""
    from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit

    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    area = staff.sign_in("Kim", PIN)
    fields = area.sign_in.findChildren(QLineEdit)
    assert fields and not any(f.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
                              for f in fields)
    queue = area.queue
    dates = queue.findChildren(QAbstractSpinBox)
    assert dates and not any(d.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
                             for d in dates)


def test_a_focused_pin_field_tells_the_input_method_it_takes_no_text(staff, window):
    """Qt Virtual Keyboard opens for a focused field that answers the ImEnabled query (the
    event Qt's input context sends) with yes; a QLineEdit said yes whatever its
    WA_InputMethodEnabled (12.6: the letters over the kiosk's pad)."""
    from PySide6.QtGui import QGuiApplication, QInputMethodQueryEvent
    from PySide6.QtWidgets import QApplication

    def takes_input_method_text() -> bool:
        query = QInputMethodQueryEvent(Qt.InputMethodQuery.ImEnabled)
        QApplication.sendEvent(QGuiApplication.focusObject(), query)
        return bool(query.value(Qt.InputMethodQuery.ImEnabled))

    area = staff.open_staff_mode()
    screen = area.sign_in
    for field in (screen.name, screen.pin):
        staff.tap(field)
        staff.qtbot.waitUntil(field.hasFocus)
        assert not takes_input_method_text()
    staff.type_on_screen(screen, screen.pin, "12")
    assert screen.pin.text() == "12"  # the kiosk's own pad still types


def test_staff_find_a_patient_by_name_and_date_of_birth(staff, window):
    from kiosk.demo.synthetic import fill_demo_intakes

    fill_demo_intakes(window.store, window.content, 120, now=dt.datetime.now())
    submit_intake(window, "Ximena", "Zúñiga-Oyarzún")
    born = next(r.birth_date for r in window.store.queue_page(limit=200)
                if r.last_name == "Zúñiga-Oyarzún")
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    queue = staff.sign_in("Kim", PIN).queue
    model, filters = queue.model, queue.filters
    queue.table.scrollToBottom()
    staff.qtbot.keyClicks(filters.name, "zuniga")
    assert model.rowCount() == 1
    assert model.data(model.index(0, 1)).startswith("Zúñiga-Oyarzún, Ximena")
    assert queue.count.text() == "1 of 121 intakes match, newest first"
    assert queue.table.verticalScrollBar().value() == 0  # back at the newest rows
    filters.name.clear()
    staff.qtbot.keyClicks(filters.born, born.isoformat())
    assert any(model.data(model.index(r, 1)).startswith("Zúñiga-Oyarzún, Ximena")
               for r in range(model.rowCount()))
    staff.qtbot.keyClicks(filters.name, "xim")
    assert model.rowCount() == 1
    staff.tap(queue.clear_filters)
    assert model.rowCount() >= 100 and filters.name.text() == filters.born.text() == ""
    assert queue.count.text() == "121 intakes, newest first"
