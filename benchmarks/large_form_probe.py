"""One process: the large published form loaded and its first page shown, then answers
tapped on its first pages, then the same form started again for another patient (the form
already read, as the kiosk's content is); prints JSON figures. Run by
``benchmarks/__main__.py``. ``--read-ahead``: the expression engine is read first, as the
kiosk does in the background once its Welcome screen shows (kiosk.questionnaire.preload).
``--in-kiosk``: also the kiosk's window shown first, as a running kiosk's is (the form is
still read, compiled and started inside the timing)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(path: str, read_ahead: bool = False, in_kiosk: bool = False) -> int:
    logging.disable(logging.WARNING)  # the form's FHIR-query variables fail by design here
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.content.core_value_sets import standard_value_sets
    from kiosk.content.library import load_content
    from kiosk.questionnaire import load_questionnaire
    from kiosk.questionnaire.launch import LaunchContext, patient_resource
    from kiosk.ui.form_runner import FormRunner
    from kiosk.ui.theme import apply_theme
    from kiosk.ui.widgets.items import BooleanWidget, ChoiceWidget

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    strings = load_content().strings("en")  # the kiosk has these before any form
    value_sets = standard_value_sets()
    born = dt.date(dt.date.today().year - 40, 3, 1)  # a 40-year-old from check-in
    launch = LaunchContext(patient_resource("Ana", "Ruiz", born))
    if read_ahead:
        from kiosk.questionnaire.preload import preload_engine

        preload_engine()
    if in_kiosk:
        # what a running kiosk has done before any form opens: its window shown, with the
        # flow's touch-scrolled screen host (Qt's first scroll area and gesture cost ~35 ms
        # once per process, paid at the kiosk's start, not by a form)
        from kiosk.ui.screens.base import ScreenHost

        host = ScreenHost()
        host.resize(1280, 800)
        host.show()
        app.processEvents()
        host.close()
        host.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    start, start_cpu = time.perf_counter(), time.thread_time()
    questionnaire = load_questionnaire(path, value_sets=value_sets)
    runner = FormRunner(questionnaire, strings, launch=launch)
    runner.resize(1280, 800)
    runner.show()
    app.processEvents()
    runner.repaint()
    first_page = (time.perf_counter() - start) * 1000
    first_page_cpu = (time.thread_time() - start_cpu) * 1000
    answers, relevant, answers_cpu, relevant_cpu = [], [], [], []
    watched = runner.session.sheet._expressions.watched if runner.session.sheet._expressions \
        else None
    for _page in range(4):
        for link_id, widget in list(runner.screen.items.items()):
            if not widget.isVisible():
                continue
            if isinstance(widget, ChoiceWidget) and widget.buttons:
                target = widget.buttons[-1][1]
            elif isinstance(widget, BooleanWidget):
                target = widget.buttons[True]
            else:
                continue
            tapped, tapped_cpu = time.perf_counter(), time.thread_time()
            QTest.mouseClick(target, Qt.MouseButton.LeftButton)
            app.processEvents()
            runner.repaint()
            elapsed = (time.perf_counter() - tapped) * 1000
            cpu = (time.thread_time() - tapped_cpu) * 1000
            answers.append(elapsed)
            answers_cpu.append(cpu)
            if watched is None or link_id in watched:
                relevant.append(elapsed)
                relevant_cpu.append(cpu)
        if runner.session.is_last():
            break
        runner.session.page_id = runner.session.pages()[
            [p.link_id for p in runner.session.pages()].index(runner.session.page_id) + 1
        ].link_id  # on, even past unanswered required items: only the screens are timed
        runner.show_page()
        app.processEvents()
    again, again_cpu = [], []
    for _patient in range(3):  # the next patients: the form read, the engine warm
        runner.dispose()
        runner.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # gone before timing
        app.processEvents()
        started, started_cpu = time.perf_counter(), time.thread_time()
        runner = FormRunner(questionnaire, strings, launch=launch)
        runner.resize(1280, 800)
        runner.show()
        app.processEvents()
        runner.repaint()
        again.append((time.perf_counter() - started) * 1000)
        again_cpu.append((time.thread_time() - started_cpu) * 1000)
    print(json.dumps({"items": sum(1 for _ in questionnaire.walk()),
                      "pages": len(runner.session.pages()), "first_page_ms": first_page,
                      "answers_ms": answers, "read_by_expressions_ms": relevant,
                      # the main thread's CPU time: what the wall figures are on an idle
                      # machine (this one is shared; the kiosk has its cores to itself)
                      "first_page_cpu_ms": first_page_cpu, "answers_cpu_ms": answers_cpu,
                      "read_by_expressions_cpu_ms": relevant_cpu,
                      "again_ms": again, "again_cpu_ms": again_cpu}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], read_ahead="--read-ahead" in sys.argv[2:],
                  in_kiosk="--in-kiosk" in sys.argv[2:]))
