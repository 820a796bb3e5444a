"""A patient's whole journey by taps, and the rules that keep them on the path."""

import datetime as dt
import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from kiosk.intake.records import Step, StepKind
from kiosk.staff.access import COMMAND_LINE

pytestmark = pytest.mark.gui

BORN = dt.date(1958, 3, 14)


def answer_everything(patient, blood_thinner="Apixaban (Eliquis)", area=True):
    """The questionnaire as a patient with an anticoagulant and planned sedation answers it
    (without the body area when today's appointment gave it: ``area=False``)."""
    if area:
        assert patient.step == Step(StepKind.QUESTIONS, link_id="procedure-area")
        patient.choose("Lower back")
        patient.next()
    assert patient.step == Step(StepKind.QUESTIONS, link_id="blood-thinners")
    patient.choose(blood_thinner)
    if blood_thinner != "None of these":  # asked right under it: when, and who prescribes it
        patient.choose("Yesterday", within="blood-thinner-last-dose")
    patient.next()
    patient.answer_yes_no("bleeding", False)
    patient.next()
    patient.choose("X-ray dye (contrast)")
    patient.choose("Hives, a rash or itching", within="contrast-reaction-what")
    patient.choose("More than 5 years ago", within="contrast-reaction-when")
    patient.type_answer("contrast-reaction", "Hives in 2019")
    patient.next()
    patient.answer_yes_no("fever-infection", False)
    patient.answer_yes_no("antibiotics", False)
    patient.answer_yes_no("recent-illness", False)
    patient.answer_yes_no("skin-problem", False)
    patient.next()
    patient.answer_yes_no("diabetes", True)
    patient.choose("Metformin", within="diabetes-medicines")
    patient.choose("70 to 180", within="blood-sugar-today")
    patient.next()
    patient.choose("This does not apply to me")
    patient.next()
    patient.choose("None of these")
    patient.next()
    for link_id in ("glaucoma", "immune", "kidney-liver", "heart-failure"):
        patient.answer_yes_no(link_id, False)
    patient.next()
    patient.answer_yes_no("recent-steroid-shot", False)
    patient.answer_yes_no("site-surgery", False)
    patient.next()
    patient.choose("Yes", within="sedation-planned")
    patient.choose("More than 8 hours ago", within="last-food")
    patient.choose("2 to 6 hours ago", within="last-drink")
    patient.choose("Only a clear drink (water, clear juice, black coffee or tea)",
                   within="last-drink-kind")
    patient.choose("No", within="driver")
    patient.answer_yes_no("adult-24h", True)
    for link_id in ("sleep-apnea", "sedation-problems", "sedating-medicines"):
        patient.answer_yes_no(link_id, False)
    patient.next()
    patient.tap_number("pain-now", 7)
    patient.next()
    assert patient.step.link_id == "peg"  # the PEG scale: optional, with its score
    patient.tap_number("peg-average", 6)
    patient.tap_number("peg-enjoyment", 5)
    score = patient.screen.items["peg-score"]
    assert score.edit.text() == ""  # not all three yet
    patient.tap_number("peg-activity", 7)
    assert score.edit.text() == "6" and not score.edit.isEnabled()
    patient.next()


