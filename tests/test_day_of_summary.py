"""The day-of-procedure summary for staff (issue 13, 'What to build'): test patients through
the session and storage, then the summary's lines — 'needs attention' or 'nothing reported'
and what the patient said, never advice or hold times."""

import re

import pytest

from kiosk.intake.day_of import TOPIC_RULES, TOPICS, day_of_summary
from kiosk.storage import Store
from tests.helpers.staff import signed_in
from tests.test_clinical_safety import patient

ATTENTION, NOTHING = "Needs attention", "Nothing reported"


def summary(content, tmp_path, procedure_id, answers=None, checks=None, language="en",
            staff_language="en"):
    """The summary lines, by topic, of a test patient's intake as stored."""
    session = patient(content, procedure_id, answers, checks, language)
    store = Store(tmp_path / "kiosk.db")
    try:
        intake = store.intake(store.submit(session.build_submission()), signed_in(store))
    finally:
        store.close()
    lines = day_of_summary(intake.response, content.procedure(procedure_id),
                           {f.rule_id for f in intake.flags}, content.strings(staff_language))
    return {line.topic: line for line in lines}


# A plain patient: none of the demo patient's answers that raise something.
CLEAR = {"blood-thinners": ("none",), "supplements": ("none",), "bleeding": [False],
         "allergies": ("none",), "devices": ("none",), "pregnancy": ("not-applicable",),
         "diabetes": [False], "sedation-planned": ("no",)}

# (procedure, answers on top of CLEAR, topic, expected status, words in the line's detail)
PROFILES = [
    ("trigger-point-injection", {}, "bleeding", NOTHING,
     ["Low tier", "Trigger point injection", "area: Lower back"]),
    ("medial-branch-block", {"procedure-area": ("neck",)}, "bleeding", NOTHING,
     ["Intermediate tier", "Medial branch block", "area: Neck"]),
    ("medial-branch-block", {"procedure-area": ("unsure",)}, "bleeding", NOTHING,
     ["Intermediate tier", "not given (highest tier of this procedure used)"]),
    ("spinal-cord-stimulator-trial", {"bleeding": [True]}, "bleeding", ATTENTION,
     ["High tier", "bleeding problem"]),
    ("epidural-steroid-injection", {"blood-thinners": ("clopidogrel",),
                                    "blood-thinner-last-dose": ("2to3d",)},
     "bleeding", ATTENTION, ["Intermediate tier"]),
    ("trigger-point-injection", {}, "thinners", NOTHING, ["No blood thinner reported."]),
    ("trigger-point-injection", {"blood-thinners": ("apixaban",),
                                 "blood-thinner-last-dose": ("today",),
                                 "blood-thinner-prescriber": ["Dr. Lee"]},
     "thinners", ATTENTION, ["Apixaban", "Last dose, as the patient gave it: Today",
                             "Prescribed by: Dr. Lee"]),
    ("trigger-point-injection", {"blood-thinners": ("nsaid",), "supplements": ("garlic",)},
     "thinners", ATTENTION, ["No blood thinner reported.", "Also reports:", "Garlic"]),
    ("trigger-point-injection", {"blood-thinners": ("unsure",)}, "thinners", ATTENTION,
     ["Not sure whether they take a blood thinner."]),
    # sedation by the procedure, though the patient tapped "No"
    ("spinal-cord-stimulator-trial", {"driver": [True], "adult-24h": [True],
                                      "last-food": ("gt8h",), "last-drink": ("gt8h",),
                                      "last-drink-kind": ("clear",)},
     "sedation", ATTENTION, ["Sedation with this procedure: usual", "is planned: No",
                             "Last food: More than 8 hours ago", "Adult to drive home: Yes"]),
    ("trigger-point-injection", {}, "sedation", NOTHING,
     ["Not planned by the procedure or the patient."]),
    ("facet-joint-injection", {"sedation-planned": ("yes",), "driver": [False],
                               "adult-24h": [True], "last-food": ("gt8h",),
                               "last-drink": ("gt8h",), "last-drink-kind": ("clear",)},
     "sedation", ATTENTION, ["Adult to drive home: No"]),
    ("facet-joint-injection", {"sedation-planned": ("yes",), "driver": [True],
                               "adult-24h": [True], "last-food": ("gt8h",),
                               "last-drink": ("gt8h",), "last-drink-kind": ("clear",)},
     "sedation", NOTHING, ["Last drink: More than 8 hours ago", "Adult for 24 hours: Yes"]),
    ("facet-joint-injection", {"sedation-planned": ("yes",), "driver": [True],
                               "adult-24h": [True], "last-food": ("gt8h",),
                               "last-drink": ("gt8h",), "last-drink-kind": ("clear",),
                               "diabetes": [True], "glp1": [True],
                               "glp1-last-dose": ("yesterday",), "glp1-stomach": [False]},
     "sedation", ATTENTION, ["GLP-1 medicine, last dose: Yesterday"]),
    ("trigger-point-injection", {}, "allergies", NOTHING, ["No allergy reported."]),
    ("epidural-steroid-injection", {"allergies": ("latex", "skin-cleaner")}, "allergies",
     ATTENTION, ["Latex", "Skin cleaner"]),
    ("radiofrequency-ablation", {"devices": ("pacemaker",)}, "devices", ATTENTION,
     ["Pacemaker", "uses radiofrequency or a stimulator lead"]),
    ("spinal-cord-stimulator-trial", {"devices": ("deep-brain-stimulator",)}, "devices",
     ATTENTION, ["Deep brain"]),
    ("trigger-point-injection", {"devices": ("pacemaker",)}, "devices", NOTHING,
     ["Pacemaker", "uses no radiofrequency or stimulation"]),
    ("epidural-steroid-injection", {"pregnancy": ("unsure",), "last-period": ("4to8w",)},
     "pregnancy", ATTENTION, ["Could be pregnant: ", "X-ray guidance: usual",
                              "last period, as the patient gave it: 4 to 8 weeks ago"]),
    ("trigger-point-injection", {"pregnancy": ("yes",), "last-period": ("lt4w",)},
     "pregnancy", ATTENTION, ["X-ray guidance: no"]),
    ("epidural-steroid-injection", {}, "pregnancy", NOTHING, ["X-ray guidance: usual"]),
    ("facet-joint-injection", {"skin-problem": [True]}, "infection", ATTENTION,
     ["skin problem where the needle goes"]),
    ("facet-joint-injection", {"fever-infection": [True], "immune": [True]}, "infection",
     ATTENTION, ["fever or infection now", "weakened immune system"]),
    ("facet-joint-injection", {}, "infection", NOTHING, ["No fever, infection"]),
    ("epidural-steroid-injection", {"diabetes": [True], "blood-sugar-today": ("181to250",),
                                    "diabetes-medicines": ("insulin",)},
     "diabetes", ATTENTION, ["Steroid in this procedure: usual",
                             "This morning's blood sugar, as the patient gave it: 181"]),
    ("medial-branch-block", {"diabetes": [True], "blood-sugar-today": ("70to180",),
                             "diabetes-medicines": ("metformin",)},
     "diabetes", NOTHING, ["Steroid in this procedure: no"]),
    ("medial-branch-block", {}, "diabetes", NOTHING, ["No diabetes reported."]),
]


