"""The kiosk as a real process in a real X window (Xvfb), driven by xdotool taps.

This is what a patient does: every tap goes through the X server to the kiosk's window,
including a free-text answer typed on the on-screen keyboard. The kiosk's test probe
(``KIOSK_TEST_PROBE``) tells the test where each control is, by its accessible name.
``.ci/run`` installs Xvfb and xdotool; on CI the test fails, rather than skips, without them.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.content.library import load_content

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent
NEEDED = ("Xvfb", "xdotool")
if not all(shutil.which(tool) for tool in NEEDED) and os.environ.get("CI") != "true":
    pytest.skip("Xvfb and xdotool are not installed (.ci/run installs them)",
                allow_module_level=True)


class RealKiosk:
    def __init__(self, tmp_path: Path, keyboard: str) -> None:
        self.keyboard = keyboard
        # -displayfd: Xvfb picks a free display number and writes it to our pipe
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.display = f":{self.xvfb.stdout.readline().strip()}"
        self.env = {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb",
                    "KIOSK_TEST_PROBE": str(tmp_path / "probe.json")}
        self.env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
        self.probe_path = tmp_path / "probe.json"
        self.data = tmp_path / "data"
        deadline = time.monotonic() + 10
        while subprocess.run(["xdotool", "getmouselocation"], env=self.env,
                             capture_output=True).returncode != 0:
            assert time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.1)
        self.log = open(tmp_path / "kiosk-output.txt", "w")  # noqa: SIM115
        self.kiosk = subprocess.Popen(
            [sys.executable, "-m", "tests.support.kiosk_under_test", "--data-dir", str(self.data),
             "--size", "1280x800", "--speech-engine", "mock", "--keyboard", keyboard],
            env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)

    def close(self) -> None:
        for process in (self.kiosk, self.xvfb):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()

    # -- what is on screen ------------------------------------------------------------------
    def state(self) -> dict:
        try:
            return json.loads(self.probe_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {"screen": "", "controls": []}

    def wait_for(self, predicate, what: str, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if predicate(state):
                return state
            if time.monotonic() > deadline or self.kiosk.poll() is not None:
                raise AssertionError(f"waited for {what}; on screen: {state.get('screen')} "
                                     f"{[c['name'] for c in state.get('controls', [])]}")
            time.sleep(0.05)

    def find(self, state: dict, name: str, question: str = "", kind: str = "") -> dict | None:
        """The control called ``name`` (``kind`` "KioskKey": the kiosk keyboard's key
        ``name``, "q" or "space", whatever language its accessible name is in)."""
        for control in state["controls"]:
            found = (control.get("key") if kind == "KioskKey" else control["name"])
            if (found == name and control["enabled"]
                    and (not question or control["question"] == question)
                    and (not kind or kind == "KioskKey" or control["kind"] == kind)):
                return control
        return None

    # -- what a finger does -----------------------------------------------------------------
    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True)

    def tap(self, name: str, question: str = "", kind: str = "") -> None:
        """Tap the control called ``name``; scroll down with the wheel until it is in view."""
        for _ in range(12):
            state = self.wait_for(lambda s: s["controls"], "any control")
            control = self.find(state, name, question, kind)
            if control is not None:
                before = json.dumps(state)
                self.xdotool("mousemove", str(control["x"]), str(control["y"]), "click", "1")
                self.wait_for(lambda s, was=before: json.dumps(s) != was,
                              f"a reaction to {name!r}", 5)
                return
            # the wheel over the page (high up: the keyboard may cover the lower half)
            self.xdotool("mousemove", "640", "200", "click", "5", "click", "5", "click", "5")
            time.sleep(0.2)
        raise AssertionError(f"no control {name!r} ({question}) on screen; there are "
                             f"{[(c['name'], c['y']) for c in self.state()['controls']]}")

    def type_on_keyboard(self, text: str) -> None:
        for letter in text:
            if self.keyboard == "qt":  # Qt Virtual Keyboard's keys are QML items
                self.tap(f"vk {letter}", kind="VirtualKey")
            else:
                self.tap(letter if letter != " " else "space", kind="KioskKey")

    def wait_for_keyboard(self) -> None:
        if self.keyboard == "qt":
            self.wait_for(lambda s: self.find(s, "vk q"), "the on-screen keyboard")
        else:
            self.wait_for(lambda s: self.find(s, "q", kind="KioskKey"), "the on-screen keyboard")

    def close_keyboard(self) -> None:
        if self.keyboard == "qt":
            self.tap("vk HideKeyboardKey")
        else:
            self.tap("done", kind="KioskKey")

    def next(self) -> dict:
        before = self.state()
        self.tap("Next")
        return self.wait_for(lambda s: (s["screen"], s["page"], s["link_id"]) != (
            before["screen"], before["page"], before["link_id"]), "the next screen")

    def sign(self) -> None:
        state = self.wait_for(lambda s: self.find(s, "Sign here with your finger"),
                              "the signature pad")
        pad = self.find(state, "Sign here with your finger")
        x, y = pad["x"], pad["y"]
        self.xdotool("mousemove", str(x - 150), str(y), "mousedown", "1")
        for step in range(1, 16):
            self.xdotool("mousemove", str(x - 150 + step * 20), str(y + (step % 4) * 12))
        self.xdotool("mouseup", "1")


@pytest.fixture(params=["kiosk", "qt"])
def kiosk(request, tmp_path):
    """The kiosk's own keyboard, and Qt Virtual Keyboard (what a real display gets)."""
    real = RealKiosk(tmp_path, request.param)
    yield real
    real.close()


