"""Measure what a patient or staff member waits for; print a table, write latest.json.

Figures are taken in real processes on real SQLite files, over repeated runs. They are
never asserted in the test suite. Run with ``make bench``.
"""

from __future__ import annotations

import cProfile
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
        judge: str = "median", unit: str = "ms") -> dict:
    """One figure; ``judge`` says whether the median or the tail must meet the target.
    (Memory figures use the same fields, in MB: ``unit`` says which.)"""
    share = {"p95": 0.95, "p99": 0.99, "max": 1.0}[tail]
    median = statistics.median(samples_ms)
    tail_value = percentile(samples_ms, share)
    judged = median if judge == "median" else tail_value
    return {"figure": name, "median_ms": round(median, 2), tail: round(tail_value, 2),
            "tail": tail, "runs": len(samples_ms), "target_ms": target_ms,
            "judged_on": judge, "ok": judged < target_ms, "unit": unit}


# -- start-up -------------------------------------------------------------------------------
def drop_page_cache() -> bool:
    """Empty the kernel's file cache (root only), so the next start reads from disk."""
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def startup(runs: int = 6, cold_runs: int = 3) -> list[dict]:
    """Process start to Welcome accepting taps: cold (page cache dropped before each run,
    when this user may) and warm; and resident memory once Welcome is up."""
    cold, warm, rss_mb = [], [], []
    can_drop = drop_page_cache()
    for n in range(cold_runs + runs):
        if n < cold_runs and can_drop:
            drop_page_cache()
        start = time.perf_counter()
        out = subprocess.run([sys.executable, str(HERE / "startup_probe.py")], check=True,
                             capture_output=True, text=True).stdout
        elapsed = (time.perf_counter() - start) * 1000
        assert "ready" in out
        (cold if n < cold_runs else warm).append(elapsed)
        rss_mb.append(int(out.split("rss_kb ")[1].split()[0]) / 1024)
    kind = "page cache dropped" if can_drop else "first runs; could not drop the page cache"
    return [
        row(f"start to Welcome accepting taps, cold ({kind})", cold, 1000, "max",
            judge="tail"),
        row("start to Welcome accepting taps, warm", warm, 500),
        row("resident memory after start", rss_mb, 200, "max", judge="tail", unit="MB"),
    ]


def memory_growth(intakes: int = 200) -> list[dict]:
    """Resident memory growth over ``intakes`` whole intakes in one kiosk process."""
    out = subprocess.run([sys.executable, str(HERE / "memory_probe.py"), str(intakes)],
                         check=True, capture_output=True, text=True).stdout
    values = dict(line.split() for line in out.splitlines() if line[:1].isalpha())
    growth = (int(values["end"]) - int(values["warm"])) / 1024
    return [row(f"resident memory growth over {intakes} intakes (after 20 to warm up)",
                [growth], 10, "max", judge="tail", unit="MB")]


# -- the patient's screens ------------------------------------------------------------------
def answer_taps(screen) -> list[tuple]:
    """Pairs of taps that change one answer on the page and put it back as it was."""
    from kiosk.ui.widgets.items import BooleanWidget, ChoiceWidget

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


#: a patient's pause on a screen before tapping Next, short of any real reader's: the flow
#: readies the next screen in such pauses (kiosk.ui.patient_flow.READY_AFTER_MS)
READ_MS = 200