def test_full_journey_by_taps_is_stored_whole(patient, window, caplog):
    caplog.set_level(logging.DEBUG)
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Epidural steroid injection (from the back)")
    assert patient.read_explanation() == 7
    answer_everything(patient)

    assert patient.step.kind is StepKind.REVIEW
    texts = " ".join(patient.visible_texts())
    for expected in ("Rosa Delgado", "March 14, 1958", "Apixaban (Eliquis)", "Yesterday",
                     "Hives in 2019"):
        assert expected in texts
    patient.next()
    assert patient.step.kind is StepKind.CONFIRM
    assert not patient.flow.next_button.isVisible()  # the big button is the only way on
    patient.tap(patient.screen.confirm_button)  # not signed yet: refused, with the reason
    assert patient.errors() == ["Please sign in the box with your finger."]
    patient.sign()
    assert patient.errors() == []
    with patient.qtbot.waitSignal(patient.flow.submitted) as submitted:
        patient.tap(patient.screen.confirm_button)
    assert "Please hand the tablet back to the front desk." in patient.visible_texts()

    row = window.store.models.Intake.get_by_id(submitted.args[0])
    assert (row.first_name, row.last_name, row.birth_date) == ("Rosa", "Delgado", BORN)
    assert bytes(row.signature_png).startswith(b"\x89PNG")  # the drawn signature is kept
    assert row.procedure_id == "epidural-steroid-injection"
    assert row.questionnaire_version == "1.4.0"
    labels = row.flag_labels
    for flag in ("Blood thinner", "X-ray dye allergy", "Diabetes + steroid", "Sedation, no driver"):
        assert flag in labels

    # Done goes back to Welcome with nothing of the patient left
    with patient.qtbot.waitSignal(window.patient_reset):
        patient.tap(patient.screen.action)
    assert window.flow is None
    assert window.stack.currentWidget() is window.welcome
    patient.qtbot.wait(10)  # let Qt delete the patient's widgets
    shown = [w.text() for kind in (QLabel, QLineEdit, QPushButton)
             for w in window.findChildren(kind)]
    assert not [text for text in shown if "Rosa" in text or "Delgado" in text or "Hives" in text]
    # and nothing of the patient went to the log
    assert "Rosa" not in caplog.text and "Delgado" not in caplog.text and "Hives" not in caplog.text


def test_impossible_date_is_refused_with_a_clear_message(patient):
    patient.start()
    screen = patient.screen
    patient.type_into(screen.first_name, "Rosa")
    patient.type_into(screen.last_name, "Delgado")
    patient.close_keyboard()
    patient.pick(screen.birth.month, "February")
    patient.pick(screen.birth.day, "30")
    patient.pick(screen.birth.year, "1990")
    patient.choose("Nerve block")
    patient.next()
    assert patient.step.kind is StepKind.CHECK_IN
    assert patient.errors() == [
        "That date does not exist. This month has only 28 days. Please check the day."
    ]
    patient.pick(screen.birth.day, "28")
    patient.next()
    assert patient.step.kind is StepKind.LEARN


def test_required_question_blocks_next_and_says_why(patient):
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    patient.next()  # nothing chosen
    assert patient.step.link_id == "blood-thinners"
    assert patient.errors() == [
        "Please answer this question. Your care team needs the answer to keep you safe."
    ]
    assert patient.screen.banner.isVisible()
    patient.choose("None of these")
    assert patient.errors() == []
    patient.next()
    assert patient.step.link_id == "bleeding"


def test_follow_up_questions_appear_and_disappear(patient):
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    other = patient.screen.items["blood-thinners-other"]
    assert not other.isVisible()
    patient.choose("Another blood thinner")
    assert other.isVisible()
    patient.next()
    assert patient.step.link_id == "blood-thinners"  # the follow-ups are required now
    assert len(patient.errors()) == 2  # the other one's name, and when it was last taken
    assert patient.screen.items["blood-thinner-last-dose"].isVisible()
    patient.choose("None of these")  # exclusive: clears the others and hides the follow-up
    assert not other.isVisible()
    chosen = [b.label_text() for _, b in patient.screen.items["blood-thinners"].buttons
              if b.isChecked()]
    assert chosen == ["None of these"]
    patient.next()
    assert patient.step.link_id == "bleeding"
    patient.next()  # bleeding is required: Next stays put
    assert patient.step.link_id == "bleeding"
    patient.answer_yes_no("bleeding", False)
    patient.next()
    patient.choose("None of these")
    patient.next()
    patient.answer_yes_no("fever-infection", False)
    patient.answer_yes_no("antibiotics", False)
    patient.answer_yes_no("recent-illness", False)
    patient.answer_yes_no("skin-problem", False)
    patient.next()
    patient.answer_yes_no("diabetes", False)
    patient.next()
    patient.choose("No")
    patient.next()
    patient.choose("None of these")
    patient.next()
    for link_id in ("glaucoma", "immune", "kidney-liver", "heart-failure"):
        patient.answer_yes_no(link_id, False)
    patient.next()
    patient.answer_yes_no("recent-steroid-shot", False)
    patient.answer_yes_no("site-surgery", False)
    patient.next()
    food = patient.screen.items["last-food"]
    driver = patient.screen.items["driver"]
    assert not food.isVisible() and not driver.isVisible()
    patient.choose("I do not know", within="sedation-planned")
    assert food.isVisible() and driver.isVisible()
    patient.choose("No", within="sedation-planned")
    assert not food.isVisible() and not driver.isVisible()


