"""A robot patient in a real window who uses only the accessibility tree (issue 15): the
kiosk as a process under Xvfb with the AT-SPI bus, and ``tests/support/atspi_robot.py``
(the system Python's pyatspi) completing an intake by role, name and action — check-in,
explanation, understanding checks, a multi-select, a follow-up with free text, a required
answer left out first (the problem must appear), a typed-name signature, confirm. Then
the stored intake must hold the answers given."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.content.library import load_content

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent
ROBOT = ROOT / "tests" / "support" / "atspi_robot.py"
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def _missing() -> str:
    for tool in ("Xvfb", "dbus-daemon"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not Path(BUS_LAUNCHER).exists():
        return "at-spi2-core is not installed (no at-spi-bus-launcher)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    if probe.returncode != 0:
        return "python3-pyatspi is not installed"
    return ""


MISSING = _missing() if Path(SYSTEM_PYTHON).exists() else "no system python3"
if MISSING:
    pytestmark = [pytest.mark.gui, pytest.mark.skip(
        reason=f"{MISSING}: scripts/system_packages.sh test installs at-spi2-core, "
               "python3-pyatspi and xvfb")]


def plan(language: str = "en") -> list[dict]:
    content = load_content()
    t = content.strings(language)
    questionnaire = content.questionnaire_for(language)
    procedure = content.procedure("trigger-point-injection")

    def q(link_id: str) -> str:
        return questionnaire.item(link_id).text

    def choose(name: str, link_id: str = "", role: str = "radio") -> dict:
        return {"act": "toggle", "role": role, "name": name,
                "description": q(link_id) if link_id else ""}

    def press(name: str) -> dict:
        return {"act": "press", "role": "button", "name": name}

    nxt = press(t("next"))
    steps = [choose(content.strings(language).language_name)] if language != "en" else []
    steps += [press(t("start")),
             {"act": "text", "role": "text", "name": t("label_first_name"), "text": "Rosa"},
             {"act": "text", "role": "text", "name": t("label_last_name"), "text": "Robot"},
             press(t("month")), choose(t("month_3"), role="check"),
             press(t("day")), choose("14", role="check"),
             press(t("year")), choose("1958", role="check"),
             choose(procedure.text(language).title), nxt]
    steps += [nxt] * len(procedure.text(language).pages)
    for check in content.teach_back.for_procedure(procedure):
        steps += [{"act": "toggle", "role": "radio", "name": t("teach_back_unsure"),
                   "description": check.question(language)}, nxt]
    area = questionnaire.item("procedure-area")
    upper = next(o.display for o in area.options if o.value.code == "mid-back")
    option = {i: {o.value.code: o.display for o in questionnaire.item(i).options}
              for i in ("blood-thinners", "blood-thinner-last-dose", "supplements", "allergies",
                        "pregnancy", "devices", "sedation-planned")}
    steps += [choose(upper, role="radio"), nxt,
              nxt,  # nothing chosen on a required question: the problem must show
              {"act": "expect", "role": "label", "name": t("problems_banner")},
              choose(option["blood-thinners"]["aspirin"], "blood-thinners", "check"),
              choose(option["blood-thinner-last-dose"]["yesterday"], "blood-thinner-last-dose"),
              choose(option["supplements"]["fish-oil"], "supplements", "check"), nxt,
              choose(t("no"), "bleeding"), nxt,
              choose(option["allergies"]["other"], "allergies", "check"),
              {"act": "text", "role": "text", "name": q("allergies-other"),
               "text": "penicillin"}, nxt,
              choose(t("no"), "fever-infection"), choose(t("no"), "antibiotics"),
              choose(t("no"), "recent-illness"), choose(t("no"), "skin-problem"), nxt,
              choose(t("no"), "diabetes"), nxt,
              choose(option["pregnancy"]["not-applicable"], "pregnancy"), nxt,
              choose(option["devices"]["none"], "devices", "check"), nxt,
              choose(t("no"), "glaucoma"), choose(t("no"), "immune"),
              choose(t("no"), "kidney-liver"), choose(t("no"), "heart-failure"), nxt,
              choose(t("no"), "recent-steroid-shot"), choose(t("no"), "site-surgery"), nxt,
              choose(option["sedation-planned"]["no"], "sedation-planned"), nxt,
              choose("5", "pain-now"), nxt,
              nxt,  # the PEG scale is optional
              nxt,  # Review
              press(t("typed_signature_switch")),
              {"act": "text", "role": "text", "name": t("typed_signature_name"),
               "text": "Rosa Robot"},
              choose(t("typed_signature_agree"), role="check"),
              press(t("confirm_button")),
              {"act": "expect", "role": "label", "name": t("thanks_body")}]
    return steps


def _start(command: list[str], env: dict, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, **kwargs)


def run_robot(tmp_path: Path, language: str) -> Path:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "AT_SPI"))}
    started: list[subprocess.Popen] = []
    try:
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
        started.append(bus)
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        read, write = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                                 "1280x800x24"], pass_fds=(write,), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(xvfb)
        os.close(write)
        with os.fdopen(read) as display:
            env["DISPLAY"] = ":" + display.readline().strip()
        started.append(_start([BUS_LAUNCHER, "--launch-immediately"], env))
        data = tmp_path / "data"
        kiosk_env = dict(env, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
                         KIOSK_SPEECH_ENGINE="off", QT_ACCESSIBILITY="1")
        started.append(_start([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data),
                               "--keyboard", "kiosk", "--idle-seconds", "600"], kiosk_env))
        robot = subprocess.run(
            [SYSTEM_PYTHON, str(ROBOT)], env=env, capture_output=True, text=True, timeout=600,
            input=json.dumps({"application": "Intake Kiosk", "steps": plan(language)}))
        assert robot.returncode == 0, robot.stderr[-3000:]
        return data / "kiosk.db"
    finally:
        for process in reversed(started):
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_robot_completes_an_intake_through_the_accessibility_tree_only(tmp_path, language):
    database = run_robot(tmp_path, language)
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT first_name, last_name, birth_date, procedure_id, language,"
                         " response_json, signature_kind, signature_name, signature_png"
                         " FROM intake").fetchone()
    first, last, born, procedure, stored_language, response, kind, name, png = row
    assert (first, last, born, procedure) == ("Rosa", "Robot", "1958-03-14",
                                              "trigger-point-injection")
    assert stored_language == language
    assert (kind, name, png) == ("typed", "Rosa Robot", None)
    items = dict(_every_item(json.loads(response)["item"]))
    codes = {link: [a.get("valueCoding", {}).get("code") for a in items[link]["answer"]]
             for link in ("blood-thinners", "supplements")}
    assert codes == {"blood-thinners": ["aspirin"], "supplements": ["fish-oil"]}
    assert items["allergies-other"]["answer"] == [{"valueString": "penicillin"}]


def _every_item(items: list[dict]):
    """Every item of a QuestionnaireResponse, nested ones too (under items and answers)."""
    for item in items:
        yield item["linkId"], item
        yield from _every_item(item.get("item", []))
        for answer in item.get("answer", []):
            yield from _every_item(answer.get("item", []))
