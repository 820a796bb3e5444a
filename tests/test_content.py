"""Every content file loads and keeps its invariants; patient text stays plain."""

import json
import re
from importlib import resources
from statistics import median

import pytest
import textstat

from kiosk.content_errors import ContentError
from kiosk.content_library import load_content

MAX_GRADE = 8.0


def test_procedures_cover_the_three_required_and_name_sources_and_review(content):
    ids = {p.id for p in content.procedures}
    assert {"epidural-steroid-injection", "nerve-block", "radiofrequency-ablation"} <= ids
    for procedure in content.procedures:
        assert procedure.sources
        assert procedure.reviewed_by
        headings = [page.heading.lower() for page in procedure.text("en").pages]
        for topic in ("what it is", "safe", "common", "rare", "ready", "benefits"):
            assert any(topic in h for h in headings), (procedure.id, topic)


def test_content_never_gives_hold_times_or_doses(content):
    for procedure in content.procedures:
        for page in procedure.text("en").pages:
            for paragraph in page.paragraphs:
                assert not re.search(r"\b\d+\s*(mg|milligram)", paragraph, re.I)
                assert not re.search(r"stop (taking )?\w+ \d+ days", paragraph, re.I)
        text = " ".join(p for page in procedure.text("en").pages for p in page.paragraphs)
        assert "do not stop it on your own" in text


def test_every_ui_string_key_used_in_code_exists(content):
    from pathlib import Path

    used = set()
    for path in Path("kiosk").rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9]+)["']""", path.read_text()))
    catalogue = content.strings("en").strings
    assert used, "no string lookups found"
    assert sorted(used - set(catalogue)) == []


def test_flag_rules_and_questionnaire_link_up(content):
    link_ids = {i.link_id for i in content.questionnaire.walk()}
    for rule in content.flag_rules:
        assert set(rule.show) <= link_ids


def patient_texts(content):
    for procedure in content.procedures:
        for page in procedure.text("en").pages:
            yield f"{procedure.id}: {page.heading}", " ".join(page.paragraphs)
    for item in content.questionnaire.walk():
        if item.text:
            yield f"question {item.link_id}", item.text


def test_reading_level_of_every_patient_page_is_grade_8_or_lower(content):
    grades = {}
    for name, text in patient_texts(content):
        if name.startswith("question") or len(text.split()) < 30:
            continue  # too short for a readability formula to mean anything
        grades[name] = textstat.flesch_kincaid_grade(text)
    too_hard = {k: v for k, v in grades.items() if v > MAX_GRADE}
    assert not too_hard, too_hard
    assert median(grades.values()) <= MAX_GRADE


def copy_content(tmp_path):
    root = tmp_path / "content"
    source = resources.files("kiosk.content")

    def copy(node, target):
        if node.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            for child in node.iterdir():
                copy(child, target / child.name)
        elif node.name.endswith(".json"):
            target.write_bytes(node.read_bytes())

    copy(source, root)
    return root


def test_a_broken_procedure_file_is_named_with_place_and_reason(tmp_path):
    root = copy_content(tmp_path)
    path = root / "procedures" / "nerve-block.json"
    data = json.loads(path.read_text())
    data["metadata"]["bleeding_tier"] = "medium"
    path.write_text(json.dumps(data))
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert "nerve-block.json" in str(caught.value)
    assert "metadata.bleeding_tier" in str(caught.value)


def test_invalid_json_in_flag_rules_is_reported_with_line(tmp_path):
    root = copy_content(tmp_path)
    (root / "flag_rules.json").write_text('{"rules": [\n  {"id": "x",,}\n]}')
    with pytest.raises(ContentError, match=r"flag_rules.json: line 2"):
        load_content(root)


def test_flag_rule_naming_an_unknown_question_is_refused(tmp_path):
    root = copy_content(tmp_path)
    path = root / "flag_rules.json"
    data = json.loads(path.read_text())
    data["rules"][0]["when"] = {"answer": "no-such-question", "is": True}
    path.write_text(json.dumps(data))
    with pytest.raises(ContentError, match="unknown question 'no-such-question'"):
        load_content(root)


def test_a_second_language_is_only_a_file(tmp_path):
    root = copy_content(tmp_path)
    (root / "strings" / "xx.json").write_text(json.dumps(
        {"language": "xx", "language_name": "Test", "strings": {"start": "Go"}}))
    library = load_content(root)
    assert library.strings("xx")("start") == "Go"
    assert library.strings("xx")("next") == "Next"  # falls back to English
