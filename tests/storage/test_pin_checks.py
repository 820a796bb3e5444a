"""A sign-in and the first administrator split into database start, argon2 check and database
finish: the check alone may run on another thread, and touches no database."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from kiosk.staff.access import COMMAND_LINE
from kiosk.storage import NotPermitted, Store
from kiosk.storage.pin_checks import PendingSignIn

T0 = dt.datetime(2026, 11, 25, 9, 0, 0)


def on_a_worker(work):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "kiosk.db")
    yield opened
    opened.close()


def no_database(monkeypatch, store):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the argon2 check used the database")

    monkeypatch.setattr(store.staff.database, "run", refuse)


def test_a_sign_in_checked_on_another_thread_is_recorded_as_before(store, monkeypatch):
    store.staff.create("Kim", "front_desk", "482913", COMMAND_LINE, T0)
    wrong = store.staff.start_sign_in("Kim", "111111", T0)
    right = store.staff.start_sign_in("Kim", "482913", T0)
    unknown = store.staff.start_sign_in("Nobody", "482913", T0)
    assert all(isinstance(p, PendingSignIn) for p in (wrong, right, unknown))
    with monkeypatch.context() as patch:
        no_database(patch, store)
        outcomes = [on_a_worker(p.check.run) for p in (wrong, right, unknown)]
    assert [o.right for o in outcomes] == [False, True, False]
    assert not store.staff.finish_sign_in(wrong, outcomes[0]).ok
    signed = store.staff.finish_sign_in(right, outcomes[1])
    assert signed.ok and (signed.name, signed.role) == ("Kim", "front_desk")
    assert not store.staff.finish_sign_in(unknown, outcomes[2]).ok
    events = [(e.actor, e.success) for e in store.audit_events(COMMAND_LINE)
              if e.action == "sign_in"]
    assert sorted(events) == sorted([("Kim", False), ("Kim", True), ("Nobody", False)])
    attempt = store.models.SignInAttempt
    assert attempt.get_or_none(attempt.name_key == "kim") is None  # the right PIN reset it


def test_the_first_administrator_hashed_on_another_thread(store, monkeypatch):
    check = store.staff.start_first_admin("Ada", "731946", T0)
    with monkeypatch.context() as patch:
        no_database(patch, store)
        hashed = on_a_worker(check.run)
    assert hashed.code_ok and hashed.pin_hash and hashed.pin_hash.startswith("$argon2id$")
    store.staff.finish_first_admin(check, hashed)
    assert store.staff.sign_in("Ada", "731946", T0).ok
    with pytest.raises(NotPermitted):
        store.staff.start_first_admin("Eve", "139713", T0)
