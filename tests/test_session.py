"""The intake session state machine, without Qt."""

import datetime as dt

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.records import Step, StepKind
from kiosk.intake.session import IntakeSession

TODAY = dt.datetime(2026, 11, 25, 10, 0).astimezone()


@pytest.fixture
def session(content):
    return IntakeSession(content, now=lambda: TODAY)


def code(session, link_id, value):
    return session.content.questionnaire.item(link_id).option_for_code(value).value


def checked_in(session):
    session.set_name("Ana", "Lopez")
    session.set_birth(1970, 2, 3)
    session.choose_procedure("nerve-block")
    assert session.next() == []
    return session


@pytest.mark.parametrize(
    ("year", "month", "day", "key"),
    [
        (1970, 2, 30, "error_birth_impossible"),
        (2023, 2, 29, "error_birth_impossible"),
        (1970, 4, 31, "error_birth_impossible"),
        (2027, 1, 1, "error_birth_future"),
        (2026, 11, 26, "error_birth_future"),
        (1890, 1, 1, "error_birth_too_old"),
        (None, 2, 3, "error_birth_incomplete"),
    ],
)
def test_impossible_birth_dates_are_refused_with_a_reason(session, year, month, day, key):
    session.set_name("Ana", "Lopez")
    session.choose_procedure("nerve-block")
    session.set_birth(year, month, day)
    problems = session.next()
    assert [p.key for p in problems] == [key]
    assert session.current.kind is StepKind.CHECK_IN


def test_leap_day_is_a_real_birth_date(session):
    session.set_name("Ana", "Lopez")
    session.choose_procedure("nerve-block")
    session.set_birth(2024, 2, 29)
    assert session.next() == []


def test_check_in_names_every_missing_field(session):
    assert {p.field for p in session.next()} == {"first_name", "last_name", "birth_date",
                                                  "procedure"}


def test_learn_pages_follow_the_chosen_procedure(session):
    checked_in(session)
    pages = session.content.procedure("nerve-block").text("en").pages
    assert session.current == Step(StepKind.LEARN, page=0)
    for _ in range(len(pages)):
        session.next()
    checks = session.checks()
    assert [c.id for c in checks] == ["blood-thinner", "when-to-get-help", "driver",
                                      "steroid-blood-sugar"]
    for number, check in enumerate(checks):
        assert session.current == Step(StepKind.TEACH_BACK, page=number)
        assert [p.key for p in session.next()] == ["error_teach_back"]  # an answer first
        session.answer_check(check.id, check.correct)
        assert session.next() == []
    assert session.current == Step(StepKind.QUESTIONS, link_id="procedure-area")
    assert session.back()
    assert session.current == Step(StepKind.TEACH_BACK, page=len(checks) - 1)


def test_understanding_checks_keep_the_first_answer_and_flag_a_miss_for_staff(session):
    fill_demo_session(session)  # chose ESI, then answered the second check "I am not sure"
    blood, help_, driver, sugar = session.checks()
    assert session.understanding[help_.id] == "unsure"
    assert session.answer_check(help_.id, help_.correct) is False  # the first answer holds
    assert session.answer_check(blood.id, "yes") is True  # right the first time
    session.confirm(True)
    submission = session.build_submission()
    assert [(r.check_id, r.correct) for r in submission.understanding] == [
        ("blood-thinner", True), ("when-to-get-help", False), ("driver", True),
        ("steroid-blood-sugar", True)]
    assert submission.understanding[1].answer == "I am not sure"
    (flag,) = [f for f in submission.flags if f.rule_id == "understanding"]
    assert flag.severity == "low"
    assert help_.question("en") in flag.text and "I am not sure" in flag.text
    assert blood.question("en") not in flag.text


def test_another_procedure_asks_its_own_checks_afresh(session):
    checked_in(session)
    session.answer_check("blood-thinner", "yes")
    session.choose_procedure("spinal-cord-stimulator-trial")
    assert session.understanding == {}
    assert [c.id for c in session.checks()][0] == "stimulator-trial-dressing"


def test_a_required_question_blocks_next(session):
    checked_in(session)
    session.current = Step(StepKind.QUESTIONS, link_id="bleeding")
    assert [p.field for p in session.next()] == ["bleeding"]
    session.answer("bleeding", [False])
    assert session.next() == []
    assert session.current.link_id == "allergies"


def test_follow_ups_are_required_only_when_enabled(session):
    checked_in(session)
    session.current = Step(StepKind.QUESTIONS, link_id="sedation")
    session.answer("sedation-planned", [code(session, "sedation-planned", "no")])
    assert session.next() == []
    session.current = Step(StepKind.QUESTIONS, link_id="sedation")
    changed = session.answer("sedation-planned", [code(session, "sedation-planned", "unsure")])
    follow_ups = {"last-food", "last-drink", "last-drink-kind", "driver", "adult-24h",
                  "sleep-apnea", "sedation-problems", "sedating-medicines"}
    assert changed == {(link_id, ()) for link_id in follow_ups}
    assert {p.field for p in session.next()} == follow_ups


def test_none_of_these_clears_the_other_choices(session):
    none = code(session, "devices", "none")
    pacemaker = code(session, "devices", "pacemaker")
    session.answer("devices", [pacemaker, none])
    assert session.answers.get("devices") == [none]
    session.answer("devices", [none, pacemaker])
    assert session.answers.get("devices") == [pacemaker]


def test_change_from_review_returns_to_review(session):
    fill_demo_session(session)
    session.current = Step(StepKind.REVIEW)
    row = next(r for r in session.review_rows() if r.link_id == "diabetes")
    session.edit(row.step)
    assert session.current == Step(StepKind.QUESTIONS, link_id="diabetes")
    session.answer("diabetes", [False])
    assert session.next() == []
    assert session.current == Step(StepKind.REVIEW)
    assert next(r for r in session.review_rows() if r.link_id == "diabetes").value == "No"


def test_change_from_review_that_opens_a_follow_up_asks_it_first(session):
    fill_demo_session(session)
    session.current = Step(StepKind.REVIEW)
    session.edit(session.page_for("devices"))
    session.answer("devices", [code(session, "devices", "other")])
    assert [p.field for p in session.next()] == ["devices-other"]
    session.answer("devices-other", ["Bladder stimulator"])
    assert session.next() == []
    assert session.current == Step(StepKind.REVIEW)


def test_submission_holds_response_flags_and_questionnaire_version(session):
    fill_demo_session(session)
    with pytest.raises(ValueError):
        session.build_submission()  # not confirmed yet
    session.confirm(True)
    submission = session.build_submission()
    assert submission.questionnaire_version == session.content.questionnaire.version == "1.4.0"
    assert submission.birth_date == dt.date(1961, 4, 12)
    assert {f.rule_id for f in submission.flags} >= {"anticoagulant", "allergy-contrast",
                                                     "diabetes-steroid"}
    assert submission.response["status"] == "completed"
