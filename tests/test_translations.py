"""Every language is complete: UI strings, procedure texts, questionnaire texts and options."""

import json
from importlib import resources

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.records import Step, StepKind
from kiosk.intake.session import IntakeSession

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"


def languages(content):
    return [code for code in content.catalogues if code != "en"]


def test_there_is_more_than_english(content):
    assert "es" in content.catalogues


def test_every_ui_string_is_translated(content):
    english = set(content.strings("en").strings)
    for code in languages(content):
        catalogue = content.strings(code).strings
        assert sorted(english - set(catalogue)) == [], code
        assert sorted(set(catalogue) - english) == [], code


def test_every_procedure_page_is_translated(content):
    for procedure in content.procedures:
        english = procedure.texts["en"]
        for code in languages(content):
            assert code in procedure.texts, (procedure.id, code)
            other = procedure.texts[code]
            assert len(other.pages) == len(english.pages), (procedure.id, code)
            for page_en, page in zip(english.pages, other.pages, strict=True):
                assert len(page.paragraphs) == len(page_en.paragraphs), (procedure.id, page.heading)
                assert page.heading != page_en.heading


def _translations(element):
    found = {}
    for extension in (element or {}).get("extension", []):
        if extension.get("url") == TRANSLATION:
            parts = {e["url"]: e for e in extension["extension"]}
            found[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return found


def test_every_understanding_check_is_translated(content):
    missing = []
    for check in content.teach_back.checks:
        for code in languages(content):
            texts = [check.questions, check.explanations, *(o.texts for o in check.options)]
            missing += [(check.id, code) for t in texts if not t.get(code, "").strip()]
            for procedure in content.procedures:  # the page a miss points to exists there
                if check in content.teach_back.for_procedure(procedure):
                    page = procedure.text(code).pages[procedure.text(code).page_about(
                        check.topic)]
                    shown = check.relevant(page.paragraphs, code)
                    # and the words pick out part of it: the paragraphs that give the answer
                    assert len(shown) < len(page.paragraphs), (check.id, procedure.id, code)
    assert missing == []


def test_every_question_and_option_is_translated(content):
    raw = json.loads(resources.files("kiosk.content").joinpath(
        "questionnaires/preprocedure.json").read_text(encoding="utf-8"))
    missing = []

    def walk(items):
        for item in items:
            for code in languages(content):
                if item.get("text") and code not in _translations(item.get("_text")):
                    missing.append((item["linkId"], code))
                for option in item.get("answerOption", []):
                    coding = option.get("valueCoding", {})
                    if code not in _translations(coding.get("_display")):
                        missing.append((item["linkId"], coding.get("code"), code))
            walk(item.get("item", []))

    walk(raw["item"])
    assert missing == []


def test_switching_language_keeps_every_answer(content):
    session = IntakeSession(content, "en")
    fill_demo_session(session)
    before = {k: v for k, v in session.answers.effective().items()}
    session.current = Step(StepKind.REVIEW)
    session.set_language("es")
    assert session.answers.effective() == before  # Codings compare by code
    rows = {r.link_id: r.value for r in session.review_rows()}
    assert rows["blood-thinners"] == "Apixabán (Eliquis)"
    assert rows["bleeding"] == "No"
    birth = next(r.value for r in session.review_rows() if r.link_id == "" and "1961" in r.value)
    assert birth == "12 de abril de 1961"
    assert session.questionnaire.item("diabetes").text == "¿Tiene diabetes?"
    session.confirm(True)
    submission = session.build_submission()
    assert submission.language == "es"
    top = {n["linkId"]: n for n in submission.response["item"]}
    # staff read the stored response in English
    assert top["diabetes"]["text"] == "Do you have diabetes?"
    assert top["blood-thinners"]["answer"][0]["valueCoding"]["display"] == "Apixaban (Eliquis)"
    assert {f.rule_id for f in submission.flags} >= {"anticoagulant", "diabetes-steroid"}


def test_spanish_explanations_read_easily(content):
    """Fernández Huerta reading ease (textstat, offline): 70 and up reads "fairly easy"."""
    import textstat

    textstat.set_lang("es")
    try:
        scores = {f"{p.id}: {page.heading}": textstat.fernandez_huerta(" ".join(page.paragraphs))
                  for p in content.procedures for page in p.text("es").pages}
    finally:
        textstat.set_lang("en")
    assert {k: v for k, v in scores.items() if v < 70} == {}


def test_a_language_brings_its_keyboard_as_data(content):
    from kiosk.content.catalogue import parse_catalogue

    spanish = content.strings("es")
    assert spanish.keyboard_locale == "es_ES" and "ñ" in spanish.keyboard_extra_row
    assert content.strings("en").keyboard_locale == "en_US"
    # a new language file without a keyboard gets Qt's default layout and the fallback's row
    french = parse_catalogue({"language": "fr", "language_name": "Français",
                              "strings": {"start": "Commencer"}}, "fr.json",
                             fallback=content.strings("en"))
    assert french.keyboard_locale == "en_US"
    assert french.keyboard_extra_row == content.strings("en").keyboard_extra_row
