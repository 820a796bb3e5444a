"""Loading FHIR Questionnaires: the packaged one, published ones, and malformed files."""

import json

import pytest

from kiosk.questionnaire import AnswerSheet, QuestionnaireError, build_response, load_questionnaire


def test_lifelines_loads_with_its_groups_and_types(shared_questionnaire):
    questionnaire = load_questionnaire(shared_questionnaire("03_r4_lifelines_f201.json"))
    assert questionnaire.url == "http://hl7.org/fhir/Questionnaire/f201"
    assert [item.link_id for item in questionnaire.items] == ["1", "2", "3"]
    assert questionnaire.item("2.2").type == "date"
    assert [child.link_id for child in questionnaire.item("3").items] == ["3.1", "3.2"]


def test_lifelines_response_nests_answers_under_their_groups(shared_questionnaire):
    import datetime as dt

    questionnaire = load_questionnaire(shared_questionnaire("03_r4_lifelines_f201.json"))
    sheet = AnswerSheet(questionnaire)
    sheet.set("1", [True])
    sheet.set("2.2", [dt.date(1980, 5, 1)])
    sheet.set("3.1", [False])
    response = build_response(sheet, dt.datetime(2026, 11, 25, 9, 30).astimezone())
    assert response["questionnaire"] == "http://hl7.org/fhir/Questionnaire/f201"
    groups = {node["linkId"]: node for node in response["item"]}
    assert groups["1"]["answer"] == [{"valueBoolean": True}]
    assert groups["2"]["item"] == [
        {"linkId": "2.2", "text": "What is your date of birth?",
         "answer": [{"valueDate": "1980-05-01"}]}
    ]
    assert groups["3"]["item"][0]["answer"] == [{"valueBoolean": False}]


def test_response_validates_as_r4_questionnaire_response(content):
    import datetime as dt

    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    sheet = AnswerSheet(content.questionnaire)
    sheet.set("bleeding", [True])
    sheet.set("pain-now", [4])
    sheet.set("blood-thinners", [content.questionnaire.item("blood-thinners")
                                 .option_for_code("other").value])
    sheet.set("blood-thinners-other", ["Fish oil"])
    data = build_response(sheet, dt.datetime.now().astimezone(), response_id="abc")
    QuestionnaireResponse.model_validate(data)
    top = {node["linkId"]: node for node in data["item"]}
    # an item under a question sits under that question's answer
    assert top["blood-thinners"]["answer"][0]["item"][0]["linkId"] == "blood-thinners-other"
    assert data["questionnaire"].endswith(f"|{content.questionnaire.version}")


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("{not json", "line 1", "not valid JSON"),
        ('{"resourceType": "Patient"}', "resourceType", "Questionnaire"),
        ('{"resourceType": "Questionnaire", "item": [{"type": "string"}]}', "item[0]",
         "linkId is missing"),
        ('{"resourceType": "Questionnaire", "item": [{"linkId": "a", "type": "colour"}]}',
         "item[0] (a)", "unknown item type"),
        ('{"resourceType": "Questionnaire", "item": [{"linkId": "a", "type": "string",'
         ' "enableWhen": [{"question": "zz", "operator": "=", "answerBoolean": true}]}]}',
         "item 'a' enableWhen", "unknown question 'zz'"),
    ],
)
def test_a_malformed_file_is_refused_with_file_place_and_reason(tmp_path, text, where, problem):
    path = tmp_path / "broken.json"
    path.write_text(text)
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    message = str(caught.value)
    assert str(path) in message
    assert where in message
    assert problem in message


def test_packaged_questionnaire_is_valid_fhir():
    from importlib import resources

    from fhir.resources.R4B.questionnaire import Questionnaire

    text = resources.files("kiosk.content").joinpath("questionnaires/preprocedure.json")
    Questionnaire.model_validate(json.loads(text.read_text(encoding="utf-8")))


def test_a_reused_link_id_is_kept_apart_and_reported(shared_questionnaire):
    import datetime as dt

    questionnaire = load_questionnaire(shared_questionnaire("16_adf_layout_paginated.json"))
    twins = [item for item in questionnaire.walk() if item.fhir_link_id == "10.1"]
    assert len(twins) == 2 and twins[0].link_id != twins[1].link_id
    assert any(note.link_id == "10.1" and "more than once" in note.feature
               for note in questionnaire.notes)
    sheet = AnswerSheet(questionnaire)
    for twin in twins:
        if twin.is_question:
            sheet.set(twin.link_id, ["x"] if twin.type == "string" else [])
    response = build_response(sheet, dt.datetime.now().astimezone())
    assert "~" not in json.dumps(response)  # only the form's own linkIds leave the kiosk


def test_contained_value_sets_become_options(shared_questionnaire):
    questionnaire = load_questionnaire(shared_questionnaire("04_r4_gcs_contained_vs.json"))
    for item in questionnaire.walk():
        assert item.options, item.link_id
    assert not [n for n in questionnaire.notes if "answerValueSet" in n.feature]


