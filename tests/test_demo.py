"""The synthetic-data generator: realistic intakes, real flags, a working CLI."""

import datetime as dt
import sqlite3

from kiosk.demo.synthetic import clinic_times, main, sample_patients
from kiosk.storage import QueueFilter, Store


def test_sample_patients_are_whole_intakes_with_the_flags_the_rules_give(content):
    samples = sample_patients(content, 40)
    assert len({s.procedure_id for s in samples}) >= 8  # the library, not one procedure
    assert {"en", "es"} == {s.language for s in samples}
    assert any(f.rule_id == "anticoagulant" for s in samples for f in s.flags)
    assert any(not s.flags for s in samples)  # some patients raise nothing
    assert all(len(s.understanding) >= 2 for s in samples)


def test_clinic_times_fall_on_weekdays_in_opening_hours_and_end_at_now():
    now = dt.datetime(2026, 11, 25, 10, 7)  # a Wednesday
    times = clinic_times(100, now)
    assert len(times) == 100 and times == sorted(times) and times[-1] <= now
    assert all(t.weekday() < 5 and dt.time(8) <= t.time() < dt.time(16) for t in times)


def test_the_command_fills_a_database_that_the_queue_filters(tmp_path, capsys):
    assert main(["--intakes", "300", "--data-dir", str(tmp_path)]) == 0
    assert "Added 300 synthetic intakes" in capsys.readouterr().out
    store = Store(tmp_path / "kiosk.db")
    try:
        assert store.count_intakes() == 300
        blood = store.count_intakes(QueueFilter(flag="anticoagulant"))
        assert 0 < blood < 300
        page = store.queue_page(limit=500, where=QueueFilter(flag="anticoagulant"))
        assert len(page) == blood
        assert all("Blood thinner" in row.flag_labels for row in page)
        waiting = store.queue_page(limit=500, where=QueueFilter(to_review_only=True))
        assert waiting and all(row.reviewed_at is None for row in waiting)
        newest = store.queue_page(limit=1)[0].submitted_at.date()
        today = store.count_intakes(QueueFilter(start=newest, end=newest))
        assert 0 < today <= 32
    finally:
        store.close()
    with sqlite3.connect(tmp_path / "kiosk.db") as db:  # flags stored as rows, one per rule
        (mismatch,) = db.execute(
            "SELECT count(*) FROM intake i WHERE flag_count !="
            " (SELECT count(*) FROM intakeflag f WHERE f.intake_id = i.id)").fetchone()
    assert mismatch == 0
