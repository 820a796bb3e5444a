"""Staff accounts: roles checked where actions happen, argon2, a lockout that holds for any
number of wrong PINs and across processes, the first administrator, retention purge."""

import datetime as dt
import hashlib
import multiprocessing
import secrets
import time

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.staff.access import COMMAND_LINE, LONGEST_DELAY, locked_until, lockout_delay, may
from kiosk.storage import NotPermitted, QueueFilter, Store
from tests.helpers.staff import signed_in

T0 = dt.datetime(2026, 11, 25, 9, 0, 0)


@pytest.fixture
def store(database):
    opened = Store(**database)
    opened.staff.create("Kim", "front_desk", "482913", COMMAND_LINE, T0)
    yield opened
    opened.close()


def submit(store, content, last="Santos", days_ago=0):
    session = IntakeSession(content, now=lambda: (
        dt.datetime.now() - dt.timedelta(days=days_ago)).astimezone())
    fill_demo_session(session, last=last)
    session.confirm(True)
    return store.submit(session.build_submission())


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
    assert result.ok and result.role == "front_desk" and result.actor.name == "Kim"
    assert store.staff.sign_in("Kim", "000000", after).wait_seconds == 0  # counter reset


def test_the_delay_never_overflows_however_many_wrong_pins():
    assert lockout_delay(2) is None and lockout_delay(3) == dt.timedelta(seconds=30)
    assert lockout_delay(7) == dt.timedelta(seconds=480)
    for failures in (8, 44, 45, 1000, 10**9):  # 44 used to overflow timedelta
        assert lockout_delay(failures) == LONGEST_DELAY
    assert locked_until(10**9, T0) == T0 + LONGEST_DELAY


def test_a_thousand_wrong_pins_in_a_row_stay_locked_and_audited(store):
    """One guess a second for 1,000 seconds: only the free three and those after each wait
    are even checked; every attempt is audited; the right PIN waits too."""
    kim = signed_in(store, "Ada", "admin", "731946")
    checked = 0
    for second in range(1000):
        at = T0 + dt.timedelta(seconds=second)
        result = store.staff.sign_in("Kim", f"{100000 + second}", at)
        assert not result.ok
        checked += result.wait_seconds == 0
    # t = 0, 1, 2 (three free), then 32, 92, 212, 452 and 932 (after 30 s, 1, 2, 4, 8 min)
    assert checked == 8
    assert store.staff.sign_in("Kim", "482913", T0 + dt.timedelta(seconds=1000)).wait_seconds > 0
    audited = [e for e in store.audit_events(kim, limit=2000)
               if e.action == "sign_in" and e.actor == "Kim"]
    assert len(audited) == 1001 and not any(e.success for e in audited)


def test_guesses_allowed_in_an_hour(store):
    """The best an attacker can do in an hour: 10 PINs checked (then 4 an hour). This one
    tries again a second before each wait ends (refused, and the wait does not move), then
    the moment it ends — what trying every second would get, in 40 attempts, not 3,600."""
    checked, at, tries = 0, 0, 0
    while at < 3600:
        result = store.staff.sign_in("Kim", "000000", T0 + dt.timedelta(seconds=at))
        tries += 1
        if result.wait_seconds == 0:
            checked += 1
            at += 1
            continue
        if result.wait_seconds > 1:
            early = store.staff.sign_in(
                "Kim", "000000", T0 + dt.timedelta(seconds=at + result.wait_seconds - 1))
            tries += 1
            assert early.wait_seconds == 1  # still locked, and the lock was not extended
        at += result.wait_seconds
    assert checked == 10 and tries < 40


def test_one_pin_tried_against_many_names_is_held_back(store):
    """Each name has its own three free tries; a guesser spraying one PIN over the staff
    names (real or made up) is stopped after 10 wrong PINs in a row under any names, then
    waits as one name would — the right PIN included — until a right PIN is given."""
    for n in range(10):
        assert store.staff.sign_in(f"Guess{n}", "000000", T0).wait_seconds == 0
    fresh = store.staff.sign_in("Someone new", "000000", T0)
    assert not fresh.ok and fresh.wait_seconds == 30
    assert store.staff.sign_in("Kim", "482913", T0).wait_seconds == 30  # the right PIN too
    kim = store.staff.sign_in("Kim", "482913", T0 + dt.timedelta(seconds=30))
    assert kim.ok  # the wait is over, and a right PIN starts the count again
    assert store.staff.sign_in("Guess11", "000000", T0 + dt.timedelta(seconds=31)).wait_seconds == 0


