"""Two real kiosk processes playing scripted intakes into one PostgreSQL server that is
restarted under them (the test of finding 11.1, and `make soak`'s PostgreSQL round)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.library import ContentLibrary
from kiosk.storage import Store
from tests.helpers.crash import ROOT, build_script
from tests.helpers.postgres import PrivatePostgres
from tests.helpers.staff import signed_in


@dataclass
class RestartRun:
    actions: int  # actions in each kiosk's script
    acks: list[int]  # actions each kiosk acknowledged (on disk)
    finished: list[bool]
    intakes: list[str]  # last names of the stored intakes
    responses: list[str]  # each stored response, as JSON
    draft_names: list[str]  # last names in the drafts left (the unfinished third patients)
    restarts: int
    logs: list[str]  # the end of each kiosk's log (no patient data is logged)


def _kiosk(script: Path, data_dir: Path, url: str) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_TEST_SCRIPT=str(script),
               KIOSK_TEST_SCRIPT_INTERVAL_MS="4")
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.kiosk_under_test", "--data-dir", str(data_dir),
         "--database-url", url],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        stderr=(data_dir.parent / f"{data_dir.name}.log").open("w"))


def confirm_index(content: ContentLibrary) -> int:
    """Where the first intake is sent, in the script (0-based)."""
    return next(n for n, a in enumerate(build_script(content)) if "confirm" in a)


def play_with_restarts(server: PrivatePostgres, content: ContentLibrary, work: Path,
                       restart_at: list[int], down_seconds: float = 1.5) -> RestartRun:
    """Both kiosks play the crash tests' script (two whole intakes and one left unfinished);
    the server is stopped for ``down_seconds`` when the first kiosk has acknowledged each
    action count in ``restart_at``. Then what the server holds is read back."""
    actions = build_script(content)
    script = work / "script.json"
    script.write_text(json.dumps(actions))
    Store(url=server.url).close()  # the schema, as after the first kiosk's start
    kiosks = [_kiosk(script, work / name, server.url) for name in ("a", "b")]
    acks = [0, 0]
    finished = [False, False]

    def read(n: int) -> None:
        stream = kiosks[n].stdout
        assert stream is not None
        for line in stream:
            if line.startswith("ack "):
                acks[n] = int(line.split()[1])
            elif line.startswith("finished"):
                finished[n] = True

    readers = [threading.Thread(target=read, args=(n,), daemon=True) for n in (0, 1)]
    for reader in readers:
        reader.start()
    restarts = 0
    try:
        for at in sorted(restart_at):
            deadline = time.monotonic() + 90
            while acks[0] < at and not finished[0] and time.monotonic() < deadline:
                time.sleep(0.005)
            server.stop()
            time.sleep(down_seconds)
            server.start()
            restarts += 1
        for kiosk in kiosks:
            with contextlib.suppress(subprocess.TimeoutExpired):
                kiosk.wait(timeout=180)  # a hung kiosk shows as unfinished, with its log
    finally:
        for kiosk in kiosks:
            if kiosk.poll() is None:
                kiosk.kill()
                kiosk.wait()
    for reader in readers:
        reader.join(timeout=5)
    store = Store(url=server.url)
    try:
        rows = store.queue_page(limit=1000)
        kim = signed_in(store, "Soak")
        responses = [json.dumps(store.intake(r.id, kim).response) for r in rows]
        drafts = [d.data["patient"]["last_name"] for d in store.drafts(kim)]
    finally:
        store.close()
    logs = [(work / f"{name}.log").read_text(errors="replace")[-1500:] for name in ("a", "b")]
    return RestartRun(len(actions), acks, finished, [r.last_name for r in rows], responses,
                      drafts, restarts, logs)


def faults(run: RestartRun) -> list[str]:
    """What went wrong, if anything (nothing lost, nothing twice, both kiosks finished)."""
    found = []
    if run.finished != [True, True] or run.acks != [run.actions] * 2:
        found.append(f"kiosks stopped early: acknowledged {run.acks} of {run.actions}; "
                     f"logs: {run.logs}")
    if sorted(run.intakes) != ["Haddad", "Haddad", "Lopez", "Lopez"]:
        found.append(f"stored intakes {sorted(run.intakes)}, expected two per kiosk, once")
    if any("Hives, patient" not in response for response in run.responses):
        found.append("a stored intake lacks its answers")
    if sorted(run.draft_names) != ["Okafor", "Okafor"]:
        found.append(f"drafts left {run.draft_names}, expected each kiosk's unfinished one")
    return found
