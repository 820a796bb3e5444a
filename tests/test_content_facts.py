"""Facts every patient page must carry (issue 13.9), in English and Spanish: the text of
the pages as the kiosk loads them."""

import pytest

STEROID_SUGAR = {"en": "blood sugar", "es": "azúcar"}
NOT_SURGERY = {"en": "This is not major surgery.", "es": "No es una cirugía mayor."}
SAME_DAY = {"en": "You go home the same day.", "es": "Usted se va a casa el mismo día."}
FLARE = {"en": "Your pain may feel a little worse for a day or two.",
         "es": "El dolor puede sentirse un poco peor por uno o dos días."}
FLARE_PROCEDURES = ("stellate-ganglion-block", "lumbar-sympathetic-block",
                    "spinal-cord-stimulator-trial")


def page(content, procedure_id, language, topic):
    text = content.procedure(procedure_id).texts[language]
    index = text.page_about(topic)
    assert index is not None, (procedure_id, topic)
    return " ".join(text.pages[index].paragraphs)


def every_text(content, procedure_id, language):
    return " ".join(" ".join(p.paragraphs) for p in
                    content.procedure(procedure_id).texts[language].pages)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_procedure_says_it_is_not_major_surgery(content, language):
    for procedure in content.procedures:
        assert NOT_SURGERY[language] in page(content, procedure.id, language, "safe"), \
            procedure.id


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_steroid_procedure_warns_about_blood_sugar_after_it(content, language):
    steroid = [p.id for p in content.procedures if p.steroid != "no"]
    assert {"selective-nerve-root-block", "radiofrequency-ablation", "nerve-block"} <= \
        set(steroid)
    for procedure_id in steroid:
        assert STEROID_SUGAR[language] in page(content, procedure_id, language,
                                               "common").lower(), procedure_id


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_medial_branch_block_says_home_the_same_day(content, language):
    assert SAME_DAY[language] in page(content, "medial-branch-block", language, "after")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("procedure_id", FLARE_PROCEDURES)
def test_sympathetic_blocks_and_the_stimulator_trial_tell_of_a_short_pain_flare(
        content, language, procedure_id):
    assert FLARE[language] in page(content, procedure_id, language, "common")
