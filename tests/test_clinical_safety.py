"""Issue 13: test patients run through the intake session; the flags staff get, the
questions the patient is shown and the bleeding tier of every procedure at every area."""

import datetime as dt

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.draft import encode, restore
from kiosk.intake.flags import procedure_context
from kiosk.intake.session import IntakeSession

TODAY = dt.datetime(2026, 12, 3, 9, 0).astimezone()


def code(session, link_id, value):
    option = session.content.questionnaire_for(session.language).item(link_id) \
        .option_for_code(value)
    assert option is not None, (link_id, value)
    return option.value


def patient(content, procedure_id, answers=None, checks=None, language="en"):
    """A complete intake for ``procedure_id``: the demo patient's answers, then
    ``answers`` (linkId -> codes tuple or plain values list) and first answers to the
    understanding checks (``checks``: check id -> option; the others answered right)."""
    session = IntakeSession(content, language, now=lambda: TODAY)
    fill_demo_session(session)
    session.choose_procedure(procedure_id)
    for check in session.checks():
        session.answer_check(check.id, (checks or {}).get(check.id, check.correct))
    for link_id, values in (answers or {}).items():
        session.answer(link_id, [code(session, link_id, v) for v in values]
                       if isinstance(values, tuple) else values)
    session.confirm(True)
    return session


def flags(session):
    return {f.rule_id: f for f in session.build_submission().flags}


def shown(session, link_id):
    """The question is on a page the patient sees now."""
    return any(item.link_id == link_id and session.answers.is_enabled(link_id)
               for page in session.question_pages() for item in page.walk())


# -- 13.2 sedation from the procedure's own facts ---------------------------------------------
def test_stimulator_trial_patient_who_taps_no_sedation_is_still_asked_fasting_and_driver(
        content):
    session = patient(content, "spinal-cord-stimulator-trial",
                      {"sedation-planned": ("no",), "driver": [False],
                       "last-food": ("lt2h",), "last-drink": ("gt8h",)})
    for link_id in ("last-food", "last-drink", "driver"):
        assert shown(session, link_id), link_id
    raised = flags(session)
    assert raised["sedation-usual-declined"].severity == "medium"
    assert "usually uses sedation" in raised["sedation-usual-declined"].text
    assert raised["sedation-no-driver"].severity == "high"
    assert raised["sedation-food"].severity == "high"
    assert "sedation-drink" not in raised


def test_stimulator_trial_without_answers_to_fasting_cannot_be_submitted(content):
    session = patient(content, "spinal-cord-stimulator-trial", {"sedation-planned": ("no",)})
    session.answer("last-food", [])
    with pytest.raises(ValueError, match="incomplete"):
        session.build_submission()


def test_glp1_before_a_stimulator_trial_flags_even_when_the_patient_says_no_sedation(content):
    session = patient(content, "spinal-cord-stimulator-trial",
                      {"sedation-planned": ("no",), "glp1": [True],
                       "glp1-last-dose": ("yesterday",), "glp1-stomach": [False]})
    assert flags(session)["glp1-sedation"].severity == "high"


def test_procedure_that_only_sometimes_uses_sedation_follows_the_patients_no(content):
    session = patient(content, "facet-joint-injection",
                      {"sedation-planned": ("no",), "glp1": [True],
                       "glp1-last-dose": ("yesterday",), "glp1-stomach": [False]})
    assert not shown(session, "last-food") and not shown(session, "driver")
    raised = flags(session)
    assert not {"sedation-usual-declined", "glp1-sedation", "sedation-food"} & set(raised)


def test_sedation_fact_follows_a_change_of_procedure_and_a_draft_read_back(content):
    session = patient(content, "spinal-cord-stimulator-trial", {"sedation-planned": ("no",)})
    assert shown(session, "driver")
    session.choose_procedure("trigger-point-injection")
    assert not shown(session, "driver")
    session.choose_procedure("spinal-cord-stimulator-trial")
    data = encode(session)

    def without_fact(items):  # a draft written before the kiosk kept the fact
        return [{**i, "item": without_fact(i.get("item", []))}
                for i in items if i["linkId"] != "procedure-sedation"]

    data["response"]["item"] = without_fact(data["response"]["item"])
    assert "procedure-sedation" not in str(data["response"])
    back = restore(data, content, now=lambda: TODAY)
    assert shown(back, "driver")


