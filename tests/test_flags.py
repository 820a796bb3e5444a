"""Flags for staff, from the packaged rules, over combinations of answers and procedures."""

import pytest

from kiosk.intake.flags import evaluate, procedure_context
from kiosk.questionnaire import AnswerSheet


def coded(content, link_id, *codes):
    item = content.questionnaire.item(link_id)
    return [item.option_for_code(c).value for c in codes]


def flags_for(content, procedure_id, answers):
    sheet = AnswerSheet(content.questionnaire)
    for link_id, values in answers.items():
        sheet.set(link_id, values)
    answers = sheet.effective()
    metadata = procedure_context(content.procedure(procedure_id), answers)
    return {f.rule_id for f in evaluate(content.flag_rules, answers, metadata)}


CASES = [
    ("nothing of note", "nerve-block",
     {"blood-thinners": ("none",), "bleeding": False, "diabetes": True,
      "devices": ("pacemaker",)}, {"device", "diabetes-steroid"}, {"device-radiofrequency"}),
    ("anticoagulant, low tier", "nerve-block",
     {"procedure-area": ("leg",), "blood-thinners": ("apixaban",)},
     {"anticoagulant"}, {"anticoagulant-high-tier"}),
    ("antiplatelet, intermediate tier", "epidural-steroid-injection",
     {"blood-thinners": ("clopidogrel", "aspirin")}, {"anticoagulant", "anticoagulant-high-tier"},
     set()),
    ("nsaid alone is not a blood thinner flag", "epidural-steroid-injection",
     {"blood-thinners": ("nsaid",)}, {"nsaid"}, {"anticoagulant"}),
    ("not sure about blood thinners", "nerve-block", {"blood-thinners": ("unsure",)},
     {"anticoagulant-unsure"}, {"anticoagulant"}),
    ("contrast and latex", "epidural-steroid-injection", {"allergies": ("contrast", "latex")},
     {"allergy-contrast", "allergy-latex"}, {"allergy-steroid"}),
    ("anaesthetic and steroid", "nerve-block", {"allergies": ("local-anesthetic", "steroid")},
     {"allergy-local-anesthetic", "allergy-steroid"}, set()),
    ("infection and antibiotics", "nerve-block", {"fever-infection": True, "antibiotics": True},
     {"infection", "recent-antibiotics"}, set()),
    ("possible pregnancy", "nerve-block", {"pregnancy": ("unsure",)}, {"pregnancy"}, set()),
    ("not pregnant", "nerve-block", {"pregnancy": ("no",)}, set(), {"pregnancy"}),
    ("device with RFA", "radiofrequency-ablation", {"devices": ("spinal-cord-stimulator",)},
     {"device-radiofrequency"}, {"device"}),
    ("diabetes with steroid injection", "epidural-steroid-injection", {"diabetes": True},
     {"diabetes-steroid"}, set()),
    ("sedation, no driver, recent food", "radiofrequency-ablation",
     {"sedation-planned": ("yes",), "driver": False, "last-food": ("2to6h",),
      "last-drink": ("gt8h",)}, {"sedation-no-driver", "sedation-food"}, {"sedation-drink"}),
    ("no sedation: stale follow-up answers do not flag", "radiofrequency-ablation",
     {"sedation-planned": ("no",), "driver": False, "last-food": ("lt2h",)}, set(),
     {"sedation-no-driver", "sedation-food"}),
    ("bleeding problem", "nerve-block", {"bleeding": True}, {"bleeding-disorder"}, set()),
    ("supplements that affect bleeding", "nerve-block",
     {"blood-thinners": ("none",), "supplements": ("fish-oil", "ginkgo")}, {"supplements"},
     {"anticoagulant"}),
    ("blood thinner, neck medial branch block: intermediate tier", "medial-branch-block",
     {"procedure-area": ("neck",), "blood-thinners": ("apixaban",)},
     {"anticoagulant", "anticoagulant-high-tier"}, set()),
    ("blood thinner, low-back medial branch block: low tier", "medial-branch-block",
     {"procedure-area": ("low-back",), "blood-thinners": ("apixaban",)},
     {"anticoagulant"}, {"anticoagulant-high-tier"}),
    ("blood thinner, area unsure: the higher tier", "radiofrequency-ablation",
     {"procedure-area": ("unsure",), "blood-thinners": ("clopidogrel",)},
     {"anticoagulant", "anticoagulant-high-tier"}, set()),
    ("blood thinner, spinal cord stimulator trial", "spinal-cord-stimulator-trial",
     {"procedure-area": ("low-back",), "blood-thinners": ("aspirin",)},
     {"anticoagulant", "anticoagulant-high-tier"}, set()),
    ("blood thinner, trigger point: low tier", "trigger-point-injection",
     {"blood-thinners": ("warfarin",)}, {"anticoagulant"}, {"anticoagulant-high-tier"}),
    ("serious dye reaction before a procedure with contrast", "facet-joint-injection",
     {"allergies": ("contrast",), "contrast-reaction-what": ("breathing", "hives")},
     {"allergy-contrast", "contrast-reaction-severe"}, set()),
    ("serious dye reaction, procedure without contrast", "trigger-point-injection",
     {"allergies": ("contrast",), "contrast-reaction-what": ("swelling",)},
     {"allergy-contrast"}, {"contrast-reaction-severe"}),
    ("mild dye reaction", "epidural-steroid-injection",
     {"allergies": ("contrast",), "contrast-reaction-what": ("hives",)},
     {"allergy-contrast"}, {"contrast-reaction-severe"}),
    ("recent illness", "nerve-block", {"recent-illness": True}, {"recent-illness"}, set()),
    ("glaucoma with a steroid", "sacroiliac-joint-injection", {"glaucoma": True},
     {"glaucoma-steroid"}, set()),
    ("glaucoma without a steroid", "lumbar-sympathetic-block", {"glaucoma": True},
     set(), {"glaucoma-steroid"}),
    ("GLP-1 shot with sedation", "epidural-steroid-injection",
     {"diabetes": True, "glp1": True, "sedation-planned": ("unsure",)}, {"glp1-sedation"}, set()),
    ("GLP-1 shot without sedation", "epidural-steroid-injection",
     {"diabetes": True, "glp1": True, "sedation-planned": ("no",)}, set(), {"glp1-sedation"}),
]


@pytest.mark.parametrize(("name", "procedure", "answers", "present", "absent"), CASES,
                         ids=[c[0] for c in CASES])
def test_flag_combinations(content, name, procedure, answers, present, absent):
    values = {
        link_id: coded(content, link_id, *v) if isinstance(v, tuple) else [v]
        for link_id, v in answers.items()
    }
    raised = flags_for(content, procedure, values)
    assert present <= raised
    assert not (absent & raised)


def test_flag_text_names_what_the_patient_said(content):
    sheet = AnswerSheet(content.questionnaire)
    sheet.set("blood-thinners", coded(content, "blood-thinners", "warfarin", "other"))
    sheet.set("blood-thinners-other", ["Fish oil"])
    flags = evaluate(content.flag_rules, sheet.effective(),
                     content.procedure("nerve-block").metadata())
    text = next(f.text for f in flags if f.rule_id == "anticoagulant")
    assert "Warfarin" in text and "Fish oil" in text
