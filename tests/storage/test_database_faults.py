"""What a clinic's database does to the kiosk: a PostgreSQL restart, errors that would quote
a patient's row, characters PostgreSQL refuses, two stores in one process."""

import dataclasses
import datetime as dt

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.storage import StorageError, Store
from tests.helpers.staff import signed_in


def submission(content, first="Maria", last="Santos"):
    session = IntakeSession(content)
    fill_demo_session(session, first, last)
    session.confirm(True)
    return session.build_submission()


def test_a_postgresql_restart_is_survived_without_restarting_the_kiosk(private_postgres,
                                                                       content):
    store = Store(url=private_postgres.url)
    kim = signed_in(store)
    first = store.submit(submission(content, last="Before"))
    private_postgres.restart()  # every connection the kiosk had is gone
    second = store.submit(submission(content, last="After"))  # reconnects, then writes
    assert store.intake(second, kim).row.last_name == "After"
    private_postgres.restart()
    assert [r.last_name for r in store.queue_page()] == ["After", "Before"]  # reads too
    assert store.staff.sign_in("Kim", "482913", dt.datetime.now()).ok  # staff mode opens
    assert first != second
    store.close()


def test_while_the_server_is_down_storage_says_so_and_recovers_after(private_postgres, content):
    store = Store(url=private_postgres.url)
    private_postgres.stop()
    with pytest.raises(StorageError, match="cannot be reached") as caught:
        store.submit(submission(content, last="Waiting"))
    assert "Waiting" not in str(caught.value) and "Waiting" not in store.last_error
    with pytest.raises(StorageError):
        store.save_draft("u-1", dt.datetime.now(), {"patient": "x"})  # fails fast, again
    private_postgres.start()
    intake = submission(content, last="Waiting")
    store.submit(intake)
    store.submit(intake)  # the same intake twice (a retry): stored once
    assert store.count_intakes() == 1
    assert store.last_error is None
    store.close()


def test_a_database_error_never_carries_the_patients_row(database, content):
    store = Store(**database)
    broken = dataclasses.replace(submission(content, "Maria", "Santos"), procedure_id=None)
    with pytest.raises(StorageError) as caught:
        store.submit(broken)  # PostgreSQL: "DETAIL: Failing row contains (... Maria ...)"
    for text in (str(caught.value), store.last_error):
        assert "Maria" not in text and "Santos" not in text and "Failing row" not in text
    assert "procedure_id" in str(caught.value) or "NOT NULL" in str(caught.value)
    store.close()


def test_a_nul_in_a_name_does_not_block_submit(database, content):
    store = Store(**database)
    intake_id = store.submit(submission(content, "Ro\x00sa", "Del\x07gado"))
    row = store.intake(intake_id, signed_in(store)).row
    assert (row.first_name, row.last_name) == ("Rosa", "Delgado")
    store.close()


def test_two_stores_in_one_process_write_each_into_its_own_file(tmp_path, content):
    east, west = Store(tmp_path / "east.db"), Store(tmp_path / "west.db")
    east.submit(submission(content, last="East"))
    west.submit(submission(content, last="West"))
    east.submit(submission(content, last="East2"))
    assert [r.last_name for r in east.queue_page()] == ["East2", "East"]
    assert [r.last_name for r in west.queue_page()] == ["West"]
    east.close()
    west.close()