# -- 13.3 when the blood thinner was last taken, who prescribes it, a wrong check answer ----
def test_blood_thinner_last_dose_and_prescriber_are_asked_and_reach_the_flag(content):
    session = patient(content, "epidural-steroid-injection",
                      {"blood-thinners": ("clopidogrel",), "blood-thinner-last-dose": ("today",),
                       "blood-thinner-prescriber": ["Dr. Ortiz"]})
    assert shown(session, "blood-thinner-last-dose")
    assert shown(session, "blood-thinner-prescriber")
    text = flags(session)["anticoagulant"].text
    assert "Clopidogrel" in text and "Last dose, as the patient gave it: Today" in text
    assert "Prescribed by: Dr. Ortiz" in text


def test_last_dose_is_required_and_not_asked_without_a_blood_thinner(content):
    session = patient(content, "nerve-block", {"blood-thinners": ("warfarin",)})
    session.answer("blood-thinner-last-dose", [])
    with pytest.raises(ValueError, match="incomplete"):
        session.build_submission()
    none = patient(content, "nerve-block", {"blood-thinners": ("nsaid",)})
    assert not shown(none, "blood-thinner-last-dose")
    assert "anticoagulant" not in flags(none)


def test_last_dose_question_in_spanish(content):
    session = patient(content, "nerve-block", {"blood-thinners": ("apixaban",)}, language="es")
    item = session.questionnaire.item("blood-thinner-last-dose")
    assert item.text.startswith("¿Cuándo tomó por última vez")
    assert [o.display for o in item.options][:2] == ["Hoy", "Ayer"]
    assert "Last dose, as the patient gave it: Yesterday" in flags(session)["anticoagulant"].text


def test_blood_thinner_patient_who_would_stop_it_alone_raises_a_high_flag(content):
    session = patient(content, "trigger-point-injection", {"blood-thinners": ("apixaban",)},
                      checks={"blood-thinner": "yes"})
    raised = flags(session)
    assert raised["blood-thinner-self-stop"].severity == "high"
    assert "Apixaban" in raised["blood-thinner-self-stop"].text
    assert raised["understanding"].severity == "low"  # the missed check is still listed


def test_wrong_blood_thinner_check_without_a_blood_thinner_is_only_the_missed_check(content):
    session = patient(content, "trigger-point-injection", {"blood-thinners": ("none",)},
                      checks={"blood-thinner": "yes"})
    raised = flags(session)
    assert "blood-thinner-self-stop" not in raised and "understanding" in raised


def test_unsure_blood_thinner_check_on_a_blood_thinner_is_medium(content):
    session = patient(content, "trigger-point-injection", {"blood-thinners": ("warfarin",)},
                      checks={"blood-thinner": "unsure"})
    assert flags(session)["blood-thinner-check-unsure"].severity == "medium"


# -- 13.4 every procedure at every area: its ASRA 2018 tier -----------------------------------
AREAS = ("head-face", "neck", "mid-back", "low-back", "buttock-hip", "arm", "leg", "chest",
         "other", "unsure")
INT, L, H = "intermediate", "low", "high"
TIERS = {  # Narouze et al. 2018, Table 1 (risk of the procedure), per area
    "epidural-steroid-injection": dict.fromkeys(AREAS, INT),
    "epidural-steroid-injection-transforaminal": dict.fromkeys(AREAS, INT),
    "selective-nerve-root-block": dict.fromkeys(AREAS, INT),
    "medial-branch-block": {**dict.fromkeys(AREAS, L), "neck": INT, "unsure": INT},
    "radiofrequency-ablation": {**dict.fromkeys(AREAS, L), "neck": INT, "unsure": INT},
    "facet-joint-injection": {**dict.fromkeys(AREAS, L), "neck": INT, "unsure": INT},
    "sacroiliac-joint-injection": dict.fromkeys(AREAS, L),
    "stellate-ganglion-block": dict.fromkeys(AREAS, INT),
    "lumbar-sympathetic-block": dict.fromkeys(AREAS, INT),
    "trigger-point-injection": dict.fromkeys(AREAS, L),
    "spinal-cord-stimulator-trial": dict.fromkeys(AREAS, H),
    "nerve-block": {**dict.fromkeys(AREAS, L), "head-face": INT, "chest": INT, "mid-back": INT,
                    "unsure": INT},
}