def test_a_value_set_outside_the_file_degrades_to_free_text(shared_questionnaire):
    questionnaire = load_questionnaire(shared_questionnaire("07_sdc_enablewhen.json"))
    item = questionnaire.item("1acf93a7-0890-44cd-be48-542defb35248")
    assert not item.options
    assert any(n.link_id == item.link_id and "answerValueSet" in n.feature
               for n in questionnaire.notes)


def test_xhtml_text_is_shown_as_plain_text_without_scripts():
    from kiosk.questionnaire import parse_questionnaire

    questionnaire = parse_questionnaire({
        "resourceType": "Questionnaire",
        "item": [{"linkId": "a", "type": "display", "text": "fallback", "_text": {"extension": [{
            "url": "http://hl7.org/fhir/StructureDefinition/rendering-xhtml",
            "valueString": "<div><p>Hello <b>there</b></p><script>alert(1)</script>"
                           "<img src='http://example.org/x.png'/><ul><li>one</li></ul></div>",
        }]}}],
    })
    text = questionnaire.item("a").text
    assert "Hello there" in text and "• one" in text
    assert "alert" not in text and "<" not in text and "http" not in text


def test_translation_extension_gives_the_kiosk_language():
    from kiosk.questionnaire import parse_questionnaire

    def translation(lang, content):
        return {"url": "http://hl7.org/fhir/StructureDefinition/translation", "extension": [
            {"url": "lang", "valueCode": lang}, {"url": "content", "valueString": content}]}

    data = {"resourceType": "Questionnaire", "item": [{
        "linkId": "a", "type": "boolean", "text": "Do you smoke?",
        "_text": {"extension": [translation("es", "¿Fuma usted?"),
                                translation("fr", "Fumez-vous ?")]},
    }]}
    assert parse_questionnaire(data, language="es").item("a").text == "¿Fuma usted?"
    assert parse_questionnaire(data, language="es-MX").item("a").text == "¿Fuma usted?"
    assert parse_questionnaire(data, language="de").item("a").text == "Do you smoke?"


@pytest.mark.parametrize(("option", "item_type", "expected"), [
    ({"valueInteger": 3}, "integer", {"valueInteger": 3}),
    ({"valueString": "Often"}, "choice", {"valueString": "Often"}),
    ({"valueDate": "2024-02-29"}, "choice", {"valueDate": "2024-02-29"}),
    ({"valueTime": "08:30:00"}, "choice", {"valueTime": "08:30:00"}),
    ({"valueCoding": {"system": "s", "code": "y", "display": "Yes"}}, "choice",
     {"valueCoding": {"system": "s", "code": "y", "display": "Yes"}}),
])
def test_answer_option_types_leave_with_their_own_type(option, item_type, expected):
    import datetime as dt

    from kiosk.questionnaire import parse_questionnaire

    questionnaire = parse_questionnaire({"resourceType": "Questionnaire", "item": [
        {"linkId": "q", "type": item_type, "answerOption": [option]}]})
    sheet = AnswerSheet(questionnaire)
    sheet.set("q", [questionnaire.item("q").options[0].value])
    response = build_response(sheet, dt.datetime.now().astimezone())
    assert response["item"][0]["answer"] == [expected]


def test_item_control_is_matched_by_code_under_a_wrong_system(shared_questionnaire):
    raw = json.loads(shared_questionnaire("09_spineai_lumbar_triage.json").read_text())
    wrong = [
        item for group in raw["item"] for item in group.get("item", [])
        for ext in item.get("extension", [])
        if "itemControl" in ext["url"]
        and ext["valueCodeableConcept"]["coding"][0]["system"]
        != "http://hl7.org/fhir/questionnaire-item-control"
    ]
    assert wrong, "the file still carries an item-control code under another system"
    questionnaire = load_questionnaire(shared_questionnaire("09_spineai_lumbar_triage.json"))
    code = wrong[0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
    assert questionnaire.item(wrong[0]["linkId"]).item_control == code


def test_answer_value_set_by_canonical_url_with_ordinals():
    from kiosk.questionnaire import parse_questionnaire

    questionnaire = parse_questionnaire({
        "resourceType": "Questionnaire",
        "contained": [{"resourceType": "ValueSet", "id": "freq",
                       "url": "http://example.org/vs/freq", "version": "2",
                       "expansion": {"contains": [
                           {"system": "s", "code": "never", "display": "Never",
                            "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/"
                                                  "itemWeight", "valueDecimal": 0}]},
                           {"system": "s", "code": "often", "display": "Often",
                            "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/"
                                                  "itemWeight", "valueDecimal": 2}]}]}}],
        "item": [{"linkId": "a", "type": "choice", "answerValueSet": "http://example.org/vs/freq"},
                 {"linkId": "b", "type": "choice",
                  "answerValueSet": "http://example.org/vs/freq|2"}],
    })
    for link_id in ("a", "b"):
        options = questionnaire.item(link_id).options
        assert [(o.display, o.ordinal) for o in options] == [("Never", 0.0), ("Often", 2.0)]
