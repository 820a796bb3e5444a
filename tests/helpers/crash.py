"""Kill the kiosk mid-intake and check what it left on disk (tests and `make soak`)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.content.library import ContentLibrary
from kiosk.demo.answers import DEMO_SIGNATURE
from kiosk.intake.draft import encode
from kiosk.intake.session import IntakeSession
from kiosk.questionnaire.values import parse_typed_value

ROOT = Path(__file__).resolve().parents[2]


def _coding(content: ContentLibrary, link_id: str, code: str) -> dict[str, Any]:
    option = content.questionnaire.item(link_id).option_for_code(code)
    value = option.value
    return {"valueCoding": {"system": value.system, "code": value.code, "display": value.display}}


def build_script(content: ContentLibrary) -> list[dict[str, Any]]:
    """Two whole intakes and a third left unfinished, as a patient would give them."""
    actions: list[dict[str, Any]] = []
    for number, (first, last, procedure) in enumerate((
        ("Ana", "Lopez", "nerve-block"),
        ("Omar", "Haddad", "radiofrequency-ablation"),
        ("Grace", "Okafor", "epidural-steroid-injection"),
    )):
        pages = len(content.procedure(procedure).text("en").pages)
        actions += [{"start": "en"}, {"name": [first, last]}, {"birth": [1960 + number, 3, 14]},
                    {"procedure": procedure}, {"next": True}]
        actions += [{"next": True}] * pages
        for check in content.teach_back.for_procedure(content.procedure(procedure)):
            actions += [{"check": [check.id, check.correct]}, {"next": True}]
        pages_answers = [  # one list per questionnaire page, then Next
            [("procedure-area", [_coding(content, "procedure-area", "low-back")])],
            [("blood-thinners", [_coding(content, "blood-thinners", "apixaban")]),
             ("blood-thinner-last-dose",
              [_coding(content, "blood-thinner-last-dose", "yesterday")])],
            [("bleeding", [{"valueBoolean": number == 1}])],
            [("allergies", [_coding(content, "allergies", "contrast")]),
             ("contrast-reaction-what", [_coding(content, "contrast-reaction-what", "hives")]),
             ("contrast-reaction-when", [_coding(content, "contrast-reaction-when", "lt1y")]),
             ("contrast-reaction", [{"valueString": f"Hives, patient {number}"}])],
            [("fever-infection", [{"valueBoolean": False}]),
             ("antibiotics", [{"valueBoolean": False}]),
             ("recent-illness", [{"valueBoolean": False}]),
             ("skin-problem", [{"valueBoolean": False}])],
            [("diabetes", [{"valueBoolean": True}]),
             ("diabetes-medicines", [_coding(content, "diabetes-medicines", "insulin")]),
             ("blood-sugar-today", [_coding(content, "blood-sugar-today", "70to180")])],
            [("pregnancy", [_coding(content, "pregnancy", "no")])],
            [("devices", [_coding(content, "devices", "none")])],
            [("glaucoma", [{"valueBoolean": False}]), ("immune", [{"valueBoolean": False}]),
             ("kidney-liver", [{"valueBoolean": False}]),
             ("heart-failure", [{"valueBoolean": False}])],
            [("recent-steroid-shot", [{"valueBoolean": False}]),
             ("site-surgery", [{"valueBoolean": False}])],
            [("sedation-planned", [_coding(content, "sedation-planned", "no")])],
            [("pain-now", [{"valueInteger": 4 + number}])],
            [("peg-average", [{"valueInteger": 5}]), ("peg-enjoyment", [{"valueInteger": 4}]),
             ("peg-activity", [{"valueInteger": 3 + number}])],
        ]
        for page in pages_answers:
            actions += [{"answer": [link_id, values]} for link_id, values in page]
            actions.append({"next": True})
        if number < 2:
            actions += [{"next": True}, {"sign": True}, {"confirm": True}, {"done": True}]
    return actions


@dataclass(frozen=True)
class DiskState:
    submitted: tuple[tuple[str, str], ...]
    draft: tuple[str, str] | None  # JSON of patient and answers, or no draft


def expected_states(content: ContentLibrary, actions: list[dict[str, Any]]) -> list[DiskState]:
    """The state on disk after each prefix of the script (index = actions played)."""
    states = [DiskState((), None)]
    submitted: list[tuple[str, str]] = []
    session: IntakeSession | None = None
    draft: tuple[str, str] | None = None
    for action in actions:
        if "start" in action:
            session = IntakeSession(content, action["start"])
        elif "done" in action:
            session, draft = None, None
        elif "confirm" in action:
            session.confirm(True)
            submission = session.build_submission()
            submitted.append((submission.first_name, submission.last_name))
            draft = None
        elif "next" in action:
            problems = session.next()
            assert not problems, problems
        elif "sign" in action:
            session.sign(DEMO_SIGNATURE)
        else:
            if "name" in action:
                session.set_name(*action["name"])
            elif "birth" in action:
                session.set_birth(*action["birth"])
            elif "procedure" in action:
                session.choose_procedure(action["procedure"])
            elif "check" in action:
                session.answer_check(*action["check"])
            elif "answer" in action:
                link_id, values = action["answer"]
                session.answer(link_id, [parse_typed_value(k[len("value"):], v)
                                         for value in values for k, v in value.items()])
            data = encode(session)
            draft = (json.dumps(data["patient"], sort_keys=True),
                     json.dumps(data["response"].get("item", []), sort_keys=True))
        states.append(DiskState(tuple(submitted), draft))
    return states


def read_state(db_path: Path) -> tuple[DiskState, list[str]]:
    """What is on disk, and every fault found (integrity, half-written intakes, extra drafts)."""
    faults: list[str] = []
    db = sqlite3.connect(db_path)
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            faults.append(f"integrity_check: {check}")
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if "intake" not in tables:
            return DiskState((), None), faults
        submitted = []
        for intake_id, first, last, flags, response in db.execute(
            "SELECT id, first_name, last_name, flag_count, response_json FROM intake "
            "ORDER BY id"
        ):
            stored_flags = db.execute(
                "SELECT count(*) FROM intakeflag WHERE intake_id = ?", (intake_id,)
            ).fetchone()[0]
            if stored_flags != flags:
                faults.append(f"intake {intake_id}: {stored_flags} flags of {flags}")
            if not json.loads(response).get("item"):
                faults.append(f"intake {intake_id}: empty response")
            submitted.append((first, last))
        drafts = db.execute("SELECT data_json FROM draft").fetchall() if "draft" in tables else []
        if len(drafts) > 1:
            faults.append(f"{len(drafts)} drafts for one kiosk")
        draft = None
        if drafts:
            data = json.loads(drafts[0][0])
            draft = (json.dumps(data["patient"], sort_keys=True),
                     json.dumps(data["response"].get("item", []), sort_keys=True))
        return DiskState(tuple(submitted), draft), faults
    finally:
        db.close()


def run_and_kill(data_dir: Path, script: Path, kill_after: int,
                 interval_ms: int = 3) -> int:
    """Start the kiosk playing ``script``; SIGKILL it once ``kill_after`` actions are
    acknowledged. Returns the number of actions acknowledged when the kill was sent."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_TEST_SCRIPT=str(script),
               KIOSK_TEST_SCRIPT_INTERVAL_MS=str(interval_ms))
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.kiosk_under_test", "--data-dir", str(data_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    acknowledged = 0
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("ack "):
                acknowledged = int(line.split()[1])
                if acknowledged >= kill_after:
                    break
            elif line.startswith("finished"):
                break
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    return acknowledged


def check_after_kill(content: ContentLibrary, states: list[DiskState], data_dir: Path,
                     acknowledged: int) -> list[str]:
    """Faults found; none means the disk matches the script played up to some action at or
    after the last acknowledged one (a kill lands a little after the line is read)."""
    actual, faults = read_state(data_dir / "kiosk.db")
    if actual not in states[acknowledged:]:
        faults.append(f"after {acknowledged} actions the disk holds {actual}, which no "
                      f"prefix from there on produces")
    return faults
