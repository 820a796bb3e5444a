"""Measure what a patient or staff member waits for; print a table, write latest.json.

Figures are taken in real processes on real SQLite files, over repeated runs. They are
never asserted in the test suite. Run with ``make bench``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def row(name: str, samples_ms: list[float], target_ms: float, tail: str = "p95",
        judge: str = "median") -> dict:
    """One figure; ``judge`` says whether the median or the tail must meet the target."""
    share = {"p95": 0.95, "p99": 0.99, "max": 1.0}[tail]
    median = statistics.median(samples_ms)
    tail_value = percentile(samples_ms, share)
    judged = median if judge == "median" else tail_value
    return {"figure": name, "median_ms": round(median, 2), tail: round(tail_value, 2),
            "tail": tail, "runs": len(samples_ms), "target_ms": target_ms,
            "judged_on": judge, "ok": judged < target_ms}


# -- start-up -------------------------------------------------------------------------------
def startup(runs: int = 6) -> list[dict]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, str(HERE / "startup_probe.py")], check=True,
                             capture_output=True, text=True).stdout
        assert "ready" in out
        samples.append((time.perf_counter() - start) * 1000)
    return [
        row("start to Welcome accepting taps, first run (cold-ish)", samples[:1], 1000, "max",
            judge="tail"),
        row("start to Welcome accepting taps, warm", samples[1:], 500),
    ]


# -- the patient's screens ------------------------------------------------------------------
def answer_taps(screen) -> list[tuple]:
    """Pairs of taps that change one answer on the page and put it back as it was."""
    from kiosk.ui.item_widgets import BooleanWidget, ChoiceWidget

    pairs = []
    for widget in screen.items.values():
        if not widget.isVisible():
            continue
        if isinstance(widget, BooleanWidget):
            buttons = list(widget.buttons.values())
        elif isinstance(widget, ChoiceWidget):
            buttons = [b for _, b in widget.buttons]
        else:
            continue
        checked = [b for b in buttons if b.isChecked()]
        unchecked = [b for b in buttons if not b.isChecked() and
                     b.label_text() != "None of these"]
        if not checked or not unchecked:
            continue
        exclusive_checked = any(
            o.exclusive and b.isChecked()
            for o, (_, b) in zip(widget.item.options, getattr(widget, "buttons", []), strict=False)
            if isinstance(widget, ChoiceWidget)
        )
        if widget.item.repeats and not exclusive_checked:
            pairs.append((unchecked[0], unchecked[0]))  # add one, take it away
        else:
            pairs.append((unchecked[0], checked[0]))  # choose another, choose back
    return pairs


def patient_screens(journeys: int = 15) -> list[dict]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.config import KioskConfig
    from kiosk.demo_answers import fill_demo_session
    from kiosk.session import StepKind
    from kiosk.ui.app import build_window
    from kiosk.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    next_ms: list[float] = []
    answer_ms: list[float] = []
    submit_ms: list[float] = []
    with tempfile.TemporaryDirectory() as data:
        window = build_window(KioskConfig(data_dir=Path(data)))
        window.show()
        app.processEvents()

        def timed(action: Callable[[], None], into: list[float]) -> None:
            start = time.perf_counter()
            action()
            app.processEvents()
            window.repaint()  # painted, not just scheduled
            into.append((time.perf_counter() - start) * 1000)

        for _ in range(journeys):
            window.start_patient("en")
            flow = window.flow
            fill_demo_session(flow.session)
            flow.show_step()
            app.processEvents()
            while flow.session.current.kind is not StepKind.CONFIRM:
                if flow.session.current.kind is StepKind.QUESTIONS:
                    for first, second in answer_taps(flow.screen):
                        for button in (first, second):  # change it, then change it back
                            timed(lambda b=button: QTest.mouseClick(b, Qt.MouseButton.LeftButton),
                                  answer_ms)
                before = flow.session.current
                timed(lambda b=flow.next_button: QTest.mouseClick(b, Qt.MouseButton.LeftButton),
                      next_ms)
                if flow.session.current == before:
                    raise RuntimeError(f"Next did not move on from {before}")
            confirm = flow.screen.confirm_button
            timed(lambda c=confirm: QTest.mouseClick(c, Qt.MouseButton.LeftButton), submit_ms)
            window.end_patient()
        window.store.close()
        window.close()
    return [
        row("tap Next to next screen painted, median", next_ms, 20),
        row("tap Next to next screen painted, p95", next_ms, 50, judge="tail"),
        row("tap an answer to it shown", answer_ms, 20),
        row("tap Confirm: submit with flags, thank-you painted", submit_ms, 50, "max"),
    ]


# -- storage at clinic scale ------------------------------------------------------------------
def fill_intakes(store, content, count: int) -> None:
    """Bulk-insert ``count`` realistic intakes (demo answers, varied names, days and flags)."""
    import datetime as dt
    import random

    from kiosk.demo_answers import fill_demo_session
    from kiosk.session import IntakeSession
    from kiosk.storage.models import Intake, IntakeFlag

    session = IntakeSession(content)
    fill_demo_session(session)
    session.confirm(True)
    template = session.build_submission()
    response = json.dumps(template.response)
    rng = random.Random(7)
    firsts = ["Maria", "James", "Ana", "Li", "Omar", "Grace", "Ivan", "Zoe", "Raj", "Eve"]
    lasts = ["Santos", "Smith", "Lopez", "Chen", "Haddad", "Okafor", "Petrov", "Kim"]
    start = dt.datetime(2021, 1, 1, 8, 0)
    with store.db.atomic():
        for batch_start in range(0, count, 1000):
            rows = []
            for n in range(batch_start, min(count, batch_start + 1000)):
                flags = template.flags[: rng.randint(0, len(template.flags))]
                rows.append({
                    "uid": f"bench-{n}", "submitted_at": start + dt.timedelta(minutes=25 * n),
                    "first_name": rng.choice(firsts), "last_name": rng.choice(lasts),
                    "birth_date": dt.date(1940 + n % 60, 1 + n % 12, 1 + n % 28),
                    "procedure_id": template.procedure_id, "language": "en",
                    "questionnaire_url": template.questionnaire_url,
                    "questionnaire_version": template.questionnaire_version,
                    "response_json": response, "flag_count": len(flags),
                    "high_flag_count": sum(f.severity == "high" for f in flags),
                    "flag_labels": "; ".join(f.label for f in flags),
                })
            Intake.insert_many(rows).execute()
        first_id = Intake.select(Intake.id).order_by(Intake.id).first().id
        flag_rows = [
            {"intake": first_id + n, "rule_id": f.rule_id, "severity": f.severity,
             "label": f.label, "text": f.text, "position": i}
            for n in range(count) for i, f in enumerate(template.flags[:2])
        ]
        for i in range(0, len(flag_rows), 2000):
            IntakeFlag.insert_many(flag_rows[i:i + 2000]).execute()


def staff_queue(count: int = 100_000, runs: int = 7) -> list[dict]:
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from kiosk.content_library import load_content
    from kiosk.export_csv import export_csv_file
    from kiosk.intake_summary import summary_html
    from kiosk.storage import Store
    from kiosk.ui.pdf_export import write_pdf
    from kiosk.ui.staff.queue import QueueScreen
    from kiosk.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    content = load_content()
    results = []
    with tempfile.TemporaryDirectory() as data:
        store = Store(Path(data) / "kiosk.db")
        began = time.perf_counter()
        fill_intakes(store, content, count)
        print(f"  (filled {count:,} intakes in {time.perf_counter() - began:.1f} s)",
              file=sys.stderr)
        open_ms, scroll_ms = [], []
        for _ in range(runs):
            start = time.perf_counter()
            screen = QueueScreen(store, content, content.strings("en"), "bench", Path(data))
            screen.resize(1280, 800)
            screen.reload()
            screen.show()
            app.processEvents()
            screen.repaint()
            open_ms.append((time.perf_counter() - start) * 1000)
            for _ in range(5):  # scroll to the end of what is loaded: the next page loads
                start = time.perf_counter()
                screen.table.scrollToBottom()
                app.processEvents()
                screen.table.viewport().repaint()
                scroll_ms.append((time.perf_counter() - start) * 1000)
            screen.close()
            screen.deleteLater()
            app.processEvents()
        results.append(row(f"staff queue opened, first rows shown ({count:,} intakes)",
                           open_ms, 300))
        results.append(row("queue scrolled a page further (next page fetched)", scroll_ms, 100))

        last = store.queue_page(limit=1)[0].submitted_at.date()
        csv_ms = []
        for _ in range(3):
            start = time.perf_counter()
            n = export_csv_file(store.intakes_between(last - dt.timedelta(days=173), last),
                                content, Path(data) / "out.csv")
            csv_ms.append((time.perf_counter() - start) * 1000)
        results.append(row(f"CSV export of {n:,} intakes", csv_ms, 2000))
        pdf_ms = []
        detail = store.intake(store.queue_page(limit=1)[0].id)
        for i in range(5):
            start = time.perf_counter()
            write_pdf(summary_html(detail, content), Path(data) / f"s{i}.pdf")
            pdf_ms.append((time.perf_counter() - start) * 1000)
        results.append(row("PDF summary of one intake", pdf_ms, 100))
        store.close()
    return results


# -- autosave ---------------------------------------------------------------------------------
def autosave(runs: int = 400) -> list[dict]:
    """An answer's draft committed (fsync'd: synchronous=FULL), plain and encrypted."""
    from kiosk.content_library import load_content
    from kiosk.demo_answers import fill_demo_session
    from kiosk.session import IntakeSession
    from kiosk.storage import Store

    content = load_content()
    results = []
    kinds = (("plain SQLite", None, 5), ("SQLCipher", "bench passphrase 123", 10))
    for label, key, target in kinds:
        # on the project's disk, not /tmp: a tmpfs would make fsync free
        with tempfile.TemporaryDirectory(dir=ROOT) as data:
            store = Store(Path(data) / "kiosk.db", key=key)
            session = IntakeSession(content)
            fill_demo_session(session)
            samples = []
            for n in range(runs):
                session.answer("pain-now", [n % 11])
                start = time.perf_counter()
                store.save_draft(session.uid, session.started_at, session.draft_data())
                samples.append((time.perf_counter() - start) * 1000)
            store.close()
        results.append(row(f"an answer to its autosave committed, {label}", samples, target,
                           "p99", judge="tail"))
    return results


# -- published questionnaires ----------------------------------------------------------------
SHARED = Path(os.environ.get("KIOSK_SHARED_QUESTIONNAIRES",
                             ROOT.parent / "shared" / "questionnaires"))


def published_forms(runs: int = 9) -> list[dict]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.content_library import load_content
    from kiosk.questionnaire import load_questionnaire
    from kiosk.ui.form_runner import FormRunner
    from kiosk.ui.item_widgets import BooleanWidget, ChoiceWidget
    from kiosk.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    content_strings = load_content().strings("en")
    results = []
    for name in ("14_sdc_cardiology_form.json", "18_adf_measles_outbreak.json"):
        path = SHARED / name
        if not path.exists():
            print(f"  ({path} missing: skipped)", file=sys.stderr)
            continue
        load_ms, answer_ms = [], []
        for _ in range(runs):
            start = time.perf_counter()
            questionnaire = load_questionnaire(path)
            runner = FormRunner(questionnaire, content_strings)
            runner.resize(1280, 800)
            runner.show()
            app.processEvents()
            runner.repaint()
            load_ms.append((time.perf_counter() - start) * 1000)
            # answer every choice on the first pages, one tap each, screen updated
            for _page in range(3):
                for widget in list(runner.screen.items.values()):
                    if not widget.isVisible():
                        continue
                    if isinstance(widget, ChoiceWidget) and widget.buttons:
                        target = widget.buttons[0][1]
                    elif isinstance(widget, BooleanWidget):
                        target = widget.buttons[True]
                    else:
                        continue
                    start = time.perf_counter()
                    QTest.mouseClick(target, Qt.MouseButton.LeftButton)
                    app.processEvents()
                    runner.repaint()
                    answer_ms.append((time.perf_counter() - start) * 1000)
                if runner.session.is_last() or runner.session.problems():
                    break
                runner.on_next()
            runner.dispose()
            runner.close()
            runner.deleteLater()
            app.processEvents()
        items = sum(1 for _ in questionnaire.walk())
        results.append(row(f"{name}: {items} items loaded, first page shown", load_ms, 150))
        if answer_ms:
            results.append(row(f"{name}: an answer to the screen updated", answer_ms, 10))
    return results


def main() -> int:
    figures = []
    for name, bench in (("start-up", startup), ("patient screens", patient_screens),
                        ("autosave", autosave),
                        ("published forms", published_forms), ("staff queue", staff_queue)):
        print(f"running {name} ...", file=sys.stderr)
        figures += bench()
    width = max(len(f["figure"]) for f in figures)
    print(f"{'figure':<{width}}  {'median':>9}  {'tail':>13}  {'runs':>5}  {'target':>8}  ok?"
          "  (judged on)")
    for f in figures:
        tail = f"{f['tail']} {f[f['tail']]:.1f}"
        print(f"{f['figure']:<{width}}  {f['median_ms']:>7.1f}ms  {tail:>11}ms  {f['runs']:>5}"
              f"  {f['target_ms']:>6.0f}ms  {'yes' if f['ok'] else 'NO ':<3}  ({f['judged_on']})")
    machine = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    (HERE / "latest.json").write_text(json.dumps({"machine": machine, "figures": figures},
                                                 indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