@pytest.mark.parametrize("procedure_id", list(TIERS))
@pytest.mark.parametrize("area", AREAS)
def test_every_procedure_at_every_area_has_its_asra_tier(content, procedure_id, area):
    session = IntakeSession(content)
    session.choose_procedure(procedure_id)
    session.answer("procedure-area", [code(session, "procedure-area", area)])
    procedure = content.procedure(procedure_id)
    tier = procedure_context(procedure, session.answers.effective())["bleeding_tier"]
    assert tier == TIERS[procedure_id][area]


def test_every_procedure_and_area_is_in_the_tier_table(content):
    assert set(TIERS) == {p.id for p in content.procedures}
    area = content.questionnaire.item("procedure-area")
    assert {o.value.code for o in area.options} == set(AREAS)
    assert content.questionnaire_for("es").item("procedure-area") \
        .option_for_code("head-face").display == "Cabeza o cara"


def test_blood_thinner_before_a_cervical_facet_or_a_face_nerve_block_is_higher_tier(content):
    for procedure_id, area in (("facet-joint-injection", "neck"), ("nerve-block", "head-face")):
        session = patient(content, procedure_id, {"procedure-area": (area,)})
        raised = flags(session)
        assert "intermediate" in raised["anticoagulant-high-tier"].text, procedure_id
    low = patient(content, "facet-joint-injection", {"procedure-area": ("low-back",)})
    assert "anticoagulant-high-tier" not in flags(low)


# -- 13.5 flags that weighed too little -------------------------------------------------------
def test_nsaid_and_supplements_weigh_more_before_the_stimulator_trial(content):
    answers = {"blood-thinners": ("nsaid",), "supplements": ("fish-oil", "garlic")}
    trial = flags(patient(content, "spinal-cord-stimulator-trial", answers))
    assert trial["nsaid-high-tier"].severity == "medium"
    assert trial["supplements-high-tier"].severity == "medium"
    assert "Fish oil" in trial["supplements-high-tier"].text
    assert not {"nsaid", "supplements"} & set(trial)
    joint = flags(patient(content, "sacroiliac-joint-injection", answers))
    assert joint["nsaid"].severity == joint["supplements"].severity == "low"
    assert not {"nsaid-high-tier", "supplements-high-tier"} & set(joint)


@pytest.mark.parametrize("device", ["pacemaker", "defibrillator", "drg-stimulator",
                                    "deep-brain-stimulator"])
def test_implanted_device_with_a_stimulator_trial_is_high(content, device):
    raised = flags(patient(content, "spinal-cord-stimulator-trial", {"devices": (device,)}))
    assert raised["device-stimulation"].severity == "high"
    assert "device" not in raised


@pytest.mark.parametrize("device", ["drg-stimulator", "deep-brain-stimulator"])
def test_new_stimulator_options_flag_with_radiofrequency_and_read_in_spanish(content, device):
    raised = flags(patient(content, "radiofrequency-ablation", {"devices": (device,)}))
    assert raised["device-radiofrequency"].severity == "high"
    spanish = content.questionnaire_for("es").item("devices").option_for_code(device).display
    assert spanish.startswith("Estimulador")
    assert flags(patient(content, "trigger-point-injection",
                         {"devices": (device,)}))["device"].severity == "low"


# -- 13.6 after-care red flags on the procedure pages -----------------------------------------
def after_care(content, procedure_id, language):
    text = content.procedure(procedure_id).text(language)
    return text.pages[text.page_about("after")].paragraphs


