"""The store on a real SQLite file: whole submissions, queue order, reviews, PIN, audit."""

import dataclasses
import datetime as dt

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.flags import Flag
from kiosk.intake.session import IntakeSession
from kiosk.staff.pin import hash_pin, verify_pin
from kiosk.storage import StorageError, Store
from kiosk.storage.migrations import SCHEMA_VERSION
from tests.helpers.staff import signed_in


@pytest.fixture
def store(database):
    opened = Store(**database)
    yield opened
    opened.close()


def submission(content, first="Maria", last="Santos", at=None):
    session = IntakeSession(content, now=lambda: at or dt.datetime.now().astimezone())
    fill_demo_session(session, first, last)
    session.confirm(True)
    return session.build_submission()


def test_database_uses_wal_foreign_keys_and_records_schema_version(tmp_path):
    store = Store(tmp_path / "kiosk.db")
    assert store.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_submitted_intake_reads_back_with_flags_and_questionnaire(store, content):
    intake_id = store.submit(submission(content))
    detail = store.intake(intake_id, signed_in(store))
    assert (detail.row.first_name, detail.row.last_name) == ("Maria", "Santos")
    assert detail.questionnaire_version == content.questionnaire.version
    assert detail.questionnaire_url == content.questionnaire.url
    assert detail.flags and detail.flags[0].severity == "high"
    assert detail.response["item"]


def test_a_failed_submission_leaves_nothing_behind(store, content):
    good = submission(content)
    broken = dataclasses.replace(
        good, flags=good.flags + (Flag("x", "high", None, "text"),)  # label NOT NULL fails
    )
    with pytest.raises(StorageError) as caught:
        store.submit(broken)
    assert "Maria" not in str(caught.value) and "Santos" not in str(caught.value)
    assert store.db.execute_sql("SELECT count(*) FROM intake").fetchone()[0] == 0
    assert store.db.execute_sql("SELECT count(*) FROM intakeflag").fetchone()[0] == 0


def test_queue_is_newest_first_and_pages_without_gaps(store, content):
    base = dt.datetime(2026, 11, 1, 8, 0).astimezone()
    for n in range(25):
        store.submit(submission(content, first=f"P{n:02d}", at=base + dt.timedelta(minutes=n // 2)))
    seen, cursor = [], None
    while page := store.queue_page(after=cursor, limit=7):
        seen += page
        cursor = page[-1].cursor
    assert len(seen) == 25 == store.count_intakes()
    assert len({r.id for r in seen}) == 25
    assert [r.cursor for r in seen] == sorted((r.cursor for r in seen), reverse=True)


def test_mark_reviewed_records_who_and_when_and_audits(store, content):
    intake_id = store.submit(submission(content))
    kim = signed_in(store, "RN Kim")
    at = dt.datetime(2026, 11, 25, 14, 5)
    store.mark_reviewed(intake_id, kim, at)
    store.mark_reviewed(intake_id, kim, at)  # again (a retry after a lost connection)
    row = store.intake(intake_id, kim).row
    assert (row.reviewed_by, row.reviewed_at) == ("RN Kim", at)
    assert store.db.execute_sql("SELECT count(*) FROM review").fetchone()[0] == 1
    event = store.audit_events(kim)[0]
    assert (event.actor, event.action, event.intake_id) == ("RN Kim", "intake_reviewed", intake_id)


@pytest.mark.real_pin_hash
def test_pins_are_stored_only_as_argon2_hashes(tmp_path):
    store = Store(tmp_path / "kiosk.db")
    signed_in(store, "Kim", "admin", "482913")
    account = store.models.StaffAccount.get()
    # argon2id at the kiosk's own cost: 64 MiB, 3 passes, 4 lanes
    assert account.pin_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "482913" not in account.pin_hash
    assert verify_pin("482913", account.pin_hash) and not verify_pin("482914", account.pin_hash)
    assert hash_pin("482913") != hash_pin("482913")  # salted
    store.db.execute_sql("PRAGMA wal_checkpoint(FULL)")
    assert b"482913" not in (tmp_path / "kiosk.db").read_bytes()


def test_intakes_between_includes_both_end_days(store, content):
    for day in (1, 2, 3, 4):
        store.submit(submission(content, first=f"D{day}",
                                at=dt.datetime(2026, 11, day, 23, 30).astimezone()))
    found = [d.row.first_name for d in store.intakes_between(dt.date(2026, 11, 2),
                                                              dt.date(2026, 11, 3),
                                                              signed_in(store))]
    assert found == ["D2", "D3"]


def test_reopening_a_database_keeps_data_and_does_not_migrate_twice(database, content):
    first = Store(**database)
    first.submit(submission(content))
    first.close()
    again = Store(**database)
    assert again.count_intakes() == 1
    again.close()
