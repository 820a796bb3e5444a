"""Item-level FHIRPath variables, scoped as SDC says: visible to the item and its
descendants, evaluated in order (published LHC-Forms and Smart Forms write totals, BMI and
age gates this way). Expected values are worked out by hand."""

from kiosk.questionnaire import AnswerSheet, parse_questionnaire
from kiosk.questionnaire.values import Quantity

VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
CALCULATED = ("http://hl7.org/fhir/uv/sdc/StructureDefinition/"
              "sdc-questionnaire-calculatedExpression")
ENABLE_WHEN = ("http://hl7.org/fhir/uv/sdc/StructureDefinition/"
               "sdc-questionnaire-enableWhenExpression")


def variable(name: str, expression: str) -> dict:
    return {"url": VARIABLE, "valueExpression": {
        "name": name, "language": "text/fhirpath", "expression": expression}}


def expression(url: str, text: str) -> dict:
    return {"url": url, "valueExpression": {"language": "text/fhirpath", "expression": text}}


def answer_of(link_id: str) -> str:
    return f"%resource.repeat(item).where(linkId='{link_id}').answer.value"


FORM = {
    "resourceType": "Questionnaire", "status": "active", "url": "http://example.org/q/vars",
    "extension": [variable("age", f"{answer_of('age')}.first()")],
    "item": [
        {"linkId": "age", "type": "integer", "text": "Age"},
        {"linkId": "score", "type": "group", "text": "Score",
         "extension": [variable("a", f"{answer_of('a')}.first()"),
                       variable("b", f"{answer_of('b')}.first()"),
                       variable("sum", "%a + %b")],  # uses the two before it
         "item": [
             {"linkId": "a", "type": "integer", "text": "A"},
             {"linkId": "b", "type": "integer", "text": "B"},
             {"linkId": "total", "type": "integer", "text": "Total", "readOnly": True,
              "extension": [expression(CALCULATED, "%sum * 2")]},
         ]},
        {"linkId": "bmi-group", "type": "group", "text": "Body",
         "extension": [variable("weight", f"{answer_of('weight')}.value.first()"),
                       variable("height", f"({answer_of('height')}.value / 100).first()")],
         "item": [
             {"linkId": "weight", "type": "quantity", "text": "Weight"},
             {"linkId": "height", "type": "quantity", "text": "Height"},
             {"linkId": "bmi", "type": "decimal", "text": "BMI", "readOnly": True,
              "extension": [expression(
                  CALCULATED, "(%weight / (%height * %height)).round(1)")]},
         ]},
        {"linkId": "over-40", "type": "group", "text": "Checks from 40",
         "extension": [expression(ENABLE_WHEN, "%age >= 40")],
         "item": [{"linkId": "bp", "type": "boolean", "text": "Blood pressure checked?"}]},
        {"linkId": "outside", "type": "integer", "text": "Outside the score group",
         "readOnly": True,
         "extension": [expression(CALCULATED, "%sum")]},  # %sum is not in scope here
    ],
}


def sheet() -> AnswerSheet:
    form = parse_questionnaire(FORM)
    assert not [n for n in form.notes if "variable" in n.feature], form.notes
    return AnswerSheet(form)


def test_item_variables_feed_a_total_in_their_group():
    answers = sheet()
    answers.set("a", [3])
    answers.set("b", [4])
    assert answers.get("total") == [14]  # (3 + 4) * 2


def test_a_variable_of_one_group_is_not_seen_outside_it():
    answers = sheet()
    answers.set("a", [3])
    answers.set("b", [4])
    assert answers.get("outside") == []


def test_bmi_from_two_quantities():
    answers = sheet()
    answers.set("weight", [Quantity(81.0, "kg")])
    answers.set("height", [Quantity(180.0, "cm")])
    assert answers.get("bmi") == [25.0]  # 81 / 1.8² = 25.0


def test_an_age_gated_section_opens_from_forty():
    answers = sheet()
    assert not answers.is_enabled("over-40")
    answers.set("age", [39])
    assert not answers.is_enabled("over-40")
    answers.set("age", [40])
    assert answers.is_enabled("over-40")
    assert answers.is_enabled("bp")
