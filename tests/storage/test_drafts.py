"""Drafts saved at every answer, interrupted intakes, the append-only audit log, migrations."""

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import IntegrityError, InternalError

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.draft import encode, restore
from kiosk.intake.service import IntakeService
from kiosk.intake.session import IntakeSession
from kiosk.intake.writer import IntakeWriter
from kiosk.storage import Store
from kiosk.storage.migrations import SCHEMA_VERSION, migrate
from tests.helpers.staff import signed_in

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def store(database):
    opened = Store(**database)
    yield opened
    opened.close()


def test_every_change_through_the_service_saves_the_draft_and_submit_removes_it(store,
                                                                               content):
    kim = signed_in(store)
    writer = IntakeWriter(store)
    service = IntakeService(IntakeSession(content), writer)
    fill_demo_session(service)
    assert writer.wait_idle()
    (draft,) = store.drafts(kim)
    assert draft.data["patient"]["last_name"] == "Santos"
    back = restore(draft.data, content)  # the one reader
    assert back.answers.get("pain-now") == [6]
    assert back.answers.get("contrast-reaction") == ["Hives after a CT scan"]
    assert back.uid == service.session.uid
    assert service.submit().problems == ()
    assert writer.wait_idle()
    assert store.drafts(kim) == []
    assert store.count_intakes() == 1
    writer.stop()


def test_staff_discard_of_an_interrupted_intake_is_audited(store, content):
    kim = signed_in(store)
    session = IntakeSession(content)
    session.set_name("Rosa", "Delgado")
    store.save_draft(session.uid, session.started_at, encode(session))
    (draft,) = store.drafts(kim)
    store.discard_interrupted(draft.id, kim, dt.datetime.now())
    assert store.drafts(kim) == []
    event = store.audit_events(kim)[0]
    assert (event.actor, event.action) == ("Kim", "interrupted_discarded")
    assert "Rosa" not in event.detail and "Delgado" not in event.detail


def test_the_audit_log_cannot_be_changed_or_deleted(store):
    kim = signed_in(store)
    store.audit("Kim", "sign_in", dt.datetime.now())
    event = store.models.AuditEvent
    with pytest.raises((IntegrityError, InternalError), match="append-only"), store.db.atomic():
        event.update(actor="someone else").execute()
    with pytest.raises((IntegrityError, InternalError), match="append-only"), store.db.atomic():
        event.delete().execute()
    assert store.audit_events(kim)[0].actor == "Kim"


def test_dropped_audit_triggers_are_put_back_at_the_next_start_and_audited(database):
    store = Store(**database)
    if store.engine == "sqlite":
        store.db.execute_sql("DROP TRIGGER auditevent_no_delete")
    else:
        store.db.execute_sql("DROP TRIGGER auditevent_no_change ON auditevent")
    store.close()
    again = Store(**database)  # the next start
    kim = signed_in(again)
    with pytest.raises((IntegrityError, InternalError), match="append-only"), again.db.atomic():
        again.models.AuditEvent.delete().execute()
    assert "audit_triggers_restored" in [e.action for e in again.audit_events(kim)]
    again.close()


@pytest.mark.parametrize("version", range(1, 10))
def test_a_database_an_earlier_version_wrote_upgrades_with_everything_in_it(tmp_path, version):
    """tests/storage/fixtures/schema-N.db were written by the kiosk's own code at the commit
    that introduced schema N (three intakes, one reviewed by Kim, a draft from schema 2 on,
    the staff PIN 482913 as that version kept it)."""
    path = tmp_path / "kiosk.db"
    shutil.copy(FIXTURES / f"schema-{version}.db", path)
    store = Store(path)
    assert store.db.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    user = "admin" if version < 3 else "Kim"  # schema 3 turned the shared PIN into "admin"
    result = store.staff.sign_in(user, "482913", dt.datetime.now())
    assert result.ok and result.role == "admin"
    actor = result.actor
    rows = store.queue_page(limit=10)
    assert [(r.first_name, r.last_name) for r in rows] == [
        ("Ann", "Lee"), ("José", "Núñez"), ("Maria", "Santos")]
    maria = store.intake(rows[-1].id, actor)
    assert maria.row.reviewed_by == "Kim" and maria.flags and maria.response["item"]
    assert maria.patient_identifier is None and maria.appointment_id == ""  # schema 9
    assert store.outbox.delivery(maria.row.id, actor) is None  # never queued for an EHR
    if version >= 4:
        assert maria.signature_png and maria.signature_png.startswith(b"\x89PNG")
        assert store.models.Intake.get_by_id(maria.row.id).signature_kind == "drawn"  # 10
    else:
        assert store.models.Intake.get_by_id(maria.row.id).signature_kind == ""
    assert maria.typed_signature is None
    drafts = store.drafts(actor)
    assert [d.data["patient"]["last_name"] for d in drafts] == (["Delgado"] if version >= 2
                                                                  else [])
    store.close()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()


def test_the_migrations_build_exactly_the_tables_of_todays_models(tmp_path):
    """Frozen migration models plus their column additions = the models storage uses."""
    store = Store(tmp_path / "fresh.db")
    for model in store.models.all():
        table = model._meta.table_name
        built = {c.name for c in store.db.get_columns(table)}
        assert built == {f.column_name for f in model._meta.sorted_fields}, table
    assert migrate(store.db) == 0  # nothing left to do
    store.close()
