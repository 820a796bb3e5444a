"""Every content file loads and keeps its invariants; patient text stays plain."""

import json
import re
from importlib import resources
from statistics import median

import pytest
import textstat

from kiosk.content.errors import ContentError
from kiosk.content.library import load_content

MAX_GRADE = 8.0  # Flesch-Kincaid, every page (NIH/NCI: 8th grade or lower)
MAX_MEDIAN_GRADE = 6.0  # Flesch-Kincaid median (AMA: 6th grade or lower)
MAX_SMOG = 9.0


# The bleeding-risk tier of each procedure as in the ASRA pain-medicine guidance
# (Narouze et al. 2018; ../shared/CLINICAL.md), by body area where it depends on it.
ASRA_TIERS = {
    "epidural-steroid-injection": ("intermediate", {}),  # interlaminar
    "epidural-steroid-injection-transforaminal": ("intermediate", {}),
    "selective-nerve-root-block": ("intermediate", {}),
    "medial-branch-block": ("low", {"neck": "intermediate"}),
    "radiofrequency-ablation": ("low", {"neck": "intermediate"}),
    "facet-joint-injection": ("low", {"neck": "intermediate"}),  # cervical like the MBB
    "sacroiliac-joint-injection": ("low", {}),
    "stellate-ganglion-block": ("intermediate", {}),
    "lumbar-sympathetic-block": ("intermediate", {}),
    "trigger-point-injection": ("low", {}),
    "spinal-cord-stimulator-trial": ("high", {}),
    "nerve-block": ("low", {"head-face": "intermediate",  # trigeminal, sphenopalatine
                            "chest": "intermediate", "mid-back": "intermediate"}),  # paravertebral
}


def test_the_clinic_offers_every_procedure_of_the_library_with_sources_and_review(content):
    assert [p.id for p in content.procedures] == list(ASRA_TIERS)
    for procedure in content.procedures:
        assert procedure.sources
        assert procedure.reviewed_by
        for language in ("en", "es"):
            assert language in procedure.texts, (procedure.id, language)
        headings = [page.heading.lower() for page in procedure.text("en").pages]
        for topic in ("what it is", "safe", "common", "rare", "ready", "after", "benefits"):
            assert any(topic in h for h in headings), (procedure.id, topic)


def test_bleeding_tiers_follow_the_asra_guidance_and_the_highest_when_the_area_is_unknown(
        content):
    for procedure in content.procedures:
        tier, by_area = ASRA_TIERS[procedure.id]
        assert (procedure.bleeding_tier, procedure.bleeding_tier_by_area) == (tier, by_area)
        assert procedure.tier_for("low-back") == by_area.get("low-back", tier)
        highest = max([tier, *by_area.values()], key=["low", "intermediate", "high"].index)
        assert procedure.tier_for("unsure") == procedure.tier_for(None) == highest


def test_every_page_about_after_care_says_when_to_go_to_the_emergency_room(content):
    for procedure in content.procedures:
        for language, words in (("en", "emergency room"), ("es", "urgencias")):
            pages = procedure.text(language).pages
            after = [p for p in pages if p.heading in ("After the procedure",
                                                       "Después del procedimiento")]
            assert len(after) == 1, (procedure.id, language)
            assert words in " ".join(after[0].paragraphs), (procedure.id, language)


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
    assert median(grades.values()) <= MAX_MEDIAN_GRADE


def test_smog_grade_of_every_patient_page_is_9_or_lower(content):
    """SMOG counts the long words per sentence, which Flesch-Kincaid can average away: the
    "rare but serious risks" pages were up to 10.9 (issue 13.11). One risk per line."""
    grades = {name: textstat.smog_index(text) for name, text in patient_texts(content)
              if not name.startswith("question") and len(text.split()) >= 30}
    too_hard = {k: v for k, v in grades.items() if v > MAX_SMOG}
    assert not too_hard, too_hard


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


def test_an_understanding_check_with_no_right_answer_is_refused(tmp_path):
    root = copy_content(tmp_path)
    path = root / "teach_back.json"
    data = json.loads(path.read_text())
    data["checks"][0]["correct"] = "maybe"
    path.write_text(json.dumps(data))
    with pytest.raises(ContentError, match=r"teach_back.json.*checks\[0\]\.correct"):
        load_content(root)


