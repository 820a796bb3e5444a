"""Mutation fuzzing: published questionnaires (../shared/questionnaires), mutated at random
but reproducibly, are either loaded or refused with a QuestionnaireError naming the file,
the place and the problem — never another exception, a hang, or parser noise on stdout.
The load report is made and a first answer given for every form that loads."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.questionnaire import AnswerSheet, parse_questionnaire
from kiosk.questionnaire.load_report import format_report
from kiosk.questionnaire.model import QuestionnaireError
from tests.conftest import SHARED_QUESTIONNAIRES

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(SHARED_QUESTIONNAIRES.glob("*.json"))
MUTANTS_PER_FILE = 60

ODD_VALUES: list[Any] = [
    None, "", -1, 0, 2**70, 1.5, True, [], {}, ["a", "b"], {"x": 1}, "2022-09", "é\x00\u202e",
    "x" * 5000, "matches('(')", "%resource.item.where(", "((((", "[", "#", "answer.value > ",
]
KEYS = ["linkId", "type", "text", "enableWhen", "answerOption", "item", "extension",
        "initial", "required", "repeats", "answerValueSet", "question", "operator",
        "answerInteger", "answerCoding", "valueCoding", "valueExpression", "expression",
        "url", "contained", "enableBehavior", "maxLength", "readOnly"]


def nodes(data: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every value in the JSON tree."""
    found: list[tuple[Any, Any]] = []
    pending = [data]
    while pending:
        node = pending.pop()
        pairs = node.items() if isinstance(node, dict) else enumerate(node) \
            if isinstance(node, list) else ()
        for key, value in pairs:
            found.append((node, key))
            pending.append(value)
    return found


def mutate(data: dict, rng: random.Random) -> dict:
    mutant = copy.deepcopy(data)
    for _ in range(rng.randint(1, 4)):
        places = nodes(mutant)
        if not places:
            break
        container, key = rng.choice(places)
        choice = rng.random()
        if choice < 0.3:
            container[key] = copy.deepcopy(rng.choice(ODD_VALUES))
        elif choice < 0.45 and isinstance(container, dict):
            del container[key]
        elif choice < 0.6:
            value = container[key]
            container[key] = [value] if rng.random() < 0.5 else {"value": copy.deepcopy(value)}
        elif choice < 0.75 and isinstance(container, dict):
            container[rng.choice(KEYS)] = copy.deepcopy(rng.choice(ODD_VALUES
                                                                   + [container[key]]))
        elif choice < 0.85 and isinstance(container, list):
            container.append(copy.deepcopy(container[key]))  # a duplicate (linkIds too)
        else:
            value = container[key]
            if isinstance(value, str) and value:
                cut = rng.randrange(len(value))
                container[key] = value[:cut] + rng.choice(["'", "(", "\\", "\u00e9", ""]) \
                    + value[cut + 1:]
    return mutant


def exercise(mutant: Any, source: str) -> str:
    """Load, report and answer once; returns what happened (for the summary)."""
    try:
        form = parse_questionnaire(mutant, source=source)
    except QuestionnaireError as exc:
        assert exc.source == source and exc.where and exc.problem, exc
        return "refused"
    format_report(form)
    sheet = AnswerSheet(form)
    for item in form.walk():
        if item.is_question and item.options:
            sheet.set(item.link_id, [item.options[0].value])
            break
    return "loaded"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_mutated_published_forms_load_or_are_refused_clearly(path, capsys):
    original = json.loads(path.read_text(encoding="utf-8"))
    rng = random.Random(path.name)
    outcomes = [exercise(mutate(original, rng), f"{path.name}#{n}")
                for n in range(MUTANTS_PER_FILE)]
    assert set(outcomes) <= {"loaded", "refused"}
    out, err = capsys.readouterr()
    assert "recognition error" not in out + err


def test_kiosk_check_gives_no_traceback_on_mutated_files(tmp_path):
    rng = random.Random(11)
    paths = []
    for n, path in enumerate(FILES):
        original = json.loads(path.read_text(encoding="utf-8"))
        for m in range(3):
            target = tmp_path / f"{n:02d}_{m}.json"
            text = json.dumps(mutate(original, rng))
            if m == 2:  # bytes that are not UTF-8, and a cut-off file
                target.write_bytes(text[: len(text) // 2].encode("utf-8") + b"\xe9\xff")
            else:
                target.write_text(text)
            paths.append(target)
    result = subprocess.run([sys.executable, "-m", "kiosk", "check", *map(str, paths)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "recognition error" not in result.stdout
    for line in result.stderr.splitlines():
        assert ": not a usable Questionnaire: " in line, line
