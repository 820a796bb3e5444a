"""The kiosk killed (SIGKILL) at random points of a scripted intake: nothing half-written,
nothing lost that was answered before the kill."""

import json
import random

import pytest

from tests.helpers.crash import build_script, check_after_kill, expected_states, run_and_kill

KILLS = 10  # spread over the script, one in each tenth; `make soak` kills 300 times


@pytest.fixture(scope="module")
def script(tmp_path_factory, content):
    actions = build_script(content)
    path = tmp_path_factory.mktemp("script") / "script.json"
    path.write_text(json.dumps(actions))
    return path, actions, expected_states(content, actions)


def test_the_script_replays_to_two_submitted_intakes_and_a_draft(script):
    _path, actions, states = script
    assert len(states) == len(actions) + 1
    assert states[-1].submitted == (("Ana", "Lopez"), ("Omar", "Haddad"))
    assert states[-1].draft is not None


@pytest.mark.parametrize("seed", range(KILLS))
def test_sigkill_at_a_random_point(tmp_path, content, script, seed):
    path, actions, states = script
    low = 1 + seed * len(actions) // KILLS  # this kill's stretch of the script
    high = max(low, (seed + 1) * len(actions) // KILLS)
    kill_after = random.Random(seed).randint(low, high)
    acknowledged = run_and_kill(tmp_path / "data", path, kill_after)
    assert acknowledged >= min(kill_after, len(actions)) or acknowledged == len(actions)
    assert check_after_kill(content, states, tmp_path / "data", acknowledged) == []
