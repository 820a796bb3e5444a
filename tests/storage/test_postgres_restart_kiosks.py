"""Finding 11.1: a PostgreSQL restart stopped every kiosk until each process was restarted,
and with two kiosks every intake after the restart was lost. Here two real kiosk processes
play whole intakes into one private server, which the test restarts while they answer and
just as they submit: every intake arrives once, whole, and the kiosks go on by themselves."""

from __future__ import annotations

from tests.helpers.postgres_restarts import confirm_index, faults, play_with_restarts


def test_two_kiosks_lose_nothing_when_postgresql_restarts_mid_intake_and_mid_submit(
        private_postgres, content, tmp_path):
    confirm = confirm_index(content)
    run = play_with_restarts(private_postgres, content, tmp_path, [confirm // 2, confirm])
    assert run.restarts == 2
    assert faults(run) == []