# The understanding checks each procedure shows. A change to the checks, their priority or
# the procedures' metadata that drops one of these fails here (issue 13.1).
CHECKS_SHOWN = {
    "epidural-steroid-injection": ["blood-thinner", "when-to-get-help", "driver",
                                   "steroid-blood-sugar"],
    "epidural-steroid-injection-transforaminal": ["blood-thinner", "when-to-get-help", "driver",
                                                  "steroid-blood-sugar", "leg-numb-falls"],
    "facet-joint-injection": ["blood-thinner", "when-to-get-help", "driver",
                              "steroid-blood-sugar"],
    "lumbar-sympathetic-block": ["blood-thinner", "when-to-get-help", "driver",
                                 "leg-numb-falls"],
    "medial-branch-block": ["diagnostic-pain-diary", "blood-thinner", "when-to-get-help"],
    "nerve-block": ["blood-thinner", "when-to-get-help", "driver", "steroid-blood-sugar"],
    "radiofrequency-ablation": ["blood-thinner", "when-to-get-help", "driver",
                                "steroid-blood-sugar"],
    "sacroiliac-joint-injection": ["blood-thinner", "when-to-get-help", "driver",
                                   "steroid-blood-sugar", "leg-numb-falls"],
    "selective-nerve-root-block": ["blood-thinner", "when-to-get-help", "steroid-blood-sugar",
                                   "leg-numb-falls"],
    "spinal-cord-stimulator-trial": ["stimulator-trial-dressing", "blood-thinner",
                                     "when-to-get-help", "driver", "stimulator-trial-activity"],
    "stellate-ganglion-block": ["blood-thinner", "when-to-get-help", "driver",
                                "stellate-eat-drink"],
    "trigger-point-injection": ["blood-thinner", "when-to-get-help", "steroid-blood-sugar"],
}
# The procedure-specific checks (issue 13.10): a procedure that loses one fails here.
PROCEDURE_CHECKS = {
    "stellate-ganglion-block": {"stellate-eat-drink"},  # no food or drink while throat numb
    "spinal-cord-stimulator-trial": {"stimulator-trial-activity"},  # no bending, no driving on
    "lumbar-sympathetic-block": {"leg-numb-falls"},  # a numb leg -> fall risk
    "sacroiliac-joint-injection": {"leg-numb-falls"},
    "selective-nerve-root-block": {"leg-numb-falls"},
    "epidural-steroid-injection-transforaminal": {"leg-numb-falls"},
}


def test_each_procedure_shows_the_understanding_checks_pinned_for_it(content):
    shown = {p.id: [c.id for c in content.teach_back.for_procedure(p)]
             for p in content.procedures}
    assert shown == CHECKS_SHOWN


def test_no_procedure_loses_a_safety_check_that_applies_to_it(content):
    """However many checks apply, the cap never drops a safety one (the cap of 3 in file
    order used to drop steroid -> blood sugar for 7 of 8 steroid procedures)."""
    for procedure in content.procedures:
        shown = content.teach_back.for_procedure(procedure)
        for check in content.teach_back.applicable(procedure):
            if check.priority == "safety":
                assert check in shown, (procedure.id, check.id)
        assert "blood-thinner" in [c.id for c in shown]  # the point that matters most


def test_every_procedure_keeps_its_own_understanding_checks_as_safety_checks(content):
    for procedure_id, wanted in PROCEDURE_CHECKS.items():
        procedure = content.procedure(procedure_id)
        shown = {c.id: c for c in content.teach_back.for_procedure(procedure)}
        for check_id in wanted:
            assert check_id in shown, (procedure_id, check_id)
            assert shown[check_id].priority == "safety", check_id


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_right_answer_is_never_the_longest_option(content, language):
    """Checks test understanding, not recognition: the right answer is not the one that is
    longest (issue 13.10). 'I am not sure' is added by the kiosk and not counted."""
    for check in content.teach_back.checks:
        lengths = {o.id: len(o.texts[language]) for o in check.options}
        right = lengths.pop(check.correct)
        assert right < max(lengths.values()), (check.id, language, right, lengths)


def test_the_cap_drops_only_helpful_checks(tmp_path):
    root = copy_content(tmp_path)
    path = root / "teach_back.json"
    data = json.loads(path.read_text())
    data["per_procedure"] = 1
    path.write_text(json.dumps(data))
    library = load_content(root)
    checks = [c.id for c in library.teach_back.for_procedure(
        library.procedure("selective-nerve-root-block"))]
    assert checks == ["blood-thinner", "when-to-get-help", "steroid-blood-sugar", "leg-numb-falls"]


def test_an_understanding_check_without_a_priority_is_refused(tmp_path):
    root = copy_content(tmp_path)
    path = root / "teach_back.json"
    data = json.loads(path.read_text())
    del data["checks"][0]["priority"]
    path.write_text(json.dumps(data))
    with pytest.raises(ContentError, match=r"checks\[0\]\.priority"):
        load_content(root)


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