def test_an_hour_of_one_pin_over_many_names_checks_about_twenty(store):
    """What spraying gets in an hour, trying a new name the moment each wait ends: the 10
    free, then one after each wait (30 s, 60 s ... 15 min), not three per name."""
    checked, at, n = 0, 0, 0
    while at < 3600:
        result = store.staff.sign_in(f"Name{n}", "000000", T0 + dt.timedelta(seconds=at))
        n += 1
        if result.wait_seconds == 0:
            checked += 1
            at += 1
        else:
            at += result.wait_seconds
    assert 10 < checked <= 20


def _guess(url_or_path, start, results):  # in another process: its own Store
    kwargs = {"url": url_or_path} if "://" in url_or_path else {"path": url_or_path}
    store = Store(**kwargs)
    while time.time() < start:
        time.sleep(0.001)
    results.put([store.staff.sign_in("Kim", f"{n:06d}", T0).wait_seconds == 0
                 for n in range(5)])
    store.close()


def test_four_kiosk_processes_guessing_at_once_get_no_more_tries_than_one(database):
    target = database.get("url") or str(database["path"])
    Store(**database).staff.create("Kim", "front_desk", "482913", COMMAND_LINE, T0)
    results = multiprocessing.get_context("spawn").Queue()
    start = time.time() + 3
    workers = [multiprocessing.get_context("spawn").Process(target=_guess,
                                                            args=(target, start, results))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    checked = sum(sum(results.get(timeout=60)) for _ in workers)
    for worker in workers:
        worker.join(30)
    assert checked == 3  # the three free attempts, shared; then all four processes wait


def test_unknown_names_are_refused_audited_and_lock_like_real_ones(store):
    kim = signed_in(store, "Ada", "admin", "731946")
    result = store.staff.sign_in("Nobody", "482913", T0)
    assert not result.ok and result.wait_seconds == 0
    event = store.audit_events(kim)[0]
    assert (event.actor, event.action, event.success) == ("Nobody", "sign_in", False)
    for _ in range(2):
        store.staff.sign_in("Nobody", "482913", T0)
    assert store.staff.sign_in("Nobody", "482913", T0).wait_seconds > 0  # no telling apart


@pytest.mark.real_pin_hash  # the kiosk's own argon2 cost is what hides a name's existence
def test_unknown_and_known_names_take_as_long_to_refuse(store):
    def took(name):
        began = time.perf_counter()
        store.staff.sign_in(name, "000001", T0 - dt.timedelta(days=1))
        return time.perf_counter() - began

    store.staff.sign_in("warm-up", "0", T0)
    known = min(took("Kim") for _ in range(2))
    store.db.execute_sql("DELETE FROM signinattempt")
    unknown = min(took("Nobody") for _ in range(2))
    assert unknown > known / 3  # both pay for an argon2 check (was 0.7 ms against 103 ms)


def test_roles_decide_what_staff_may_do():
    assert may("front_desk", "review") and may("front_desk", "export")
    assert not may("front_desk", "manage_accounts") and not may("front_desk", "purge")
    assert may("admin", "manage_accounts") and may("admin", "purge")
    with pytest.raises(ValueError):
        may("admin", "launch_missiles")


def test_every_staff_operation_checks_the_actors_role_where_it_happens(store, content, tmp_path):
    desk = signed_in(store, "Kim", "front_desk")
    admin = signed_in(store, "Ada", "admin", "731946")
    intake_id = submit(store, content)
    # what the front desk may do, it can
    store.mark_reviewed(intake_id, desk, T0)
    assert store.intake(intake_id, desk).row.reviewed_by == "Kim"
    assert len(list(store.intakes_matching(QueueFilter(), desk))) == 1
    store.backup(tmp_path / "copy.db", desk) if store.engine == "sqlite" else None
    store.audit_events(desk)
    # what it may not, the store refuses, whatever the screens show
    for refused in (
        lambda: store.purge_older_than(30, desk, T0),
        lambda: store.staff.create("Eve", "admin", "139713", desk, T0),
        lambda: store.staff.deactivate("Ada", desk, T0),
        lambda: store.staff.list(desk),
        lambda: store.staff.issue_setup_code(desk, T0),
    ):
        with pytest.raises(NotPermitted):
            refused()
    assert [a.name for a in store.staff.list(admin)] == ["Ada", "Kim"]
    refusals = [e for e in store.audit_events(admin) if e.detail == "not permitted"]
    assert {e.action for e in refusals} >= {"purge", "manage_accounts"}
    # a removed account acts no more, even with its actor still in hand
    assert store.staff.deactivate("Kim", admin, T0)
    with pytest.raises(NotPermitted):
        store.mark_reviewed(intake_id, desk, T0)
    with pytest.raises(NotPermitted):
        store.intake(intake_id, desk)


def test_the_last_administrator_cannot_be_removed(store):
    store.staff.create("Ada", "admin", "731946", COMMAND_LINE, T0)
    ada = store.staff.sign_in("Ada", "731946", T0).actor
    assert not store.staff.deactivate("Ada", ada, T0)
    store.staff.create("Bo", "admin", "731946", ada, T0)
    bo = store.staff.sign_in("Bo", "731946", T0).actor
    assert store.staff.deactivate("Ada", bo, T0)
    assert not store.staff.sign_in("Ada", "731946", T0).ok


def test_the_first_administrator_only_on_an_empty_kiosk_or_with_a_setup_code(tmp_path, content):
    empty = Store(tmp_path / "empty.db")
    assert empty.staff.first_admin_allowed()
    empty.staff.create_first_admin("Ada", "731946", T0)
    assert empty.staff.sign_in("Ada", "731946", T0).ok
    with pytest.raises(NotPermitted):  # there is an account now: no second "first" admin
        empty.staff.create_first_admin("Eve", "139713", T0)
    empty.close()

    busy = Store(tmp_path / "busy.db")
    submit(busy, content)  # intakes stored, and no account (say the accounts were lost)
    assert not busy.staff.first_admin_allowed()
    with pytest.raises(NotPermitted):
        busy.staff.create_first_admin("Eve", "139713", T0)
    with pytest.raises(NotPermitted):
        busy.staff.create_first_admin("Eve", "139713", T0, setup_code="1234-5678-9ABC")
    code = busy.staff.issue_setup_code(COMMAND_LINE, T0)
    with pytest.raises(NotPermitted):  # expired after an hour
        busy.staff.create_first_admin("Ada", "731946", T0 + dt.timedelta(hours=2), code)
    busy.staff.create_first_admin("Ada", "731946", T0 + dt.timedelta(minutes=5),
                                  code.lower())
    assert busy.staff.sign_in("Ada", "731946", T0).ok
    assert busy.staff.any()
    busy.close()


def test_a_legacy_scrypt_pin_is_upgraded_to_argon2_at_sign_in(tmp_path):
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(b"482913", salt=salt, n=2**14, r=8, p=1, dklen=32)
    legacy = f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"
    store = Store(tmp_path / "kiosk.db")
    store.staff.create("Old", "admin", "111111", COMMAND_LINE, T0)
    account = store.models.StaffAccount
    account.update(pin_hash=legacy).where(account.name == "Old").execute()
    assert store.staff.sign_in("Old", "482913", T0).ok
    assert account.get(account.name == "Old").pin_hash.startswith("$argon2id$")
    store.close()


def test_retention_purge_deletes_only_old_intakes_and_is_audited(store, content):
    ada = signed_in(store, "Ada", "admin", "731946")
    submit(store, content, "Old", days_ago=400)
    submit(store, content, "Recent", days_ago=10)
    assert store.purge_older_than(365, ada, dt.datetime.now()) == 1
    assert [row.last_name for row in store.queue_page()] == ["Recent"]
    assert store.db.execute_sql("SELECT count(*) FROM intakeflag").fetchone()[0] > 0
    event = store.audit_events(ada)[0]
    assert event.action == "purge" and event.detail == "1 intakes older than 365 days"
    assert store.setting("retention_days") == "365"