def test_review_tap_goes_back_to_change_an_answer(patient, window):
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Radiofrequency ablation")
    patient.read_explanation()
    answer_everything(patient, blood_thinner="None of these")
    assert patient.step.kind is StepKind.REVIEW
    row = next(r for r in patient.screen.rows if r.row.link_id == "diabetes")
    assert row.row.value == "Yes"
    patient.tap(row)
    assert patient.step == Step(StepKind.QUESTIONS, link_id="diabetes")
    patient.answer_yes_no("diabetes", False)
    patient.next()
    assert patient.step.kind is StepKind.REVIEW
    row = next(r for r in patient.screen.rows if r.row.link_id == "diabetes")
    assert row.row.value == "No"

    name_row = patient.screen.rows[0]
    patient.tap(name_row)
    assert patient.step.kind is StepKind.CHECK_IN
    assert patient.screen.first_name.text() == "Rosa"  # what was entered is still there


def test_back_and_next_on_every_page_with_progress(patient):
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    seen = []
    while patient.step.kind is StepKind.LEARN:
        assert patient.flow.back_button.isVisible() and patient.flow.next_button.isVisible()
        seen.append(patient.flow.progress.value())
        patient.next()
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    patient.back()
    assert patient.step.kind is StepKind.LEARN


def test_idle_reset_discards_the_intake_and_clears_every_widget(make_window, qtbot):
    from tests.helpers.patient import Patient

    # the warning stays 1.5 s: long enough to be seen on a loaded CI machine (at 0.3 s
    # the reset could come before the test looked)
    window = make_window(idle_seconds=0.3, warning_seconds=1.5)
    patient = Patient(qtbot, window)
    patient.start()
    patient.type_into(patient.screen.first_name, "Zebulon")
    patient.type_into(patient.screen.last_name, "Quagmire")
    patient.close_keyboard()
    with qtbot.waitSignal(window.patient_reset, timeout=10000):
        qtbot.waitUntil(window.idle_overlay.isVisible, timeout=5000)
        assert "Are you still there?" in window.idle_overlay.heading.text()
    assert window.flow is None
    assert not window.idle_overlay.isVisible()
    qtbot.wait(10)
    widgets = [w for kind in (QLabel, QLineEdit, QPushButton) for w in window.findChildren(kind)]
    assert widgets
    for widget in widgets:
        text = widget.text()
        assert "Zebulon" not in text and "Quagmire" not in text
    assert window.store.models.Intake.select().count() == 0
    # The next patient starts with empty fields
    patient.start()
    assert patient.screen.first_name.text() == ""


def test_still_here_keeps_the_answers(make_window, qtbot):
    from tests.helpers.patient import Patient

    window = make_window(idle_seconds=0.3, warning_seconds=5)
    patient = Patient(qtbot, window)
    patient.start()
    patient.type_into(patient.screen.first_name, "Rosa")
    patient.close_keyboard()
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=3000)
    patient.tap(window.still_here)
    assert not window.idle_overlay.isVisible()
    assert patient.screen.first_name.text() == "Rosa"


def test_start_over_asks_first_then_clears(patient, window):
    patient.start()
    patient.type_into(patient.screen.first_name, "Rosa")
    patient.close_keyboard()
    patient.tap(patient.flow.start_over)
    overlay = patient.flow.confirm_restart
    assert overlay.isVisible()
    with patient.qtbot.waitSignal(window.patient_reset):
        yes = next(b for b in overlay.findChildren(QPushButton) if b.text() == "Yes, start over")
        patient.tap(yes)
    assert window.stack.currentWidget() is window.welcome


def test_storage_failure_shows_calm_message_and_keeps_answers(patient, window, monkeypatch):
    from kiosk.storage import StorageError

    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    answer_everything(patient)
    patient.next()
    real_submit = window.store.submit

    def full_disk(_intake):
        raise StorageError("could not save the intake: OperationalError: database or disk is full")

    monkeypatch.setattr(window.store, "submit", full_disk)
    patient.sign()
    patient.tap(patient.screen.confirm_button)
    patient.qtbot.waitUntil(lambda: "Please see the front desk." in " ".join(
        patient.visible_texts()))
    assert not patient.flow.footer.isVisible() and not patient.flow.start_over.isVisible()
    assert window.flow.service.unsaved()
    monkeypatch.setattr(window.store, "submit", real_submit)
    with patient.qtbot.waitSignal(patient.flow.submitted, timeout=10_000):
        if patient.flow.storage_failed:
            patient.tap(patient.screen.action)  # Try again
    assert "Please hand the tablet back to the front desk." in patient.visible_texts()
    window.writer.wait_idle()
    assert window.store.models.Intake.select().count() == 1  # once, though tried twice
    assert window.store.drafts(COMMAND_LINE) == []


