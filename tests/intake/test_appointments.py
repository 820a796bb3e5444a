"""Today's appointments: the CSV folder, matching a patient, and what the session skips."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.appointments import NOT_MATCHED, CsvFolder
from kiosk.intake.records import PatientIdentifier, StepKind
from kiosk.intake.session import IntakeSession

TODAY = dt.date(2026, 12, 3)
MRN = "https://clinic.example/fhir/sid/mrn"
HEADER = "date,time,appointment_id,patient_id,last_name,first_name,birth_date,procedure,area\n"
ROWS = [
    "2026-12-03,09:30,A-1,MRN-1,Núñez-Peña,María José,1961-04-12,medial-branch-block,neck",
    "2026-12-03,10:00,A-2,MRN-2,Smith,John,1950-01-01,trigger-point-injection,",
    "2026-12-03,10:30,A-3,MRN-3,Lee,Ann,1970-07-07,epidural-steroid-injection,low-back",
    "2026-12-03,10:45,A-4,MRN-4,Lee,Ann,1970-07-07,facet-joint-injection,low-back",
    "2026-12-04,09:00,A-5,MRN-5,Tomorrow,Tom,1980-02-02,nerve-block,leg",
    "2026-12-03,11:00,A-6,MRN-6,Brown,,1960-06-06,nerve-block,leg",  # no first name
    "2026-12-03,11:15,A-7,MRN-7,Green,Al,1960-13-40,nerve-block,leg",  # no such birth date
]


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "appointments"
    path.mkdir()
    (path / "today.csv").write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8-sig")
    return CsvFolder(path, MRN)


@pytest.mark.parametrize(("first", "last"), [
    ("María José", "Núñez-Peña"), ("maria jose", "NUNEZ PENA"), ("Maria-Jose", "Nunez Pena"),
    ("MARÍA JOSÉ", "núñezpeña"),  # accents, case, hyphens, spaces
    ("Maria", "Núñez"), ("María", "Peña"),  # one of two given names, one of two surnames
])
def test_a_patient_is_found_however_they_type_their_name(folder, first, last):
    found = folder.match(first, last, dt.date(1961, 4, 12), TODAY)
    assert found is not None and found.patient_id == "MRN-1" and found.area == "neck"


@pytest.mark.parametrize(("first", "last", "born"), [
    ("María José", "Núñez-Peña", dt.date(1961, 4, 13)),  # another birth date
    ("Mario", "Núñez-Peña", dt.date(1961, 4, 12)),  # another first name
    ("María José", "Núñez-Gómez", dt.date(1961, 4, 12)),  # another surname
    ("Ann", "Lee", dt.date(1970, 7, 7)),  # two appointments: the kiosk does not pick
    ("Tom", "Tomorrow", dt.date(1980, 2, 2)),  # not today
    ("", "Brown", dt.date(1960, 6, 6)),
])
def test_no_match_rather_than_a_guess(folder, first, last, born):
    assert folder.match(first, last, born, TODAY) is None


def test_unusable_rows_are_skipped_and_the_folder_is_read_again_when_it_changes(folder, caplog):
    book = folder.book(TODAY)
    assert len(book) == 4  # A-1..A-4; skipped, A-5 is tomorrow
    assert "2 rows skipped" in caplog.text and "Brown" not in caplog.text
    new = folder.folder / "later.csv"
    new.write_text(HEADER + "2026-12-03,15:00,A-9,MRN-9,Ito,Ken,1999-09-09,nerve-block,arm\n",
                   encoding="utf-8")
    os.utime(new, ns=(1, 1))
    assert folder.match("Ken", "Ito", dt.date(1999, 9, 9), TODAY).appointment_id == "A-9"
    new.unlink()
    assert folder.match("Ken", "Ito", dt.date(1999, 9, 9), TODAY) is None


def session_for(content, folder, first, last, born):
    session = IntakeSession(content, appointments=folder,
                            now=lambda: dt.datetime.combine(TODAY, dt.time(9)).astimezone())
    session.set_name(first, last)
    session.set_birth(born.year, born.month, born.day)
    return session


def test_a_confirmed_appointment_sets_procedure_and_area_and_they_are_not_asked(content,
                                                                                folder):
    session = session_for(content, folder, "Maria Jose", "Nunez Pena", dt.date(1961, 4, 12))
    assert session.look_up_appointment() is not None
    assert session.appointment_words() == "Medial branch block — Neck"
    # the patient must say yes or no before going on
    assert [p.key for p in session.problems()] == ["error_appointment"]
    session.confirm_appointment(True)
    assert session.problems() == []
    assert session.patient.procedure_id == "medial-branch-block"
    pages = [s.link_id for s in session.steps() if s.kind is StepKind.QUESTIONS]
    assert "procedure-area" not in pages and "blood-thinners" in pages
    # the bleeding tier comes from the scheduled area: a medial branch block in the neck
    # is intermediate, so a blood thinner gets the higher-risk flag
    fill = IntakeSession(content)
    fill_demo_session(fill)
    for link_id, values in fill.answers.raw_answers().items():
        if link_id[0] != "procedure-area" and values:
            session.answers.set(link_id[0], values, link_id[1])
    for check in session.checks():
        session.answer_check(check.id, check.correct)
    session.sign(b"\x89PNG signature")
    session.confirm(True)
    submission = session.build_submission()
    assert submission.patient_identifier == PatientIdentifier(MRN, "MRN-1")
    assert submission.appointment_id == "A-1"
    assert "anticoagulant-high-tier" in [f.rule_id for f in submission.flags]


def test_no_means_the_patient_chooses_as_without_a_list(content, folder):
    session = session_for(content, folder, "María José", "Núñez-Peña", dt.date(1961, 4, 12))
    session.look_up_appointment()
    session.confirm_appointment(False)
    assert session.look_up_appointment() is None  # not offered again
    assert [p.key for p in session.problems()] == ["error_procedure"]
    pages = [s.link_id for s in session.steps() if s.kind is StepKind.QUESTIONS]
    assert "procedure-area" in pages
    assert session._appointment_id() == NOT_MATCHED and session._patient_identifier() is None


def test_changing_the_name_after_yes_asks_again(content, folder):
    session = session_for(content, folder, "María José", "Núñez-Peña", dt.date(1961, 4, 12))
    session.look_up_appointment()
    session.confirm_appointment(True)
    session.set_name("John", "Smith")
    assert session.look_up_appointment() is None
    assert not session.appointment_confirmed
    assert "procedure-area" in [s.link_id for s in session.steps()
                                if s.kind is StepKind.QUESTIONS]