def sentence_with(paragraphs, *words):
    """The paragraph that holds every one of ``words`` (case-insensitive), or ''."""
    return next((p for p in paragraphs if all(w.lower() in p.lower() for w in words)), "")


STROKE_WORDS = {"en": ("911", "face", "speaking", "seeing", "confused", "stroke"),
                "es": ("911", "cara", "hablar", "ver", "confundid", "derrame cerebral")}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("procedure_id", ["epidural-steroid-injection-transforaminal",
                                          "selective-nerve-root-block"])
def test_stroke_signs_after_a_transforaminal_shot_send_the_patient_to_911(
        content, procedure_id, language):
    paragraphs = after_care(content, procedure_id, language)
    assert sentence_with(paragraphs, *STROKE_WORDS[language]), (procedure_id, language)
    text = content.procedure(procedure_id).text(language)  # the risk the signs answer
    assert {"en": "brain", "es": "cerebro"}[language] in " ".join(
        text.pages[text.page_about("rare")].paragraphs)


NINE_ONE_ONE = {  # procedure -> what calls for 911 (en, es), and "do not drive"
    "stellate-ganglion-block": (("breathing", "neck that grows"), ("respirar", "cuello")),
    "trigger-point-injection": (("chest pain", "breathing"), ("dolor de pecho", "respirar")),
    "medial-branch-block": (("breathing",), ("respirar",)),
    "nerve-block": (("breathing",), ("respirar",)),
}


@pytest.mark.parametrize("procedure_id", list(NINE_ONE_ONE))
def test_signs_that_need_an_ambulance_say_call_911_and_do_not_drive(content, procedure_id):
    for language, words, drive in zip(("en", "es"), NINE_ONE_ONE[procedure_id],
                                      ("Do not drive", "No maneje"), strict=True):
        paragraph = sentence_with(after_care(content, procedure_id, language), "911", *words)
        assert paragraph and drive in paragraph, (procedure_id, language)


SPINE_WORDS = {"en": (("bladder", "bowels"), ("fever", "back")),
               "es": (("orina", "intestino"), ("fiebre", "espalda"))}


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_spine_page_names_bladder_bowel_trouble_and_fever_with_back_pain(
        content, language):
    spinal = [p for p in content.procedures if p.spinal]
    assert len(spinal) == 7
    for procedure in spinal:
        paragraphs = after_care(content, procedure.id, language)
        for words in SPINE_WORDS[language]:
            paragraph = sentence_with(paragraphs, *words)
            assert paragraph, (procedure.id, language, words)
            assert ("emergency room" if language == "en" else "urgencias") in paragraph


@pytest.mark.parametrize("procedure_id", ["epidural-steroid-injection",
                                          "spinal-cord-stimulator-trial"])
def test_an_upright_headache_after_an_epidural_calls_the_clinic_er_with_fever_or_stiff_neck(
        content, procedure_id):
    for language, words in (
            ("en", ("Call the clinic", "headache", "sit or stand", "lie down",
                    "emergency room", "fever", "stiff neck", "confusion")),
            ("es", ("Llame a la clínica", "dolor de cabeza", "sentarse", "acostarse",
                    "urgencias", "fiebre", "cuello rígido", "confusión"))):
        paragraphs = after_care(content, procedure_id, language)
        headache = sentence_with(paragraphs, words[1])
        assert sentence_with([headache], *words), (procedure_id, language)
        # the clinic comes first: the ER only with fever, a stiff neck or confusion
        assert headache.index(words[0]) < headache.index(words[4])


# -- 13.8 pregnancy follows the procedure's fluoroscopy fact ----------------------------------
def test_possible_pregnancy_is_high_with_x_ray_and_says_none_for_a_trigger_point(content):
    epidural = flags(patient(content, "epidural-steroid-injection",
                             {"pregnancy": ("unsure",), "last-period": ("lt4w",)}))
    assert epidural["pregnancy"].severity == "high"
    assert "fluoroscopy) for this procedure: usual" in epidural["pregnancy"].text
    trigger = flags(patient(content, "trigger-point-injection",
                            {"pregnancy": ("yes",), "last-period": ("gt8w",)}))
    assert "pregnancy" not in trigger
    assert trigger["pregnancy-no-xray"].severity == "medium"
    assert "uses no X-ray" in trigger["pregnancy-no-xray"].text


