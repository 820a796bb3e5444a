"""The intake service and its writer, without Qt: every change committed in order, typed
text a moment later, failures kept in memory and tried again, one draft format."""

from __future__ import annotations

import threading

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.draft import encode, restore
from kiosk.intake.service import TYPING_DELAY, IntakeService, SaveState
from kiosk.intake.session import IntakeSession
from kiosk.intake.writer import IntakeWriter
from kiosk.questionnaire import Coding, Quantity
from kiosk.storage import StorageError, Store
from kiosk.ui.staff.interrupted import draft_html
from tests.helpers.staff import signed_in


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Faulty:
    """A real store whose writes can be made to fail (a full disk, a server gone)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.failing = False
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def _check(self, kind: str) -> None:
        with self.lock:
            self.calls.append(kind)
        if self.failing:
            raise StorageError("could not save: OperationalError: database or disk is full")

    def save_draft(self, uid, started_at, data):
        self._check("save")
        self.store.save_draft(uid, started_at, data)

    def discard_draft(self, uid):
        self._check("discard")
        self.store.discard_draft(uid)

    def submit(self, intake):
        self._check("submit")
        return self.store.submit(intake)


@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "kiosk.db")
    yield opened
    opened.close()


@pytest.fixture
def faulty(store):
    return Faulty(store)


@pytest.fixture
def writer(faulty):
    made = IntakeWriter(faulty)
    yield made
    made.stop(2.0)


def code(session, link_id, value):
    option = session.content.questionnaire.item(link_id).option_for_code(value)
    return option.value


def the_draft(store):
    (draft,) = store.drafts(signed_in(store))
    return draft


def test_a_tap_is_committed_and_the_draft_reads_back_as_given(store, writer, content):
    service = IntakeService(IntakeSession(content), writer)
    fill_demo_session(service)
    service.record("weight", [Quantity(70.0, "lb", "http://unitsofmeasure.org", "[lb_av]")])
    assert writer.wait_idle()
    assert service.committed() and service.state is SaveState.SAVED
    back = restore(the_draft(store).data, content)
    assert back.uid == service.session.uid
    assert back.patient.last_name == "Santos" and back.birth_date().year == 1961
    assert back.answers.get("weight")[0].value == 70.0
    assert [c.code for c in back.answers.get("blood-thinners")] == ["apixaban"]
    assert back.understanding == service.session.understanding
    assert back.current == service.session.current


def test_typed_text_waits_for_the_pause_after_the_last_key(store, faulty, content):
    clock = FakeClock()
    writer = IntakeWriter(faulty, clock=clock)
    try:
        service = IntakeService(IntakeSession(content), writer)
        service.set_name("R", "")
        service.set_name("Ro", "")
        service.set_name("Rosa", "")
        writer.poke()
        threading.Event().wait(0.05)
        assert faulty.calls == []  # nothing written while the patient types
        clock.now += TYPING_DELAY + 0.01
        writer.poke()
        assert writer.wait_idle(5)
        assert faulty.calls == ["save"]  # three keys, one write
        assert the_draft(store).data["patient"]["first_name"] == "Rosa"
        service.set_name("Rosa", "D")
        service.leave_field()  # leaving the field writes at once, whatever the clock says
        assert writer.wait_idle(5)
        assert the_draft(store).data["patient"]["last_name"] == "D"
    finally:
        writer.stop(2.0)


def test_a_failed_write_keeps_every_answer_and_lands_in_order_once_storage_is_back(
        store, faulty, writer, content):
    service = IntakeService(IntakeSession(content), writer)
    session = service.session
    service.set_name("Rosa", "Delgado")
    assert writer.wait_idle()
    faulty.failing = True
    service.record("blood-thinners", [code(session, "blood-thinners", "warfarin")])
    service.record("bleeding", [True])
    deadline = threading.Event()
    while service.state is not SaveState.FAILED and not deadline.wait(0.01):
        pass
    assert service.unsaved() and "disk is full" in service.last_error
    assert "Rosa" not in service.last_error
    assert service.answers_given() == 3  # the name and two answers, kept in memory
    faulty.failing = False
    service.retry()
    assert writer.wait_idle()
    assert not service.unsaved() and service.last_error == ""
    back = restore(the_draft(store).data, content)
    assert back.answers.get("bleeding") == [True]
    assert [c.code for c in back.answers.get("blood-thinners")] == ["warfarin"]


def test_submit_is_stored_once_and_nothing_is_written_after_it(store, faulty, writer, content):
    service = IntakeService(IntakeSession(content), writer)
    fill_demo_session(service)
    faulty.failing = True
    assert service.submit().problems == ()
    threading.Event().wait(0.05)
    assert service.unsaved()  # confirmed but not yet stored: an idle reset must not drop it
    faulty.failing = False
    service.retry()
    assert writer.wait_idle()
    assert service.submitted() and store.count_intakes() == 1
    assert store.drafts(signed_in(store)) == []
    calls = len(faulty.calls)
    service.set_language("es")  # on Thank-you: no draft for the submitted intake
    service.set_language("en")
    service.discard()
    assert writer.wait_idle()
    assert len(faulty.calls) == calls
    assert store.drafts(signed_in(store)) == []


def test_an_answer_that_disables_the_page_being_shown_does_not_stop_next(writer, content):
    """Finding 14: when an answer on a page disabled that very page, next() raised."""
    import dataclasses

    from kiosk.questionnaire import parse_questionnaire

    form = parse_questionnaire({
        "resourceType": "Questionnaire", "status": "active", "url": "urn:test:gated",
        "item": [
            {"linkId": "first", "type": "boolean", "text": "First?"},
            {"linkId": "gated", "type": "group", "text": "Gated", "item": [
                {"linkId": "gate", "type": "boolean", "text": "Still here?"},
                {"linkId": "inner", "type": "string", "text": "Inner",
                 "enableWhen": [{"question": "gate", "operator": "=", "answerBoolean": True}]},
            ], "enableWhen": [{"question": "first", "operator": "=", "answerBoolean": True}]},
            {"linkId": "last", "type": "boolean", "text": "Last?"},
        ]})
    gated = dataclasses.replace(content, questionnaires={"en": form, "es": form})
    service = IntakeService(IntakeSession(gated), writer)
    session = service.session
    service.set_name("Ana", "Ruiz")
    service.set_birth(1950, 2, 3)
    service.choose_procedure(gated.procedures[0].id)
    service.record("first", [True])
    session.current = next(s for s in session.steps() if s.link_id == "gated")
    service.record("first", [False])  # the page being shown leaves the path
    changes = service.next()  # no ValueError
    assert changes.step and not changes.problems
    assert session.current.link_id == "last"
    assert service.back().step and session.current.link_id == "first"


def test_staff_read_an_interrupted_draft_as_the_patient_would_in_english(store, writer,
                                                                        content):
    session = IntakeSession(content, "es")
    service = IntakeService(session, writer)
    fill_demo_session(service)
    service.record("weight", [Quantity(70.0, "lb", "http://unitsofmeasure.org", "[lb_av]")])
    assert writer.wait_idle()
    html = draft_html(the_draft(store), content)
    assert "70 lb" in html and "'value'" not in html and "{" not in html
    assert "Apixaban" in html and "Santos, Maria" in html
    assert "Do you take any of these blood thinners" in html  # the English question
    english = code(IntakeSession(content), "blood-thinners", "apixaban")
    assert isinstance(english, Coding) and english.display in html


def test_a_format_1_draft_is_still_read(content):
    data = {"uid": "abc", "language": "en", "patient": {"first_name": "Ana",
            "last_name": "Ruiz", "birth": [1950, 2, 3], "procedure_id": ""},
            "answers": {"bleeding": [{"valueBoolean": True}]}}
    back = restore(data, content)
    assert back.uid == "abc" and back.answers.get("bleeding") == [True]


def test_the_draft_keeps_answers_a_later_answer_disabled(content, writer):
    service = IntakeService(IntakeSession(content), writer)
    session = service.session
    service.record("allergies", [code(session, "allergies", "contrast")])
    service.record("contrast-reaction", ["Hives"])
    service.record("allergies", [code(session, "allergies", "none")])  # hides the follow-up
    back = restore(encode(session), content)
    assert back.answers.raw_answers()[("contrast-reaction", ())] == ["Hives"]