def test_answers_are_saved_as_a_draft_and_discarded_on_start_over(patient, window):
    from kiosk.intake.draft import restore

    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    patient.choose("Warfarin (Coumadin, Jantoven)")
    assert window.writer.wait_idle()
    (draft,) = window.store.drafts(COMMAND_LINE)
    assert draft.data["patient"]["first_name"] == "Rosa"
    back = restore(draft.data, window.content)
    assert [c.code for c in back.answers.get("blood-thinners")] == ["warfarin"]
    patient.tap(patient.flow.start_over)
    yes = next(b for b in patient.flow.confirm_restart.findChildren(QPushButton)
               if b.text() == "Yes, start over")
    with patient.qtbot.waitSignal(window.patient_reset):
        patient.tap(yes)
    assert window.writer.wait_idle()
    assert window.store.drafts(COMMAND_LINE) == []


def _fail_saves(window, monkeypatch):
    from kiosk.storage import StorageError

    def disk_full(*_args):
        raise StorageError("could not save the draft: OperationalError: database or disk is full")

    real_save = window.store.save_draft
    monkeypatch.setattr(window.store, "save_draft", disk_full)
    return lambda: monkeypatch.setattr(window.store, "save_draft", real_save)


def test_a_draft_that_cannot_be_saved_stops_the_patient_calmly(patient, window, monkeypatch):
    from kiosk.intake.draft import restore

    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    heal = _fail_saves(window, monkeypatch)
    patient.choose("None of these")
    patient.qtbot.waitUntil(lambda: "Please see the front desk." in " ".join(
        patient.visible_texts()))
    # no way off the error screen that could leave the answer behind (no Back, Next, Start over)
    assert not patient.flow.footer.isVisible() and not patient.flow.start_over.isVisible()
    assert window.flow.service.unsaved()
    heal()
    patient.tap(patient.screen.action)  # Try again, once the desk has fixed it
    patient.qtbot.waitUntil(lambda: not patient.flow.storage_failed, timeout=10_000)
    assert patient.step.link_id == "blood-thinners"  # back where the patient was
    assert patient.flow.footer.isVisible()
    window.writer.wait_idle()
    (draft,) = window.store.drafts(COMMAND_LINE)
    assert [c.code for c in restore(draft.data, window.content).answers.get(
        "blood-thinners")] == ["none"]


def test_unsaved_answers_outlive_the_idle_reset_and_staff_can_step_in(make_window, qtbot,
                                                                       monkeypatch):
    """Finding 11.3: the idle reset discarded answers that existed only in memory, staff
    could not step in, and Back on the error screen turned autosave off."""
    from kiosk.intake.draft import restore
    from tests.helpers.patient import Patient
    from tests.helpers.staff import PIN, StaffUser

    window = make_window(idle_seconds=0.3, warning_seconds=0.3)
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    patient = Patient(qtbot, window)
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    heal = _fail_saves(window, monkeypatch)
    patient.choose("Warfarin (Coumadin, Jantoven)")
    patient.choose("Apixaban (Eliquis)")
    qtbot.waitUntil(lambda: window.flow is None and window.hold_screen is not None,
                    timeout=5000)  # the patient walked away: held, not discarded
    shown = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    assert "Please see the front desk" in shown
    assert not [text for text in shown if "Rosa" in text or "Apixaban" in text]
    assert window.held is not None and window.held.answers_given() >= 2

    staff = StaffUser(qtbot, window)
    staff.tap(window.hold_screen.action)  # "Staff: sign in to help"
    area = staff.sign_in("Kim", PIN)
    pending = area.pending_screen
    assert pending is not None and pending.isVisible()
    assert "answers are kept in memory only" in pending.body.text()
    heal()
    staff.tap(pending.retry)
    qtbot.waitUntil(lambda: pending.heading.text().startswith("Saved."), timeout=10_000)
    (draft,) = window.store.drafts(COMMAND_LINE)  # on disk now, as an interrupted intake
    codes = [c.code for c in restore(draft.data, window.content).answers.get("blood-thinners")]
    assert codes == ["warfarin", "apixaban"]
    staff.tap(pending.back)
    assert window.stack.currentWidget() is window.welcome  # ready for the next patient