def test_a_patient_completes_an_intake_by_taps_in_a_real_window(kiosk):
    content = load_content()
    kiosk.wait_for(lambda s: s["screen"] == "welcome" and kiosk.find(s, "Start"), "Welcome")
    kiosk.tap("Start")
    kiosk.wait_for(lambda s: s["screen"] == "check_in", "check-in")

    kiosk.tap("First name")
    kiosk.wait_for_keyboard()
    kiosk.type_on_keyboard("rosa")
    kiosk.close_keyboard()
    kiosk.tap("Last name")
    kiosk.wait_for_keyboard()
    kiosk.type_on_keyboard("real")
    kiosk.close_keyboard()
    kiosk.tap("Month")
    kiosk.tap("March")
    kiosk.tap("Day")
    kiosk.tap("14")
    kiosk.tap("Year")
    kiosk.tap("1958")
    kiosk.tap("Trigger point injection")
    state = kiosk.next()

    pages = len(content.procedure("trigger-point-injection").text("en").pages)
    for _ in range(pages):
        assert state["screen"] == "learn"
        state = kiosk.next()
    for check in content.teach_back.for_procedure(
            content.procedure("trigger-point-injection")):
        assert state["screen"] == "teach_back"
        kiosk.tap(check.option_text(check.correct, "en"))
        state = kiosk.next()

    answers = {  # page -> taps (name, question)
        "procedure-area": [("Upper or middle back", "")],
        "blood-thinners": [("None of these", "blood-thinners")],
        "bleeding": [("No", "bleeding")],
        "allergies": [("Something else", "allergies")],
        "infection": [("No", "fever-infection"), ("No", "antibiotics"),
                      ("No", "recent-illness"), ("No", "skin-problem")],
        "diabetes": [("No", "diabetes")],
        "pregnancy": [("This does not apply to me", "")],
        "devices": [("None of these", "devices")],
        "health": [("No", "glaucoma"), ("No", "immune"), ("No", "kidney-liver"),
                   ("No", "heart-failure")],
        "earlier-care": [("No", "recent-steroid-shot"), ("No", "site-surgery")],
        "sedation": [("No", "sedation-planned")],
        "pain-now": [("5", "pain-now")],
        "peg": [],
    }
    while state["screen"] == "questions":
        for name, question in answers[state["link_id"]]:
            kiosk.tap(name, question)
        if state["link_id"] == "allergies":  # a free-text answer, on the on-screen keyboard
            kiosk.tap("What else are you allergic to?", kind="QLineEdit")
            kiosk.wait_for_keyboard()
            kiosk.type_on_keyboard("penicillin")
            kiosk.close_keyboard()
        state = kiosk.next()

    assert state["screen"] == "review"
    state = kiosk.next()
    assert state["screen"] == "confirm"
    kiosk.sign()
    kiosk.tap("I confirm. Send my answers.")
    kiosk.wait_for(lambda s: s["screen"] == "done", "the thank-you screen")

    with sqlite3.connect(kiosk.data / "kiosk.db") as db:
        first, last, procedure, response, signature = db.execute(
            "SELECT first_name, last_name, procedure_id, response_json, signature_png"
            " FROM intake").fetchone()
    assert (first, last, procedure) == ("Rosa", "Real", "trigger-point-injection")
    assert signature
    allergies = [i for i in json.loads(response)["item"] if i["linkId"] == "allergies"][0]
    (other,) = [a for a in allergies["answer"] if a["valueCoding"]["code"] == "other"]
    assert other["item"][0]["linkId"] == "allergies-other"
    typed = "Penicillin" if kiosk.keyboard == "qt" else "penicillin"  # Qt's capitalises
    assert other["item"][0]["answer"] == [{"valueString": typed}]  # typed, tap by tap
