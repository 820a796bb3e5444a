"""Staff search by name and date of birth: accent- and case-blind prefixes, from indexes."""

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.storage import QueueFilter, Store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def store(database):
    opened = Store(**database)
    yield opened
    opened.close()


def submit(store, content, first, last):
    session = IntakeSession(content, now=lambda: dt.datetime.now().astimezone())
    fill_demo_session(session, first, last)
    session.confirm(True)
    submission = session.build_submission()
    store.submit(submission)
    return submission.birth_date


def names(store, **where):
    return sorted(f"{r.first_name} {r.last_name}"
                  for r in store.queue_page(where=QueueFilter(**where)))


def test_a_name_is_found_by_the_start_of_either_name_without_accents_or_case(store, content):
    submit(store, content, "José", "Núñez")
    submit(store, content, "Ana", "Peña")
    submit(store, content, "Maria", "Santos")
    assert names(store, name="nunez") == ["José Núñez"]
    assert names(store, name="NÚÑ") == ["José Núñez"]
    assert names(store, name="jose") == ["José Núñez"]
    assert names(store, name="pena") == ["Ana Peña"]
    assert names(store, name="ana pe") == ["Ana Peña"]
    assert names(store, name="ana santos") == []
    assert names(store, name="  ") == ["Ana Peña", "José Núñez", "Maria Santos"]
    assert store.count_intakes(QueueFilter(name="s")) == 1


def test_a_date_of_birth_narrows_the_search(store, content):
    born = submit(store, content, "Maria", "Santos")
    assert names(store, birth_date=born) == ["Maria Santos"]
    assert names(store, name="maria", birth_date=born - dt.timedelta(days=1)) == []


def test_the_search_reads_indexes_not_every_intake(tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    plan = " ".join(row[-1] for row in store.db.execute_sql(
        "EXPLAIN QUERY PLAN SELECT id FROM intake WHERE (last_key >= ? AND last_key < ?)"
        " OR (first_key >= ? AND first_key < ?)", ("pe", "pe\uffff", "pe", "pe\uffff")))
    assert "intake_last_key" in plan and "intake_first_key" in plan, plan
    plan = " ".join(row[-1] for row in store.db.execute_sql(
        "EXPLAIN QUERY PLAN SELECT id FROM intake WHERE birth_date = ?", ("1955-03-01",)))
    assert "intake_birth_date" in plan, plan
    store.close()


def test_intakes_stored_before_schema_8_are_found_by_name(tmp_path):
    path = tmp_path / "kiosk.db"
    shutil.copy(FIXTURES / "schema-6.db", path)
    store = Store(path)
    assert names(store, name="nunez") == ["José Núñez"]
    assert names(store, name="LEE") == ["Ann Lee"]
    store.close()