def test_staff_may_discard_unsaved_answers_only_after_confirming(make_window, qtbot,
                                                                 monkeypatch):
    from tests.helpers.patient import Patient
    from tests.helpers.staff import PIN, StaffUser

    window = make_window()
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    patient = Patient(qtbot, window)
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    heal = _fail_saves(window, monkeypatch)
    patient.choose("Lower back")
    qtbot.waitUntil(lambda: patient.flow.storage_failed)
    staff = StaffUser(qtbot, window)
    staff.tap(patient.screen.staff_button)
    area = staff.sign_in("Kim", PIN)
    staff.tap(area.pending_screen.discard)
    assert area.pending_screen.confirm.isVisible()  # asked first
    drop = next(b for b in area.pending_screen.confirm.findChildren(QPushButton)
                if b.text() == "Discard these answers")
    with qtbot.waitSignal(window.patient_reset):
        staff.tap(drop)
    heal()
    assert window.writer.wait_idle()
    assert window.store.drafts(COMMAND_LINE) == []  # the first draft, removed
    assert window.stack.currentWidget() is window.welcome
    actions = [e.action for e in window.store.audit_events(COMMAND_LINE)]
    assert "unsaved_intake_discarded" in actions


def test_an_unencrypted_kiosk_says_demo_and_an_encrypted_one_does_not(make_window):
    demo = make_window()
    assert demo.welcome.demo_marker.isVisible()
    assert "DEMO" in demo.welcome.demo_marker.text()
    secure = make_window(db_key="correct horse battery staple", data_subdir="secure")
    assert not secure.welcome.demo_marker.isVisible()
    assert secure.store.encrypted


def test_switching_to_spanish_mid_intake_keeps_the_answers(patient, window):
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    patient.choose("Apixaban (Eliquis)")
    spanish = next(b for b in patient.flow.findChildren(QPushButton) if b.text() == "Español")
    patient.tap(spanish)
    assert patient.flow.session.language == "es"
    assert patient.step.link_id == "blood-thinners"  # same screen, now in Spanish
    texts = patient.visible_texts()
    assert ("¿Toma alguna de estas medicinas que hacen la sangre más líquida "
            "(anticoagulantes o antiplaquetarios)? Toque cada una que tome.") in texts
    chosen = [b.label_text() for _, b in patient.screen.items["blood-thinners"].buttons
              if b.isChecked()]
    assert chosen == ["Apixabán (Eliquis)"]
    assert patient.flow.next_button.text() == "Siguiente ›"
    english = next(b for b in patient.flow.findChildren(QPushButton)
                   if b.text() == "English" and b.isVisible())
    patient.tap(english)
    assert patient.step.link_id == "blood-thinners"
    assert window.store.drafts(COMMAND_LINE)[0].data["language"] == "en"


def test_a_patient_can_start_in_spanish(patient, window):
    spanish = next(b for b in window.welcome.findChildren(QPushButton) if b.text() == "Español")
    patient.tap(spanish)
    assert window.welcome.start.text() == "Comenzar"
    patient.start()
    assert patient.flow.session.language == "es"
    assert "Registremos su llegada" in patient.visible_texts()


def test_larger_text_and_high_contrast_apply_at_once_and_reset_for_the_next_patient(
        patient, window, qapp):
    from PySide6.QtWidgets import QPushButton as Button

    normal = window.welcome.start.font().pixelSize()
    largest = next(b for b in window.welcome.findChildren(Button)
                   if b.accessibleName() == "Largest text")
    patient.tap(largest)
    assert window.welcome.start.font().pixelSize() >= normal * 1.4
    patient.tap(window.welcome.contrast)
    assert "#ffff00" in qapp.styleSheet()
    patient.start()
    question = patient.screen.findChildren(QLabel)[0]
    assert question.font().pixelSize() > 20  # every screen, no restart
    patient.tap(patient.flow.start_over)
    yes = next(b for b in patient.flow.confirm_restart.findChildren(Button)
               if b.text() == "Yes, start over")
    with patient.qtbot.waitSignal(window.patient_reset):
        patient.tap(yes)
    assert window.welcome.start.font().pixelSize() == normal
    assert "#ffff00" not in qapp.styleSheet()


