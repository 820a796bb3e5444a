"""Validation rules as published forms write them: regex as a plain pattern or as FHIRPath
matches() (Smart Forms' style), and SDC targetConstraint with its human message."""

from kiosk.questionnaire import AnswerSheet, parse_questionnaire

REGEX = "http://hl7.org/fhir/StructureDefinition/regex"
TARGET_CONSTRAINT = "http://hl7.org/fhir/StructureDefinition/targetConstraint"


def form_with(*items: dict) -> AnswerSheet:
    return AnswerSheet(parse_questionnaire(
        {"resourceType": "Questionnaire", "status": "active", "item": list(items)}))


def text_item(link_id: str, regex: str) -> dict:
    return {"linkId": link_id, "type": "string", "text": link_id,
            "extension": [{"url": REGEX, "valueString": regex}]}


def keys(sheet: AnswerSheet) -> list[str]:
    return [p.key for p in sheet.problems(sheet.questionnaire.items)]


def test_a_matches_regex_accepts_a_valid_number_and_refuses_a_wrong_one():
    sheet = form_with(text_item("medicare", "matches('^[0-9]{10}$')"))
    sheet.set("medicare", ["2123456701"])
    assert keys(sheet) == []
    sheet.set("medicare", ["21234"])
    assert keys(sheet) == ["error_pattern"]


def test_matches_finds_the_pattern_anywhere_unless_anchored_and_undoes_fhirpath_escapes():
    sheet = form_with(text_item("code", r"matches('\\d{3}')"))  # FHIRPath '\\d' is \d
    sheet.set("code", ["ab123cd"])
    assert keys(sheet) == []
    sheet.set("code", ["ab12cd"])
    assert keys(sheet) == ["error_pattern"]


def test_a_plain_regex_must_match_the_whole_answer():
    sheet = form_with(text_item("zip", "[0-9]{5}"))
    sheet.set("zip", ["12345"])
    assert keys(sheet) == []
    sheet.set("zip", ["123456"])
    assert keys(sheet) == ["error_pattern"]


def test_an_invalid_regex_is_named_in_the_load_report_and_does_not_block():
    sheet = form_with(text_item("bad", "([0-9"))
    notes = [str(n) for n in sheet.questionnaire.notes]
    assert any("bad" in n and "not a valid pattern" in n for n in notes), notes
    sheet.set("bad", ["anything"])
    assert keys(sheet) == []


def constraint(expression: str, human: str, severity: str = "error") -> dict:
    return {"url": TARGET_CONSTRAINT, "extension": [
        {"url": "key", "valueId": "c1"},
        {"url": "severity", "valueCode": severity},
        {"url": "expression", "valueExpression": {"language": "text/fhirpath",
                                                  "expression": expression}},
        {"url": "human", "valueString": human},
    ]}


def test_a_target_constraint_shows_its_own_message():
    sheet = form_with(
        {"linkId": "start", "type": "integer", "text": "Pain started (years ago)"},
        {"linkId": "worst", "type": "integer", "text": "Worst pain (years ago)",
         "extension": [constraint(
             "answer.value <= %resource.item.where(linkId='start').answer.value",
             "The worst pain cannot be before the pain started.")]},
    )
    sheet.set("start", [2])
    sheet.set("worst", [1])
    assert keys(sheet) == []
    sheet.set("worst", [5])
    problems = sheet.problems(sheet.questionnaire.items)
    assert [(p.link_id, p.key) for p in problems] == [("worst", "error_constraint")]
    assert problems[0].values == {"message": "The worst pain cannot be before the pain started."}


def test_a_warning_constraint_is_reported_not_enforced():
    sheet = form_with({"linkId": "n", "type": "integer", "text": "n",
                       "extension": [constraint("answer.value < 3", "Small please", "warning")]})
    sheet.set("n", [7])
    assert keys(sheet) == []
    assert any("severity warning" in str(n) for n in sheet.questionnaire.notes)


def test_an_unreadable_expression_is_named_in_the_load_report_without_parser_noise(capfd):
    from kiosk.questionnaire.load_report import load_report

    calculated = ("http://hl7.org/fhir/uv/sdc/StructureDefinition/"
                  "sdc-questionnaire-calculatedExpression")
    form = parse_questionnaire({"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "t", "type": "integer", "text": "Total", "readOnly": True, "extension": [
            {"url": calculated, "valueExpression": {"language": "text/fhirpath",
                                                    "expression": "1 + #"}}]}]})
    notes = [n for n in load_report(form) if n.link_id == "t"]
    assert notes and "value will not be computed" in notes[0].handling
    sheet = AnswerSheet(form)
    assert sheet.get("t") == []
    out, err = capfd.readouterr()
    assert "recognition error" not in out + err


def with_validation_text(item: dict, url: str, message: str) -> dict:
    return {**item, "extension": [*item.get("extension", []),
                                  {"url": url, "valueString": message}]}


RESEARCHKIT = "http://biodesign.stanford.edu/fhir/StructureDefinition/validationtext"
HELSENORGE = "http://ehelse.no/fhir/StructureDefinition/validationtext"


def test_a_forms_validation_text_replaces_the_kiosks_message_for_what_its_checks_refuse():
    age = with_validation_text(
        {"linkId": "age", "type": "integer", "text": "Age", "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 18},
            {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 120}]},
        RESEARCHKIT, "Please enter a valid age.")
    code = with_validation_text(text_item("postcode", "[0-9]{4}"), HELSENORGE,
                                "Skriv inn et postnummer med fire sifre.")
    plain = text_item("zip", "[0-9]{5}")  # no message of its own: the kiosk's
    sheet = form_with(age, code, plain)
    sheet.set("age", [40])
    sheet.set("postcode", ["0150"])
    sheet.set("zip", ["12345"])
    assert keys(sheet) == []
    assert sheet.questionnaire.notes == []  # understood: not named as ignored
    sheet.set("age", [5])
    sheet.set("postcode", ["15"])
    sheet.set("zip", ["1"])
    problems = {p.link_id: (p.key, p.values) for p in sheet.problems(sheet.questionnaire.items)}
    assert problems == {
        "age": ("error_constraint", {"message": "Please enter a valid age."}),
        "postcode": ("error_constraint", {"message": "Skriv inn et postnummer med fire sifre."}),
        "zip": ("error_pattern", {"format": ""}),
    }
