"""Drafts saved at every answer, interrupted intakes, the append-only audit log, migrations."""

import datetime as dt
import sqlite3

import pytest
from peewee import IntegrityError, InternalError, SqliteDatabase

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
from kiosk.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from kiosk.storage.models import MODELS, AuditEvent


@pytest.fixture
def store(database):
    opened = Store(**database)
    yield opened
    opened.close()


def test_every_change_saves_the_draft_and_submit_removes_it(store, content):
    session = IntakeSession(content)
    session.listeners.append(
        lambda: store.save_draft(session.uid, session.started_at, session.draft_data()))
    fill_demo_session(session)
    (draft,) = store.drafts()
    assert draft.data["patient"]["last_name"] == "Santos"
    assert draft.data["answers"]["pain-now"] == [{"valueInteger": 6}]
    assert draft.data["answers"]["contrast-reaction"] == [
        {"valueString": "Hives after a CT scan"}]
    session.confirm(True)
    store.submit(session.build_submission())
    assert store.drafts() == []
    assert store.count_intakes() == 1


def test_staff_discard_of_an_interrupted_intake_is_audited(store, content):
    session = IntakeSession(content)
    session.set_name("Rosa", "Delgado")
    store.save_draft(session.uid, session.started_at, session.draft_data())
    (draft,) = store.drafts()
    store.discard_interrupted(draft.id, "Kim", dt.datetime.now())
    assert store.drafts() == []
    event = store.audit_events()[0]
    assert (event.actor, event.action) == ("Kim", "interrupted_discarded")
    assert "Rosa" not in event.detail and "Delgado" not in event.detail


def test_the_audit_log_cannot_be_changed_or_deleted(store):
    store.audit("Kim", "sign_in", dt.datetime.now())
    with pytest.raises((IntegrityError, InternalError), match="append-only"), store.db.atomic():
        AuditEvent.update(actor="someone else").execute()
    with pytest.raises((IntegrityError, InternalError), match="append-only"), store.db.atomic():
        AuditEvent.delete().execute()
    assert store.audit_events()[0].actor == "Kim"


def test_migrating_from_each_earlier_schema_keeps_the_data(tmp_path):
    """Build a database at every earlier schema version with data in it, then open it."""
    for version in range(1, SCHEMA_VERSION):
        path = tmp_path / f"v{version}.db"
        db = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
        db.bind(MODELS)
        db.connect()
        for number in range(version):
            MIGRATIONS[number](db)
        db.execute_sql(f"PRAGMA user_version = {version}")
        # rows as the software of that version wrote them
        db.execute_sql(
            "INSERT INTO intake (uid, submitted_at, first_name, last_name, birth_date, "
            "procedure_id, language, questionnaire_url, questionnaire_version, response_json, "
            "flag_count, high_flag_count, flag_labels) VALUES ('u1', '2026-01-02 10:00:00', "
            "'Maria', 'Santos', '1961-04-12', 'nerve-block', 'en', 'q', '1.0.0', '{}', 1, 1, "
            "'Blood thinner')")
        db.execute_sql(
            "INSERT INTO intakeflag (intake_id, rule_id, severity, label, text, position) "
            "VALUES (1, 'anticoagulant', 'high', 'Blood thinner', 'Apixaban', 0)")
        db.execute_sql("INSERT INTO auditevent (at, actor, action, success, detail) "
                       "VALUES ('2026-01-02 10:05:00', 'Kim', 'sign_in', 1, '')")
        db.execute_sql("INSERT INTO staffsecret (name, value) VALUES ('staff_pin', "
                       "'scrypt$16384$8$1$00$00')")  # the shared PIN of schemas 1-2
        db.close()

        store = Store(path)
        assert store.db.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        detail = store.intake(1)
        assert detail.row.last_name == "Santos" and detail.flags[0].label == "Blood thinner"
        assert store.drafts() == []
        assert store.audit_events()[0].actor == "Kim"
        if version < 3:  # the old shared PIN became the "admin" account
            (admin,) = store.staff.list()
            assert (admin.name, admin.role, admin.pin_hash) == ("admin", "admin",
                                                                "scrypt$16384$8$1$00$00")
        store.close()
        raw = sqlite3.connect(path)
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.close()
