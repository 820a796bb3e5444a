"""A test-only driver: plays a script of patient actions in a running kiosk.

Enabled only by the environment variable ``KIOSK_TEST_SCRIPT`` (a JSON list of actions);
the crash tests start the kiosk as a process with it, and kill it part-way. After each
action it prints ``ack N`` on standard output, so the test knows what was given before the
kill; an action is acknowledged only once what it gave is on disk (the intake writer has
nothing waiting and no step waits for it), as a patient's tap is. Actions:
``{"start": lang}``, ``{"name": [first, last]}``, ``{"birth": [y, m, d]}``,
``{"procedure": id}``, ``{"next": true}``, ``{"answer": [linkId, [valueX objects]]}``,
``{"check": [checkId, optionId]}`` (an understanding check), ``{"sign": true}``,
``{"confirm": true}``, ``{"done": true}``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.demo.answers import DEMO_SIGNATURE
from kiosk.questionnaire.values import parse_typed_value
from kiosk.ui.main_window import KioskWindow

SCRIPT_ENV = "KIOSK_TEST_SCRIPT"


class ScriptDriver(QObject):
    def __init__(self, window: KioskWindow, actions: list[dict[str, Any]]) -> None:
        super().__init__(window)
        self.window = window
        self.actions = actions
        self.position = 0
        self.unacknowledged = False
        self.timer = QTimer(self)
        self.timer.setInterval(int(os.environ.get("KIOSK_TEST_SCRIPT_INTERVAL_MS", "1")))
        self.timer.timeout.connect(self.step)

    def start(self) -> None:
        self.timer.start()

    def step(self) -> None:
        if self.unacknowledged:
            flow = self.window.flow
            if self.window.writer.pending() or (flow is not None and (
                    flow.waiting or flow.storage_failed)):
                return  # not on disk yet (or the error screen still up): no ack
            self.unacknowledged = False
            print(f"ack {self.position}", flush=True)
            return
        if self.position >= len(self.actions):
            self.timer.stop()
            print("finished", flush=True)
            QApplication.instance().quit()
            return
        self.play(self.actions[self.position])
        self.position += 1
        self.unacknowledged = True

    def play(self, action: dict[str, Any]) -> None:
        window = self.window
        flow = window.flow
        if "start" in action:
            window.start_patient(action["start"])
            print(f"uid {window.flow.session.uid}", flush=True)
        elif "name" in action:
            flow.service.set_name(*action["name"])
        elif "birth" in action:
            flow.service.set_birth(*action["birth"])
        elif "procedure" in action:
            flow.service.choose_procedure(action["procedure"])
        elif "next" in action:
            flow.on_next_tapped()
        elif "answer" in action:
            link_id, values = action["answer"]
            parsed = [parse_typed_value(key[len("value"):], raw)
                      for value in values for key, raw in value.items()]
            flow.service.record(link_id, parsed)
        elif "check" in action:
            flow.service.answer_check(*action["check"])
        elif "sign" in action:
            flow.service.sign(DEMO_SIGNATURE)
        elif "confirm" in action:
            flow.on_confirmed()
        elif "done" in action:
            window.end_patient()


def attach_script_driver(window: KioskWindow) -> ScriptDriver | None:
    """Start the driver when the environment asks for it (tests only)."""
    path = os.environ.get(SCRIPT_ENV)
    if not path:
        return None
    actions = json.loads(Path(path).read_text(encoding="utf-8"))
    driver = ScriptDriver(window, actions)
    driver.start()
    sys.stdout.reconfigure(line_buffering=True)
    return driver
