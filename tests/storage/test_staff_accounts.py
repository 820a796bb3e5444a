"""Staff accounts: roles, argon2, growing lockout, the last administrator, retention purge."""

import datetime as dt
import hashlib
import secrets

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.staff.access import may
from kiosk.storage import Store

T0 = dt.datetime(2026, 11, 25, 9, 0, 0)


@pytest.fixture
def store(database):
    opened = Store(**database)
    opened.staff.create("Kim", "front_desk", "482913", "setup", T0)
    yield opened
    opened.close()


def test_wrong_pins_lock_the_account_with_a_growing_delay(store):
    for _ in range(2):
        assert not store.staff.sign_in("Kim", "000000", T0).ok
    third = store.staff.sign_in("Kim", "000000", T0)
    assert not third.ok and third.wait_seconds == 0
    locked = store.staff.sign_in("Kim", "482913", T0 + dt.timedelta(seconds=10))
    assert not locked.ok and 0 < locked.wait_seconds <= 21  # even the right PIN waits
    later = T0 + dt.timedelta(seconds=31)
    assert not store.staff.sign_in("Kim", "000000", later).ok  # 4th wrong: 60 s now
    wait = store.staff.sign_in("Kim", "482913", later + dt.timedelta(seconds=30)).wait_seconds
    assert 25 <= wait <= 31
    after = later + dt.timedelta(seconds=61)
    result = store.staff.sign_in("kim", "482913", after)  # names are not case-sensitive
    assert result.ok and result.role == "front_desk"
    assert store.staff.sign_in("Kim", "000000", after).wait_seconds == 0  # counter reset


def test_unknown_names_are_refused_like_wrong_pins_and_audited(store):
    result = store.staff.sign_in("Nobody", "482913", T0)
    assert not result.ok and result.wait_seconds == 0
    event = store.audit_events()[0]
    assert (event.actor, event.action, event.success) == ("Nobody", "sign_in", False)


def test_roles_decide_what_staff_may_do():
    assert may("front_desk", "review") and may("front_desk", "export")
    assert not may("front_desk", "manage_accounts") and not may("front_desk", "purge")
    assert may("admin", "manage_accounts") and may("admin", "purge")


def test_the_last_administrator_cannot_be_removed(store):
    store.staff.create("Ada", "admin", "731946", "Kim", T0)
    assert not store.staff.deactivate("Ada", "Ada", T0)
    store.staff.create("Bo", "admin", "731946", "Ada", T0)
    assert store.staff.deactivate("Ada", "Bo", T0)
    assert not store.staff.sign_in("Ada", "731946", T0).ok


def test_a_legacy_scrypt_pin_is_upgraded_to_argon2_at_sign_in(tmp_path):
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(b"482913", salt=salt, n=2**14, r=8, p=1, dklen=32)
    legacy = f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"
    store = Store(tmp_path / "kiosk.db")
    store.staff.create("Old", "admin", "111111", "setup", T0)
    from kiosk.storage.models import StaffAccount

    StaffAccount.update(pin_hash=legacy).where(StaffAccount.name == "Old").execute()
    assert store.staff.sign_in("Old", "482913", T0).ok
    assert StaffAccount.get(StaffAccount.name == "Old").pin_hash.startswith("$argon2id$")
    store.close()


def test_retention_purge_deletes_only_old_intakes_and_is_audited(store, content):
    for days_ago, last in ((400, "Old"), (10, "Recent")):
        session = IntakeSession(content, now=lambda d=days_ago: (
            dt.datetime.now() - dt.timedelta(days=d)).astimezone())
        fill_demo_session(session, last=last)
        session.confirm(True)
        store.submit(session.build_submission())
    assert store.purge_older_than(365, "Ada", dt.datetime.now()) == 1
    assert [row.last_name for row in store.queue_page()] == ["Recent"]
    assert store.db.execute_sql("SELECT count(*) FROM intakeflag").fetchone()[0] > 0
    event = store.audit_events()[0]
    assert event.action == "purge" and event.detail == "1 intakes older than 365 days"
    assert store.setting("retention_days") == "365"