@pytest.mark.parametrize("language", ["en", "es"])
def test_only_a_patient_who_may_be_pregnant_is_asked_for_the_last_period(content, language):
    for answer, asked in (("yes", True), ("unsure", True), ("no", False),
                          ("not-applicable", False)):
        session = patient(content, "epidural-steroid-injection", {"pregnancy": (answer,)},
                          language=language)
        assert shown(session, "last-period") == asked, answer
    question = content.questionnaire_for(language).item("last-period")
    assert question.text == {"en": "When did your last period start?",
                             "es": "¿Cuándo empezó su última regla?"}[language]
    session = patient(content, "epidural-steroid-injection", {"pregnancy": ("unsure",)})
    with pytest.raises(ValueError, match="incomplete"):  # required once asked
        session.build_submission()


@pytest.mark.parametrize("procedure_id, period, rule, severity", [
    ("epidural-steroid-injection", "gt8w", "last-period-late", "high"),
    ("epidural-steroid-injection", "dont-remember", "last-period-late", "high"),
    ("epidural-steroid-injection", "lt4w", "last-period", "medium"),
    ("trigger-point-injection", "gt8w", "last-period", "medium"),  # no X-ray
])
def test_the_last_period_is_a_staff_flag_with_the_answer_as_given(content, procedure_id,
                                                                  period, rule, severity):
    raised = flags(patient(content, procedure_id,
                           {"pregnancy": ("unsure",), "last-period": (period,)}))
    assert raised[rule].severity == severity
    other = {"last-period", "last-period-late"} - {rule}
    assert not other & set(raised)
    assert "First day of the last period, as the patient gave it: " in raised[rule].text
    assert "weeks ago" in raised[rule].text or "do not remember" in raised[rule].text


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_procedure_with_x_ray_says_why_pregnancy_matters(content, language):
    words = {"en": ("pregnant", "X-ray"), "es": ("embarazada", "rayos X")}[language]
    for procedure in content.procedures:
        text = procedure.text(language)
        ready = text.pages[text.page_about("ready")].paragraphs
        says = bool(sentence_with(ready, *words))
        assert says == (procedure.fluoroscopy != "no"), (procedure.id, language)


# -- 13.7 screening items that were missing: each asked, each a flag for staff ---------------
SCREENING = [  # (procedure, answers, flag, severity, words in the flag text)
    ("nerve-block", {"skin-problem": [True]}, "skin-problem", "high", "where the needle"),
    ("nerve-block", {"immune": [True]}, "immune", "medium", "infection"),
    ("epidural-steroid-injection", {"kidney-liver": [True]}, "kidney-liver", "medium",
     "contrast in this procedure: usual"),
    ("nerve-block", {"heart-failure": [True]}, "heart-failure", "medium", "heart failure"),
    ("epidural-steroid-injection", {"diabetes-medicines": ("insulin", "metformin")},
     "diabetes-medicines", "low", "Insulin, Metformin"),
    ("epidural-steroid-injection", {"blood-sugar-today": ("gt250",)}, "blood-sugar-today",
     "medium", "Above 250"),
    ("facet-joint-injection", {"recent-steroid-shot": [True]}, "recent-steroid-shot", "medium",
     "last 3 months"),
    ("medial-branch-block", {"site-surgery": [True]}, "site-surgery", "medium", "metal"),
    ("nerve-block", {"blood-thinners": ("acenocoumarol",)}, "anticoagulant", "high",
     "Acenocoumarol (Sintrom)"),
    ("nerve-block", {"blood-thinners": ("cilostazol", "fondaparinux")}, "anticoagulant", "high",
     "Cilostazol"),
    ("nerve-block", {"supplements": ("danshen", "other"),
                     "supplements-other": ["Saw palmetto"]}, "supplements", "low",
     "Danshen, Saw palmetto"),
    ("nerve-block", {"allergies": ("skin-cleaner",)}, "allergy-skin-cleaner", "high",
     "not an X-ray dye allergy"),
    ("spinal-cord-stimulator-trial", {"allergies": ("antibiotic",)},
     "allergy-antibiotic-stimulation", "high", "stimulator lead"),
    ("nerve-block", {"allergies": ("antibiotic",)}, "allergy-antibiotic", "medium", "antibiotic"),
    ("nerve-block", {"allergies": ("tape",)}, "allergy-tape", "medium", "tape"),
    ("epidural-steroid-injection", {"glp1": [True], "glp1-last-dose": ("today",),
                                    "glp1-stomach": [True]}, "glp1-stomach", "high",
     "last dose: Today"),
    ("epidural-steroid-injection", {"adult-24h": [False]}, "sedation-no-adult", "high",
     "rest of the day"),
    ("epidural-steroid-injection", {"sleep-apnea": [True]}, "sleep-apnea", "medium", "CPAP"),
    ("epidural-steroid-injection", {"sedation-problems": [True]}, "sedation-problems", "medium",
     "anesthesia"),
    ("epidural-steroid-injection", {"sedating-medicines": [True]}, "sedating-medicines",
     "medium", "opioid"),
    ("epidural-steroid-injection", {"last-drink": ("2to6h",), "last-drink-kind": ("other",)},
     "sedation-drink-not-clear", "high", "not a clear drink"),
]