def test_a_missed_understanding_check_shows_the_answer_why_and_where_it_was_said(
        patient, window):
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Epidural steroid injection (from the back)")
    patient.read_explanation(checks=False)
    assert patient.step == Step(StepKind.TEACH_BACK, page=0)
    assert "Should you stop your blood thinner on your own" in " ".join(patient.visible_texts())
    patient.next()  # no answer yet: kept here, told why
    assert patient.errors() == ["Please tap an answer. \u201cI am not sure\u201d is fine."]
    patient.choose("Yes, I stop it a few days before, like last time")
    feedback = patient.screen.feedback_texts()
    assert feedback[0] == ("Not quite. The answer is: "
                           "No. The clinic and my doctor decide")
    assert "can cause a stroke or heart attack" in feedback[1]
    assert "From the page \u201cHow to get ready\u201d:" in feedback
    assert any("do not stop it on your own" in line for line in feedback)  # the paragraph
    assert not any("Tell the team about every medicine" in line for line in feedback)
    patient.choose("No. The clinic and my doctor decide")  # too late
    assert patient.screen.feedback_texts()[0].startswith("Not quite.")
    chosen = [b.label_text() for b in patient.screen.buttons.values() if b.isChecked()]
    assert chosen == ["Yes, I stop it a few days before, like last time"]  # the first answer stays
    patient.next()
    assert patient.answer_checks() == [True, True, True]  # the other three, answered right
    assert patient.step.link_id == "procedure-area"
    patient.back()  # back on an answered check: the verdict is shown again
    assert patient.screen.feedback_texts()[0] == "That's right."


def test_read_aloud_speaks_the_page_in_the_patients_language_and_stops_on_a_new_screen(
        patient, window, qtbot):
    patient.start()
    flow = patient.flow
    assert not flow.read_button.isVisible()  # check-in: nothing to read
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    assert flow.read_button.isVisible()
    with qtbot.waitSignal(window.read_aloud.speaking_changed, check_params_cb=bool):
        patient.tap(flow.read_button)
    said = window.read_aloud.spoken[-1]
    assert said.startswith("About your procedure · Nerve block")
    assert "A nerve block puts numbing medicine next to a nerve" in said
    assert flow.read_button.accessibleName() == "Stop reading"
    patient.next()  # a new screen stops the reading
    assert not window.read_aloud.is_speaking()
    patient.tap(flow.read_button)
    assert window.read_aloud.spoken[-1].startswith("About your procedure · Nerve block\n"
                                                   "Why it is considered safe")
    # Qt's mock engine has no Spanish voice: in Spanish the button gives way to a note
    patient.flow.language_requested.emit("es")
    flow = patient.flow
    patient.tap(flow.read_button)
    assert not flow.read_button.isVisible()
    assert flow.read_note.text() == "Leer en voz alta no está disponible en este idioma aquí."
    window.end_patient()
    assert window.read_aloud.spoken == []  # nothing of the patient kept


def test_read_aloud_without_a_voice_is_disabled_with_a_note(make_window, qtbot):
    window = make_window(speech_engine="no-such-engine")
    window.start_patient("en")
    flow = window.flow
    flow.session.choose_procedure("nerve-block")
    flow.session.current = Step(StepKind.LEARN, page=0)
    flow.show_step()
    qtbot.mouseClick(flow.read_button, Qt.MouseButton.LeftButton)
    assert not flow.read_button.isVisible()
    assert flow.read_note.text() == "Reading aloud is not available on this tablet."
    flow.on_next_tapped()
    assert not flow.read_button.isVisible()  # not offered again to this patient


def test_names_with_accents_are_typed_on_the_on_screen_keyboard(patient):
    patient.start()
    patient.type_into(patient.screen.first_name, "José")
    patient.type_into(patient.screen.last_name, "Núñez-Argüello")
    patient.close_keyboard()
    assert (patient.flow.session.patient.first_name,
            patient.flow.session.patient.last_name) == ("José", "Núñez-Argüello")


