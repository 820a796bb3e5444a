"""`make soak`: SIGKILL the kiosk at a few hundred random points of scripted intakes and
check the database after each kill (integrity, whole intakes, drafts = answers given)."""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.content.library import load_content  # noqa: E402
from tests.helpers.crash import (  # noqa: E402
    build_script,
    check_after_kill,
    expected_states,
    run_and_kill,
)


def main(kills: int = 300) -> int:
    content = load_content()
    actions = build_script(content)
    states = expected_states(content, actions)
    rng = random.Random(20261125)
    faults_total = 0
    outcomes = {"submitted": 0, "draft": 0, "empty": 0}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        script = Path(work) / "script.json"
        script.write_text(json.dumps(actions))
        for number in range(kills):
            data = Path(work) / f"run{number}"
            acknowledged = run_and_kill(data, script, rng.randint(1, len(actions)),
                                        interval_ms=rng.choice((0, 1, 3)))
            faults = check_after_kill(content, states, data, acknowledged)
            faults_total += len(faults)
            for fault in faults:
                print(f"kill {number}: {fault}")
            from tests.helpers.crash import read_state

            state, _ = read_state(data / "kiosk.db")
            outcomes["submitted" if state.submitted else "draft" if state.draft else "empty"] += 1
    seconds = time.perf_counter() - began
    print(f"{kills} kills in {seconds:.0f} s: {faults_total} faults; "
          f"integrity_check ok after every kill: {faults_total == 0}; "
          f"at the kill the disk held submitted intakes in {outcomes['submitted']}, "
          f"only a draft in {outcomes['draft']}, nothing yet in {outcomes['empty']}")
    faults_total += postgres_restarts(content, rng)
    return 1 if faults_total else 0


def postgres_restarts(content, rng: random.Random, rounds: int = 10) -> int:
    """Two kiosk processes on one private PostgreSQL, restarted twice at random points of
    every round. Skipped (said so) where PostgreSQL's binaries are not installed."""
    from tests.helpers.postgres import PrivatePostgres, _bin
    from tests.helpers.postgres_restarts import faults, play_with_restarts

    if _bin() is None:
        print("PostgreSQL restarts: skipped (no PostgreSQL binaries on this machine)")
        return 0
    found = 0
    restarts = 0
    began = time.perf_counter()
    actions = len(build_script(content))
    for number in range(rounds):
        base = Path(tempfile.mkdtemp(prefix="kiosk-soak-pg-"))
        base.chmod(0o755)
        server = PrivatePostgres(base)
        try:
            with tempfile.TemporaryDirectory() as work:
                points = sorted(rng.sample(range(1, actions), 2))
                run = play_with_restarts(server, content, Path(work), points,
                                         down_seconds=rng.choice((0.3, 1.0, 2.5)))
                restarts += run.restarts
                for fault in faults(run):
                    print(f"PostgreSQL round {number} (restarts at {points}): {fault}")
                    found += 1
        finally:
            server.close()
    print(f"PostgreSQL: {rounds} rounds of two kiosks, {restarts} server restarts in "
          f"{time.perf_counter() - began:.0f} s: {found} faults "
          f"({rounds * 4} intakes expected once each)")
    return found


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
