"""Content that cannot work is refused at the check and at start, with the file, the place
and the problem on one line — never a traceback: a flag rule for an answer no question has,
an idle time of zero, Latin-1 bytes, a type given as a list, deep nesting; and a fuzz of
mutated shipped content files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.content.library import load_content
from kiosk.errors import ContentError
from tests.helpers.content_mutations import CONTENT, copy_content, mutations

ROOT = Path(__file__).resolve().parents[1]


def check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk", "check", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def edit_json(folder: Path, name: str, change) -> Path:
    path = folder / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def refusal(folder: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_the_shipped_content_passes_the_check():
    result = check()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("kiosk/content: content is usable — 12 procedures, "
                                    "2 languages (en, es), 51 flag rules")


def test_a_misspelled_code_in_a_flag_rule_is_refused_naming_file_and_rule(tmp_path):
    folder = copy_content(tmp_path / "content")

    def misspell(data):
        data["rules"][0]["when"]["any_of"][0] = "warfarine"

    edit_json(folder, "flag_rules.json", misspell)
    message = refusal(folder)
    assert message.startswith(f"{folder}/flag_rules.json: rules[0] (anticoagulant).when: "
                              "question 'blood-thinners' has no answer 'warfarine' (it has ")
    assert "'warfarin'" in message and "the rule could never fire" in message
    result = check("--content", str(folder))
    assert result.returncode == 1
    assert result.stderr.strip() == message  # the same one line
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("rule, problem", [
    ({"answer": "bleeding", "is": "yes"}, "question 'bleeding' has no answer 'yes'"),
    ({"answer": "bleeding", "any_of": "true"}, "expected a non-empty list of answers"),
    ({"procedure": {"bleeding_tier": ["hihg"]}}, "no procedure has bleeding_tier 'hihg'"),
    ({"procedure": {"steriod": ["usual"]}}, "procedures have no field 'steriod'"),
    ({"procedure": {"radiofrequency": ["true"]}}, "no procedure has radiofrequency 'true'"),
])
def test_other_rules_that_could_never_fire_are_refused(tmp_path, rule, problem):
    folder = copy_content(tmp_path / "content")
    rules = json.loads((folder / "flag_rules.json").read_text(encoding="utf-8"))["rules"]
    index = next(i for i, r in enumerate(rules) if r["id"] == "bleeding-disorder")
    edit_json(folder, "flag_rules.json", lambda d: d["rules"][index].update(when=rule))
    message = refusal(folder)
    assert message.startswith(
        f"{folder}/flag_rules.json: rules[{index}] (bleeding-disorder).when")
    assert problem in message


@pytest.mark.parametrize("key", ["idle_timeout_seconds", "idle_warning_seconds",
                                 "staff_idle_timeout_seconds"])
@pytest.mark.parametrize("value, problem", [
    (0, "must be more than 0 seconds, got 0"),
    (-30, "must be more than 0 seconds, got -30"),
    ([120], "expected a whole number of seconds, got [120]"),
    ("120", "expected a whole number of seconds, got '120'"),
    (True, "expected a whole number of seconds, got True"),
])
def test_idle_times_must_be_positive_whole_seconds(tmp_path, key, value, problem):
    folder = copy_content(tmp_path / "content")
    edit_json(folder, "clinic.json", lambda d: d.update({key: value}))
    assert refusal(folder) == f"{folder}/clinic.json: {key}: {problem}"


@pytest.mark.parametrize("option", ["--idle-seconds", "--warning-seconds"])
@pytest.mark.parametrize("value", ["0", "-5"])
def test_the_command_line_refuses_a_zero_or_negative_idle_time(option, value):
    result = subprocess.run([sys.executable, "main.py", option, value, "--check-start"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == f"{option} must be more than 0 seconds, not {value}"


def test_latin1_bytes_are_one_clear_line(tmp_path):
    folder = copy_content(tmp_path / "content")
    path = folder / "procedures" / "nerve-block.json"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    message = refusal(folder)
    assert message.startswith(f"{path}: line ")
    assert "not UTF-8 text (byte 0x" in message and "save the file as UTF-8" in message


@pytest.mark.parametrize("change, where, problem", [
    (lambda d: d.update(clinic_name=["Riverside"]), "clinic.json: clinic_name",
     "expected the clinic's name as text"),
    (lambda d: d.update(procedures="nerve-block"), "clinic.json: procedures",
     "expected a non-empty list of procedure ids"),
    (lambda d: d.update(questionnaire=["questionnaires/preprocedure.json"]),
     "clinic.json: questionnaire", "expected a path inside the content folder"),
])
def test_a_type_given_as_a_list_or_text_is_named(tmp_path, change, where, problem):
    folder = copy_content(tmp_path / "content")
    edit_json(folder, "clinic.json", change)
    message = refusal(folder)
    assert message.startswith(f"{folder}/{where}: {problem}")


def test_a_procedure_flag_given_as_a_list_is_refused(tmp_path):
    folder = copy_content(tmp_path / "content")
    edit_json(folder, "procedures/radiofrequency-ablation.json",
              lambda d: d["metadata"].update(radiofrequency=[True]))
    assert refusal(folder) == (f"{folder}/procedures/radiofrequency-ablation.json: "
                               "metadata.radiofrequency: expected true or false")


def test_500_deep_nesting_is_refused_with_one_line(tmp_path):
    folder = copy_content(tmp_path / "content")
    deep: object = "x"
    for _ in range(500):
        deep = {"not": deep}
    edit_json(folder, "flag_rules.json", lambda d: d["rules"][0].update(when=deep))
    assert refusal(folder) == (f"{folder}/flag_rules.json: file: nested 503 levels deep; "
                               "content files may nest at most 64")
    (folder / "teach_back.json").write_text("[" * 100_000 + "]" * 100_000)
    edit_json(folder, "flag_rules.json", lambda d: d["rules"][0].update(when={
        "answer": "bleeding", "is": True}))
    assert refusal(folder).startswith(f"{folder}/teach_back.json: file: nested ")


def test_the_kiosk_will_not_start_on_broken_content_and_says_why(tmp_path):
    """The kiosk itself (a copy of the package whose content has the misspelled code)."""
    shutil.copytree(ROOT / "kiosk", tmp_path / "kiosk",
                    ignore=shutil.ignore_patterns("__pycache__"))
    edit_json(tmp_path / "kiosk" / "content", "flag_rules.json",
              lambda d: d["rules"][0]["when"]["any_of"].__setitem__(0, "warfarine"))
    result = subprocess.run(
        [sys.executable, "-m", "kiosk.command_line", "--data-dir", str(tmp_path / "data"),
         "--check-start"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(tmp_path)})
    assert result.returncode == 2
    assert "The kiosk's content has a problem and it cannot start:" in result.stderr
    assert ("kiosk/content/flag_rules.json: rules[0] (anticoagulant).when: question "
            "'blood-thinners' has no answer 'warfarine'") in result.stderr
    assert "Traceback" not in result.stderr
    assert "first screen shown" not in result.stderr + result.stdout


CASES = mutations()


def test_the_fuzz_covers_every_content_file():
    files = {case.file for case, _ in CASES}
    assert len(files) == len(list(CONTENT.rglob("*.json"))) >= 17
    assert len(CASES) >= 500


def test_mutated_content_is_accepted_or_refused_by_name_never_a_crash(tmp_path):
    """Every mutation either loads (a change that is still valid content) or is refused
    with a ContentError naming the mutated file (or one it breaks, such as a procedure
    whose check's page went) and a problem; none falls through to the catch-all."""
    folder = copy_content(tmp_path / "content")
    refused = accepted = 0
    caught_all: list[str] = []
    for case, mutated in CASES:
        target = folder / case.file
        original = target.read_bytes()
        target.write_bytes(mutated)
        try:
            load_content(folder)
            accepted += 1
        except ContentError as exc:
            refused += 1
            assert str(exc.source).startswith(str(folder)), (str(case), str(exc))
            assert exc.problem.strip() and "\n" not in str(exc), (str(case), str(exc))
            if "unexpected content" in exc.problem:
                caught_all.append(f"{case} -> {exc}")
        except Exception as exc:  # noqa: BLE001 - what the test is looking for
            pytest.fail(f"{case}: {type(exc).__name__}: {exc}")
        finally:
            target.write_bytes(original)
    print(f"content fuzz: {len(CASES)} cases, {refused} refused by name, {accepted} accepted, "
          f"0 tracebacks, {len(caught_all)} by the catch-all")
    assert caught_all == []
    assert refused > len(CASES) // 2


@pytest.mark.parametrize("index", [0, 7, 40, 200, 333])
def test_the_check_command_on_mutated_content_never_tracebacks(tmp_path, index):
    case, mutated = CASES[index]
    folder = copy_content(tmp_path / "content")
    (folder / case.file).write_bytes(mutated)
    result = check("--content", str(folder))
    assert "Traceback" not in result.stderr, (str(case), result.stderr)
    assert result.returncode in (0, 1)
    if result.returncode:
        assert len(result.stderr.strip().splitlines()) == 1 and str(folder) in result.stderr


def test_a_text_deleted_from_english_is_refused_at_load_naming_it(tmp_path):
    """Before: the kiosk started and failed only when the screen that shows it opened."""
    folder = copy_content(tmp_path / "content")
    edit_json(folder, "strings/en.json", lambda d: d["strings"].pop("review_heading"))
    assert refusal(folder) == (f"{folder}/strings/en.json: strings: missing 1 text(s) the "
                               "kiosk shows: review_heading")


def test_a_text_missing_from_spanish_falls_back_to_english(tmp_path):
    folder = copy_content(tmp_path / "content")
    edit_json(folder, "strings/es.json", lambda d: d["strings"].pop("review_heading"))
    content = load_content(folder)
    assert content.strings("es")("review_heading") == content.strings("en")("review_heading")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_placeholder_the_kiosk_does_not_fill_is_refused(tmp_path, language):
    folder = copy_content(tmp_path / "content")
    english = json.loads((CONTENT / "strings" / "en.json").read_text(encoding="utf-8"))
    key = next(k for k, v in english["strings"].items() if "{" in v)
    edit_json(folder, f"strings/{language}.json",
              lambda d: d["strings"].__setitem__(key, "Hola {nme}"))
    message = refusal(folder)
    assert message.startswith(f"{folder}/strings/{language}.json: strings.{key}: unknown "
                              "placeholder(s) ['nme']; this text can use [")


def test_a_lone_brace_is_refused_with_how_to_write_one(tmp_path):
    folder = copy_content(tmp_path / "content")
    edit_json(folder, "strings/es.json",
              lambda d: d["strings"].__setitem__("review_heading", "Revise {"))
    assert refusal(folder).endswith("write {{ and }} for a brace")


def test_every_text_key_the_code_names_is_in_english():
    """Keys written literally in the code, as t("key"); the others are built from data
    (tiers, flags) and are covered by the screens' own tests."""
    import re
    english = json.loads((CONTENT / "strings" / "en.json").read_text(encoding="utf-8"))
    pattern = re.compile(r"\b(?:t|self\.t|self\._t)\(\s*\"([a-z][a-z0-9_]*)\"")
    used = {key for path in (ROOT / "kiosk").rglob("*.py")
            for key in pattern.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 150
    assert sorted(used - set(english["strings"])) == []