@pytest.mark.parametrize(("procedure_id", "answers", "rule_id", "severity", "words"),
                         SCREENING, ids=[f"{c[2]}-{c[0]}" for c in SCREENING])
def test_screening_answer_raises_its_flag(content, procedure_id, answers, rule_id, severity,
                                         words):
    session = patient(content, procedure_id, answers)
    for link_id in answers:
        assert shown(session, link_id), link_id
    raised = flags(session)
    assert raised[rule_id].severity == severity
    assert words.lower() in raised[rule_id].text.lower()


def test_the_demo_patient_raises_none_of_the_new_screening_flags(content):
    new = {rule_id for _, _, rule_id, _, _ in SCREENING} - {"anticoagulant", "supplements",
                                                         "diabetes-medicines"}  # metformin
    assert not new & set(flags(patient(content, "epidural-steroid-injection")))


def test_a_milky_coffee_three_hours_ago_is_flagged_a_clear_drink_is_not(content):
    milky = patient(content, "epidural-steroid-injection",
                    {"last-drink": ("2to6h",), "last-drink-kind": ("other",)})
    clear = patient(content, "epidural-steroid-injection",
                    {"last-drink": ("2to6h",), "last-drink-kind": ("clear",)})
    assert "sedation-drink-not-clear" in flags(milky)
    assert not {"sedation-drink", "sedation-drink-not-clear"} & set(flags(clear))


def test_diabetes_follow_ups_only_with_diabetes_and_the_sugar_reaches_the_steroid_flag(content):
    no = patient(content, "epidural-steroid-injection", {"diabetes": [False]})
    assert not shown(no, "blood-sugar-today") and not shown(no, "diabetes-medicines")
    yes = patient(content, "epidural-steroid-injection", {"blood-sugar-today": ("181to250",)})
    assert "this morning's blood sugar, as the patient gave it: 181 to 250" in \
        flags(yes)["diabetes-steroid"].text.lower()


@pytest.mark.parametrize("link_id", ["skin-problem", "immune", "kidney-liver", "heart-failure",
                                     "diabetes-medicines", "blood-sugar-today",
                                     "recent-steroid-shot", "site-surgery", "last-drink-kind",
                                     "adult-24h", "sleep-apnea", "sedation-problems",
                                     "sedating-medicines", "glp1-last-dose", "glp1-stomach",
                                     "supplements-other"])
def test_every_new_question_reads_in_spanish(content, link_id):
    english = content.questionnaire.item(link_id)
    spanish = content.questionnaire_for("es").item(link_id)
    assert spanish.text and spanish.text != english.text
    assert all(s.display != e.display or e.display in ("Danshen", "Dong quai")
               for s, e in zip(spanish.options, english.options, strict=True))