@pytest.mark.parametrize("procedure_id, answers, topic, status, words", PROFILES,
                         ids=[f"{p[0]}-{p[2]}-{i}" for i, p in enumerate(PROFILES)])
def test_a_patient_profile_gives_its_summary_line(content, tmp_path, procedure_id, answers,
                                                  topic, status, words):
    line = summary(content, tmp_path, procedure_id, {**CLEAR, **answers})[topic]
    assert line.status == status, line
    for word in words:
        assert word in line.detail, (word, line.detail)


def test_every_topic_has_a_line_in_order_and_a_plain_patient_needs_no_attention(
        content, tmp_path):
    lines = summary(content, tmp_path, "trigger-point-injection", CLEAR)
    assert list(lines) == list(TOPICS)
    assert {line.topic for line in lines.values() if line.attention} == set()
    assert [line.label for line in lines.values()] == [
        "Bleeding risk", "Blood thinners", "Sedation", "Allergies for this procedure",
        "Implanted device with radiofrequency or stimulation", "Pregnancy and X-ray",
        "Infection", "Diabetes and steroid"]


def test_every_rule_the_summary_names_exists(content):
    rules = {rule.id for rule in content.flag_rules}
    named = {rule for ids in TOPIC_RULES.values() for rule in ids}
    assert sorted(named - rules) == []


def test_the_summary_never_gives_advice_or_hold_times(content, tmp_path):
    lines = summary(content, tmp_path, "spinal-cord-stimulator-trial",
                    {"blood-thinners": ("warfarin",), "blood-thinner-last-dose": ("2to3d",),
                     "diabetes": [True], "glp1": [True], "glp1-last-dose": ("today",),
                     "glp1-stomach": [True], "devices": ("pacemaker",)})
    text = " ".join(line.detail for line in lines.values()).lower()
    for advice in ("stop", "hold", "should", "must", "days before", "continue", "resume"):
        assert not re.search(rf"\b{advice}\b", text), advice


def test_a_spanish_speaking_patients_summary_reads_for_english_staff_and_in_spanish(
        content, tmp_path):
    answers = {**CLEAR, "blood-thinners": ("clopidogrel",),
               "blood-thinner-last-dose": ("yesterday",)}
    english = summary(content, tmp_path / "en", "epidural-steroid-injection", answers,
                      language="es")
    assert english["thinners"].status == ATTENTION
    assert english["thinners"].detail.startswith("Takes: ")
    spanish = summary(content, tmp_path / "es", "epidural-steroid-injection", answers,
                      language="es", staff_language="es")
    assert spanish["thinners"].status == "Requiere atención"
    assert spanish["thinners"].label == "Medicinas que hacen la sangre más líquida"
    assert spanish["infection"].status == "Nada reportado"