def test_the_speaker_icon_stays_visible_on_the_high_contrast_theme(window):
    window.on_display_requested(1.0, True)
    window.start_patient("en")
    image = window.flow.read_button.icon().pixmap(32, 32).toImage()
    drawn = [image.pixelColor(x, y) for x in range(32) for y in range(32)
             if image.pixelColor(x, y).alpha() > 128]
    assert drawn and all(c.lightness() > 200 for c in drawn)  # white on black, not dark
    window.end_patient()


def test_when_qt_virtual_keyboard_cannot_show_the_kiosk_keyboard_takes_over(
        make_window, qtbot, monkeypatch):
    """Offscreen, Qt's keyboard can never appear: as on a tablet whose plugin will not load."""
    from kiosk.ui.keyboard.kiosk_keyboard import OnScreenKeyboard
    from kiosk.ui.keyboard.qt_keyboard import SystemKeyboardDock
    from tests.helpers.patient import Patient

    monkeypatch.setattr(SystemKeyboardDock, "APPEAR_MS", 100)
    window = make_window(keyboard="qt")
    patient = Patient(qtbot, window)
    patient.start()
    assert not isinstance(patient.flow.keyboard, OnScreenKeyboard)
    patient.tap(patient.screen.first_name)
    qtbot.waitUntil(lambda: isinstance(patient.flow.keyboard, OnScreenKeyboard)
                    and patient.flow.keyboard.isVisible())
    patient.type_into(patient.screen.first_name, "Rosa")
    assert patient.flow.session.patient.first_name == "Rosa"
    window.end_patient()
    assert window.settings.keyboard == "kiosk"  # the next patient starts with it


def test_a_follow_up_opens_below_the_answer_without_hiding_it(patient, qtbot):
    """Finding 12.1: the view jumped to the *last* follow-up; the question just answered and
    the first follow-up went off the top, and the next tap answered the wrong question."""
    patient.start()
    patient.check_in("Rosa", "Delgado", BORN, "Nerve block")
    patient.read_explanation()
    patient.answer_area()
    patient.choose("None of these", within="blood-thinners")
    patient.next()
    patient.answer_yes_no("bleeding", False)
    patient.next()
    assert patient.step.link_id == "allergies"
    question = patient.screen.items["allergies"]
    first = patient.screen.items["contrast-reaction-what"]
    patient.choose("X-ray dye (contrast)", within="allergies")
    qtbot.wait(50)  # the scroll happens on the next turn of the event loop
    viewport = patient.flow.host.viewport()

    def top_in_view(widget):
        return widget.mapTo(viewport, widget.rect().topLeft()).y()

    assert first.isVisible()
    assert 0 <= top_in_view(question) < viewport.height()  # the answered question stays
    # the first follow-up starts to show below it (the nine allergy options leave it ~45 px
    # at 1280x800: the question's top is kept in view first)
    assert top_in_view(first) < viewport.height() - 40
    assert top_in_view(first) > top_in_view(question)


def test_the_idle_warning_is_on_top_of_the_keyboard_and_any_key_keeps_the_patient(
        make_window, qtbot):
    """Finding 12.2: "Are you still there?" appeared behind the keyboard, keys went on typing
    into the field behind it without resetting the countdown, and the intake was discarded."""
    from PySide6.QtTest import QTest

    from tests.helpers.patient import Patient

    window = make_window(idle_seconds=0.3, warning_seconds=0.6)
    patient = Patient(qtbot, window)
    patient.start()
    patient.type_into(patient.screen.first_name, "Rosa")  # the keyboard stays open
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=3000)
    assert not patient.flow.keyboard.isVisible()  # nothing sits above the warning
    centre = window.still_here.mapTo(window, window.still_here.rect().center())
    assert window.childAt(centre) is window.still_here  # on top, reachable
    assert window.still_here.hasFocus()
    QTest.keyClick(window.still_here, Qt.Key.Key_A)  # any key: still here
    assert not window.idle_overlay.isVisible()
    qtbot.wait(700)  # past the warning's end: the countdown was really reset
    assert window.flow is not None
    assert patient.screen.first_name.text() == "Rosa"
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=3000)  # and it comes back later
    patient.tap(window.idle_overlay)  # a tap anywhere on the dimmed screen counts too
    assert not window.idle_overlay.isVisible()
    assert window.flow is not None