def patient_screens(journeys: int = int(os.environ.get("KIOSK_BENCH_JOURNEYS", "15"))
                    ) -> list[dict]:
    """Whole intakes (``KIOSK_BENCH_JOURNEYS``, 15 by default): every Next and answer."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.config import KioskConfig
    from kiosk.demo.answers import fill_demo_session
    from kiosk.intake.records import StepKind
    from kiosk.ui.app import build_window
    from kiosk.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    next_ms: list[float] = []
    next_cpu: list[float] = []
    answer_cpu: list[float] = []
    answer_ms: list[float] = []
    submit_ms: list[float] = []
    #: Next's wall and CPU figures by the kind of screen it leads to ("questions, readied")
    by_kind: dict[str, tuple[list[float], list[float]]] = {}
    answer_kind: dict[str, tuple[list[float], list[float]]] = {}
    # KIOSK_BENCH_PROFILE=FILE: cProfile of the timed taps only (pstats in FILE.next and
    # FILE.answer), to see where a tap's time goes
    profile_to = os.environ.get("KIOSK_BENCH_PROFILE")
    profilers = {"next": cProfile.Profile(), "answer": cProfile.Profile()} if profile_to else {}
    with tempfile.TemporaryDirectory() as data:
        window = build_window(KioskConfig(data_dir=Path(data)))
        window.show()
        app.processEvents()

        def timed(action: Callable[[], None], into: list[float],
                  done: Callable[[], bool] = lambda: True,
                  cpu: list[float] | None = None,
                  profiler: cProfile.Profile | None = None) -> None:
            """From the tap to the result painted; ``done``: the writer's news has arrived
            (the next step waits for its writes to be on disk). ``cpu``: the main thread's
            CPU time too (the fairer figure on a machine shared with other work)."""
            if profiler is not None:
                profiler.enable()
            start, start_cpu = time.perf_counter(), time.thread_time()
            action()
            app.processEvents()
            while not done():
                app.processEvents()
            window.repaint()  # painted, not just scheduled
            if profiler is not None:
                profiler.disable()
            into.append((time.perf_counter() - start) * 1000)
            if cpu is not None:
                cpu.append((time.thread_time() - start_cpu) * 1000)

        def read(ms: float) -> None:
            """The event loop runs as it does while a patient reads the screen: Qt's own
            loop, idle until a timer is due (not processEvents with sleeps in between,
            which held back work done in 0 ms timer turns)."""
            loop = QEventLoop()
            QTimer.singleShot(round(ms), loop.quit)
            loop.exec()

        for _ in range(journeys):
            window.start_patient("en")
            flow = window.flow
            fill_demo_session(flow.service)
            window.writer.wait_idle()
            flow.show_step()
            app.processEvents()
            while flow.session.current.kind is not StepKind.CONFIRM:
                if flow.session.current.kind is StepKind.QUESTIONS:
                    for first, second in answer_taps(flow.screen):
                        for button in (first, second):  # change it, then change it back
                            n = len(answer_ms)
                            timed(lambda b=button: QTest.mouseClick(b, Qt.MouseButton.LeftButton),
                                  answer_ms, cpu=answer_cpu, profiler=profilers.get("answer"))
                            wall, cpu = answer_kind.setdefault(
                                flow.session.current.link_id or "?", ([], []))
                            wall.append(answer_ms[n])
                            cpu.append(answer_cpu[n])
                before = flow.session.current
                read(READ_MS)  # the patient reads before tapping Next (not timed)
                readied = ("" if flow.readied is None or flow.readied != flow.session.step_after()
                           else ", readying" if flow.building else ", readied")
                n = len(next_ms)
                timed(lambda b=flow.next_button: QTest.mouseClick(b, Qt.MouseButton.LeftButton),
                      next_ms, lambda f=flow: not f.waiting, next_cpu, profilers.get("next"))
                if flow.session.current == before:
                    raise RuntimeError(f"Next did not move on from {before}")
                kind = flow.session.current.kind.name.lower().replace("_", "-")
                wall, cpu = by_kind.setdefault(
                    f"{kind}{readied}", ([], []))
                wall.append(next_ms[n])
                cpu.append(next_cpu[n])
            confirm = flow.screen.confirm_button
            timed(lambda c=confirm: QTest.mouseClick(c, Qt.MouseButton.LeftButton), submit_ms,
                  lambda f=flow: f.submitted_id is not None)
            window.end_patient()
        window.shut_down()
        window.close()
    for what, profiler in profilers.items():
        profiler.dump_stats(f"{profile_to}.{what}")
    breakdown(by_kind, "Next to a")
    breakdown(answer_kind, "an answer on page")
    return [
        # The standing targets: one frame (16 ms) median, two (33 ms) at the 95th percentile.
        row("tap Next to next screen painted, median", next_ms, 16),
        row("tap Next to next screen painted, p95", next_ms, 33, judge="tail"),
        row("tap Next to next screen painted, main thread CPU", next_cpu, 16),
        row("tap an answer to it shown, median", answer_ms, 16),
        row("tap an answer to it shown, p95", answer_ms, 33, judge="tail"),
        row("tap an answer to it shown, main thread CPU", answer_cpu, 16),
        row("tap Confirm: submit with flags, thank-you painted", submit_ms, 50, "max"),
    ]


def breakdown(figures: dict[str, tuple[list[float], list[float]]], what: str) -> None:
    """Print the figures by screen (to stderr: the table stays the standing targets)."""
    for name, (wall, cpu) in sorted(figures.items()):
        print(f"  {what} {name:<28} n={len(wall):>3}  wall median {statistics.median(wall):6.1f}"
              f" p95 {percentile(wall, 0.95):6.1f}  CPU median {statistics.median(cpu):6.1f}"
              f" p95 {percentile(cpu, 0.95):6.1f} ms", file=sys.stderr)


# -- storage at clinic scale ------------------------------------------------------------------
def staff_queue(count: int = 100_000, runs: int = 7, key: str | None = None) -> list[dict]:
    """The staff side with ``count`` intakes (``python -m kiosk.demo``'s generator): the
    queue opened, paged, filtered; CSV of 10,000; PDF of one and of 100. With ``key``, on
    an SQLCipher database."""
    from PySide6.QtWidgets import QApplication

    from kiosk.content.library import load_content
    from kiosk.demo.synthetic import fill_demo_intakes
    from kiosk.export.csv_export import export_csv_file
    from kiosk.export.summary import summary_html
    from kiosk.staff.access import COMMAND_LINE
    from kiosk.storage import QueueFilter, Store
    from kiosk.ui.pdf_export import write_pdf, write_summaries_pdf
    from kiosk.ui.staff.queue import QueueScreen
    from kiosk.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    content = load_content()
    kind = "SQLCipher" if key else "plain"
    results = []
    with tempfile.TemporaryDirectory(dir=ROOT) as data:
        store = Store(Path(data) / "kiosk.db", key=key)
        began = time.perf_counter()
        fill_demo_intakes(store, content, count)
        print(f"  (filled {count:,} intakes, {kind}, in {time.perf_counter() - began:.1f} s)",
              file=sys.stderr)

        def painted(screen, action) -> float:
            start = time.perf_counter()
            action()
            app.processEvents()
            screen.table.viewport().repaint()
            return (time.perf_counter() - start) * 1000

        open_ms, scroll_ms, flag_ms, date_ms, review_ms, clear_ms = [], [], [], [], [], []
        name_ms, born_ms = [], []
        someone = store.queue_page(limit=1)[0]
        for _ in range(runs):
            start = time.perf_counter()
            screen = QueueScreen(store, content, content.strings("en"), COMMAND_LINE, Path(data))
            screen.resize(1280, 800)
            screen.reload()
            screen.show()
            app.processEvents()
            screen.repaint()
            open_ms.append((time.perf_counter() - start) * 1000)
            for _ in range(20):  # on towards the end: each step fetches the next page
                scroll_ms.append(painted(screen, screen.table.scrollToBottom))
            filters = screen.filters
            name_ms.append(painted(screen, lambda f=filters: f.name.setText(
                someone.last_name[:4].lower())))
            born_ms.append(painted(screen, lambda f=filters: f.born.setText(
                someone.birth_date.isoformat())))
            filters.clear()
            app.processEvents()
            flag_ms.append(painted(screen, lambda f=filters: f.flag.setCurrentIndex(
                f.flag.findData("anticoagulant"))))
            review_ms.append(painted(screen, lambda f=filters: f.status.setCurrentIndex(1)))
            date_ms.append(painted(screen, lambda f=filters: f.period.setCurrentIndex(
                f.period.findData("30"))))
            clear_ms.append(painted(screen, filters.clear))
            screen.close()
            screen.deleteLater()
            app.processEvents()
        label = f"({count:,} intakes, {kind})"
        results += [
            row(f"staff queue opened, first rows shown {label}", open_ms, 300),
            row(f"queue scrolled on, next page fetched and shown {label}", scroll_ms, 100,
                "max", judge="tail"),
            row(f"staff search: start of a last name typed {label}", name_ms, 100),
            row(f"staff search: and the date of birth {label}", born_ms, 100),
            row(f"queue filtered by a flag (blood thinner) {label}", flag_ms, 100),
            row(f"queue filtered further: to review only {label}", review_ms, 100),
            row(f"queue filtered further: last 30 days {label}", date_ms, 100),
            row(f"queue filters cleared {label}", clear_ms, 100),
        ]

        csv_ms = []
        for _ in range(3):
            start = time.perf_counter()
            n = export_csv_file(store.intakes_matching(QueueFilter(), COMMAND_LINE, limit=10_000,
                                                       signatures=False), content,
                                Path(data) / "out.csv")
            csv_ms.append((time.perf_counter() - start) * 1000)
        results.append(row(f"CSV export of {n:,} intakes ({kind})", csv_ms, 2000, "max"))
        if key is None:
            pdf_ms = []
            detail = store.intake(store.queue_page(limit=1)[0].id, COMMAND_LINE)
            for i in range(5):
                start = time.perf_counter()
                write_pdf(summary_html(detail, content), Path(data) / f"s{i}.pdf",
                          signature_png=detail.signature_png)
                pdf_ms.append((time.perf_counter() - start) * 1000)
            results.append(row("PDF summary of one intake", pdf_ms, 100))
            batch_ms = []
            for i in range(3):
                start = time.perf_counter()
                details = list(store.intakes_matching(QueueFilter(), COMMAND_LINE, limit=100))
                write_summaries_pdf(details, content, Path(data) / f"b{i}.pdf")
                batch_ms.append((time.perf_counter() - start) * 1000)
            results.append(row("PDF of 100 summaries (read and written)", batch_ms, 5000,
                               "max"))
        store.close()
    return results


def staff_queue_encrypted() -> list[dict]:
    return staff_queue(runs=3, key="bench passphrase 123")


# -- autosave ---------------------------------------------------------------------------------
def autosave(runs: int = 400) -> list[dict]:
    """A tap's answer through the intake service: the screen's thread hands it over (never
    waiting for the disk) and the writer's thread commits it (fsync'd: synchronous=FULL),
    plain and encrypted."""
    import threading

    from kiosk.content.library import load_content
    from kiosk.demo.answers import fill_demo_session
    from kiosk.intake.service import IntakeService
    from kiosk.intake.session import IntakeSession
    from kiosk.intake.writer import IntakeWriter
    from kiosk.storage import Store

    content = load_content()
    results = []
    kinds = (("plain SQLite", None, 5), ("SQLCipher", "bench passphrase 123", 10))
    for label, key, target in kinds:
        # on the project's disk, not /tmp: a tmpfs would make fsync free
        with tempfile.TemporaryDirectory(dir=ROOT) as data:
            store = Store(Path(data) / "kiosk.db", key=key)
            writer = IntakeWriter(store)
            session = IntakeSession(content)
            fill_demo_session(session)
            service = IntakeService(session, writer)
            landed = threading.Event()
            writer.listeners.append(lambda outcome, done=landed: outcome.ok and done.set())
            handed: list[float] = []
            committed: list[float] = []
            for n in range(runs):
                landed.clear()
                start = time.perf_counter()
                service.record("pain-now", [n % 11])
                handed.append((time.perf_counter() - start) * 1000)
                landed.wait(5)
                committed.append((time.perf_counter() - start) * 1000)
            writer.stop()
            store.close()
        results.append(row(f"a tap's answer committed to disk (writer thread), {label}",
                           committed, target, "p99", judge="tail"))
        results.append(row(f"a tap's answer: time the screen's thread spends, {label}",
                           handed, 2, "max", judge="tail"))
    return results


# -- published questionnaires ----------------------------------------------------------------
SHARED = Path(os.environ.get("KIOSK_SHARED_QUESTIONNAIRES",
                             ROOT.parent / "shared" / "questionnaires"))
if "KIOSK_SHARED_QUESTIONNAIRES" not in os.environ and not SHARED.is_dir():
    SHARED = Path("/work/shared/questionnaires")  # a clone outside /work (a fresh one in /tmp)


def published_forms(runs: int = 9) -> list[dict]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.content.library import load_content
    from kiosk.questionnaire import load_questionnaire
    from kiosk.ui.form_runner import FormRunner
    from kiosk.ui.theme import apply_theme
    from kiosk.ui.widgets.items import BooleanWidget, ChoiceWidget

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


LARGE_FORM = HERE / "forms" / (
    "Questionnaire-AboriginalTorresStraitIslanderHealthCheckAssembled-0.4.0.json")


def large_form(warm_runs: int = 4) -> list[dict]:
    """The largest published form found (808 items, 291 enableWhenExpressions, 90 variables;
    benchmarks/forms/README.md), each run a new process as a kiosk starting it: loaded with
    its first page shown — the first time ever (FHIRPath parse cache empty), the first time
    in a running kiosk (cache empty, engine read ahead, window up), later (parse
    trees on disk), and later with the expression engine read ahead as the kiosk does once
    its Welcome screen shows, and in a running kiosk (its window shown as well: Qt's
    once-a-process cost of the first scroll area is the kiosk's start's) — a tap to the
    screen updated on its first pages, for all
    answers and for those an expression reads (which re-evaluate the form's expressions),
    and the form started again in the same process for the next patients (the form read
    and compiled once, as the kiosk's content is)."""
    cold, warm, ahead, kiosk, new, answers, read, again = [], [], [], [], [], [], [], []
    warm_cpu, ahead_cpu, kiosk_cpu, new_cpu, answers_cpu, read_cpu, again_cpu = (
        [], [], [], [], [], [], [])
    # (first page's list, its CPU list, read ahead, in a kiosk, a parse-tree file of its own)
    plan = [(cold, None, False, False, False)]  # fills the shared file for the runs after
    plan += [(cold, None, False, False, True)] * (warm_runs - 1)
    plan += [(new, new_cpu, True, True, True)] * warm_runs
    plan += [(warm, warm_cpu, False, False, False)] * warm_runs
    plan += [(ahead, ahead_cpu, True, False, False)] * warm_runs
    plan += [(kiosk, kiosk_cpu, True, True, False)] * warm_runs
    with tempfile.TemporaryDirectory() as folder:
        for number, (wall, cpu, read_ahead, in_kiosk, own_file) in enumerate(plan):
            cache = Path(folder) / (f"parse-{number}.json" if own_file else "parse.json")
            env = {**os.environ, "KIOSK_EXPRESSION_CACHE": str(cache)}
            out = subprocess.run([sys.executable, str(HERE / "large_form_probe.py"),
                                  str(LARGE_FORM), *(["--read-ahead"] if read_ahead else []),
                                  *(["--in-kiosk"] if in_kiosk else [])],
                                 check=True, capture_output=True, text=True, env=env,
                                 cwd=ROOT).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            wall.append(figures["first_page_ms"])
            if cpu is not None:
                cpu.append(figures["first_page_cpu_ms"])
            answers += figures["answers_ms"]
            read += figures["read_by_expressions_ms"]
            answers_cpu += figures["answers_cpu_ms"]
            read_cpu += figures["read_by_expressions_cpu_ms"]
            again += figures["again_ms"]
            again_cpu += figures["again_cpu_ms"]
    name = f"health check, {figures['items']} items ({figures['pages']} pages at 40)"
    results = [row(f"{name}: first page shown, first time (parsing)", cold, 150),
               row(f"{name}: first page of a form new to a running kiosk (parsing)", new,
                   150),
               row(f"{name}: first page shown, parse trees on disk", warm, 150),
               row(f"{name}: first page shown, engine read ahead at kiosk start", ahead, 150),
               row(f"{name}: first page shown in a running kiosk (window up, read ahead)",
                   kiosk, 150),
               row(f"{name}: next patient's first page (form already read)", again, 150),
               row(f"{name}: an answer to the screen updated", answers, 16)]
    if read:
        results.append(row(f"{name}: an answer an expression reads", read, 16))
    # the same in the main thread's CPU time (wall time on a shared machine also counts
    # the other processes' turns)
    results += [row(f"{name}: form new to a running kiosk (CPU)", new_cpu, 150),
                row(f"{name}: first page shown, parse trees on disk (CPU)", warm_cpu, 150),
                row(f"{name}: first page shown, engine read ahead (CPU)", ahead_cpu, 150),
                row(f"{name}: first page shown in a running kiosk (CPU)", kiosk_cpu, 150),
                row(f"{name}: next patient's first page (CPU)", again_cpu, 150),
                row(f"{name}: an answer to the screen updated (CPU)", answers_cpu, 16)]
    if read_cpu:
        results.append(row(f"{name}: an answer an expression reads (CPU)", read_cpu, 16))
    return results


# -- today's appointments ---------------------------------------------------------------
def appointment_match(count: int = 2_000, runs: int = 200) -> list[dict]:
    """A check-in's look-up in today's list of ``count`` appointments (a CSV folder): the
    first one after the clinic's file changed (read and indexed again), and the usual one
    (each file's stat, then the match), as the session makes it."""
    import datetime as dt
    import random
    import tempfile

    from kiosk.content.library import load_content
    from kiosk.intake.appointments import CsvFolder
    from kiosk.intake.session import IntakeSession

    content = load_content()
    rng = random.Random(17)
    today = dt.date.today()
    surnames = ["García", "Núñez-Peña", "Smith", "O'Brien", "Nguyen", "Kowalski", "Lee",
                "Delgado", "Müller", "Haddad"]
    given = ["María José", "Ana", "John", "Wei", "Fatima", "Piotr", "Rosa", "Ken", "Zoë"]
    procedures = [p.id for p in content.procedures]
    rows = []
    for number in range(count):
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(30_000))
        rows.append((f"A-{number}", f"MRN-{number}", rng.choice(surnames) + f"{number}",
                     rng.choice(given), birth, rng.choice(procedures)))
    reload_ms, match_ms = [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "today.csv"
        lines = ["date,time,appointment_id,patient_id,last_name,first_name,birth_date,"
                 "procedure,area"]
        lines += [f"{today},09:00,{a},{m},{last},{first},{born},{proc},low-back"
                  for a, m, last, first, born, proc in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        feed = CsvFolder(Path(folder), "https://clinic.example/mrn")
        for run in range(runs):
            _a, _m, last, first, born, _p = rows[rng.randrange(count)]
            session = IntakeSession(content, appointments=feed)
            session.set_name(first.upper(), last.replace("-", " "))
            session.set_birth(born.year, born.month, born.day)
            if run % 20 == 0:
                os.utime(path, ns=(run + 1, run + 1))  # the clinic wrote the file again
            start = time.perf_counter()
            found = session.look_up_appointment()
            elapsed = (time.perf_counter() - start) * 1000
            assert found is not None
            (reload_ms if run % 20 == 0 else match_ms).append(elapsed)
    return [row(f"appointment match, {count} on today's list", match_ms, 50, tail="max",
                judge="tail"),
            row(f"appointment match, {count} on the list, just re-read", reload_ms, 50,
                tail="max", judge="tail")]


def compile_sources() -> None:
    """The kiosk's modules compiled to bytecode first, as an installed kiosk's are (pip
    compiles what it installs; ``PYTHONDONTWRITEBYTECODE``, set on these machines, would
    otherwise have every probe process compile them again: ~15 ms of a form's start)."""
    import compileall

    compileall.compile_dir(str(ROOT / "kiosk"), quiet=1)


def main(only: list[str]) -> int:
    """Every benchmark, or those whose name contains one of ``only``."""
    compile_sources()
    figures = []
    for name, bench in (("start-up", startup), ("patient screens", patient_screens),
                        ("autosave", autosave), ("memory", memory_growth),
                        ("published forms", published_forms), ("large form", large_form),
                        ("staff queue", staff_queue),
                        ("staff queue, encrypted", staff_queue_encrypted),
                        ("appointments", appointment_match)):
        if only and not any(word in name for word in only):
            continue
        print(f"running {name} ...", file=sys.stderr)
        figures += bench()
    width = max(len(f["figure"]) for f in figures)
    print(f"{'figure':<{width}}  {'median':>9}  {'tail':>13}  {'runs':>5}  {'target':>8}  ok?"
          "  (judged on)")
    for f in figures:
        unit = f["unit"]
        tail = f"{f['tail']} {f[f['tail']]:.1f}"
        print(f"{f['figure']:<{width}}  {f['median_ms']:>7.1f}{unit}  {tail:>11}{unit}"
              f"  {f['runs']:>5}  {f['target_ms']:>6.0f}{unit}  {'yes' if f['ok'] else 'NO ':<3}"
              f"  ({f['judged_on']})")
    machine = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    (HERE / "latest.json").write_text(json.dumps({"machine": machine, "figures": figures},
                                                 indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
