"""Patterns found by running published R4 questionnaires (LHC-Forms test data, the SDC IG,
Smart Forms, Android FHIR) through the kiosk, each written here as a small form of our own.
Expected values are worked out by hand."""

import datetime as dt

import pytest

from kiosk.questionnaire import AnswerSheet, build_response, parse_questionnaire
from kiosk.questionnaire.form_session import FormSession
from kiosk.questionnaire.load_report import format_report
from kiosk.questionnaire.model import QuestionnaireError
from kiosk.questionnaire.values import Time

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
CALCULATED = SDC + "sdc-questionnaire-calculatedExpression"
ANSWER_EXPRESSION = SDC + "sdc-questionnaire-answerExpression"
VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
HIDDEN = {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden",
          "valueBoolean": True}
XHTML = "http://hl7.org/fhir/StructureDefinition/rendering-xhtml"
MOMENT = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


def expression(url: str, text: str, name: str | None = None) -> dict:
    value = {"language": "text/fhirpath", "expression": text}
    if name:
        value["name"] = name
    return {"url": url, "valueExpression": value}


def form(*items: dict, extension: list | None = None) -> dict:
    raw = {"resourceType": "Questionnaire", "status": "active",
           "url": "http://example.org/q/patterns", "item": list(items)}
    if extension:
        raw["extension"] = extension
    return raw


def test_date_and_time_options_computed_by_an_expression_are_offered():
    """answerExpression of date and time literals (LHC-Forms' answerExpression test): fhirpathpy
    gives its own date objects, which were taken for empty answers and dropped."""
    q = parse_questionnaire(form(
        {"linkId": "day", "type": "date", "text": "Which day?", "extension": [
            expression(ANSWER_EXPRESSION, "@2022-11-12 | @2022-12-01")]},
        {"linkId": "slot", "type": "time", "text": "Which time?", "extension": [
            expression(ANSWER_EXPRESSION, "@T17:03:07 | @T20:10:29")]},
    ))
    sheet = AnswerSheet(q)
    assert [o.value for o in sheet.options("day")] == [dt.date(2022, 11, 12),
                                                       dt.date(2022, 12, 1)]
    assert [o.value for o in sheet.options("slot")] == [Time("17:03:07"), Time("20:10:29")]


def test_a_time_and_a_date_calculated_from_literals_are_filled_in():
    """A calculated time or date written as a literal (``@T09:00:00``) is a fhirpathpy
    object too: it was lost (``today()`` and date arithmetic were not)."""
    session = "%resource.item.where(linkId='session').answer.value"
    q = parse_questionnaire(form(
        {"linkId": "session", "type": "string", "text": "Morning or afternoon?",
         "answerOption": [{"valueString": "morning"}, {"valueString": "afternoon"}]},
        {"linkId": "starts", "type": "time", "text": "Starts at", "readOnly": True,
         "extension": [expression(
             CALCULATED, f"iif({session} = 'morning', @T09:00:00, @T14:00:00)")]},
        {"linkId": "until", "type": "date", "text": "Offer valid until", "readOnly": True,
         "extension": [expression(CALCULATED, f"iif({session}.exists(), @2027-01-31, {{}})")]},
    ))
    sheet = AnswerSheet(q)
    sheet.set("session", ["morning"])
    assert sheet.get("starts") == [Time("09:00:00")]
    assert sheet.get("until") == [dt.date(2027, 1, 31)]
    sheet.set("session", ["afternoon"])
    assert sheet.get("starts") == [Time("14:00:00")]


def test_blank_strings_a_calculation_gives_are_not_answers():
    """``toChars()`` of "a b" gives a blank string in the middle; FHIR strings must have a
    non-blank character, so the response would be refused."""
    q = parse_questionnaire(form(
        {"linkId": "word", "type": "string", "text": "Letters"},
        {"linkId": "chars", "type": "string", "repeats": True, "readOnly": True,
         "text": "One by one", "extension": [expression(
             CALCULATED, "%resource.item.where(linkId='word').answer.value.toChars()")]},
    ))
    sheet = AnswerSheet(q)
    sheet.set("word", ["a b"])
    assert sheet.get("chars") == ["a", "b"]


def test_a_page_whose_questions_are_all_in_hidden_groups_is_not_shown():
    """A visible group holding only a hidden group (LHC-Forms' hidden-extension test) would
    be a page with a heading and nothing to answer."""
    q = parse_questionnaire(form(
        {"linkId": "q1", "type": "string", "text": "Shown"},
        {"linkId": "outer", "type": "group", "text": "Outer", "item": [
            {"linkId": "inner", "type": "group", "text": "Inner", "extension": [HIDDEN],
             "item": [{"linkId": "inner-q", "type": "string", "text": "In a hidden group"}]}]},
        {"linkId": "q2", "type": "string", "text": "Also shown"},
    ))
    assert [p.link_id for p in FormSession(q).pages()] == ["q1", "q2"]


def test_a_named_calculated_expression_is_a_variable_for_the_item_and_below():
    """SDC: an expression with a name can be used by that name (LHC-Forms' named-expressions
    test): a named calculatedExpression on an item, and one on the questionnaire."""
    q = parse_questionnaire(form(
        {"linkId": "a", "type": "integer", "text": "A"},
        {"linkId": "b", "type": "integer", "text": "B = A + 1", "readOnly": True,
         "extension": [expression(
             CALCULATED, "%resource.item.where(linkId='a').answer.value + 1", name="varB")],
         "item": [{"linkId": "b1", "type": "integer", "text": "B + 1", "readOnly": True,
                   "extension": [expression(CALCULATED, "%varB + 1")]}]},
        {"linkId": "c", "type": "integer", "text": "D + 2", "readOnly": True,
         "extension": [expression(VARIABLE, "%varD + 1", name="varE"),
                       expression(CALCULATED, "%varE + 1")]},
        extension=[expression(
            CALCULATED, "%resource.item.where(linkId='b').answer.value + 2", name="varD")],
    ))
    sheet = AnswerSheet(q)
    sheet.set("a", [1])
    assert sheet.get("b") == [2]
    assert sheet.get("b1") == [3]
    assert sheet.get("c") == [6]
    sheet.set("a", [])
    assert sheet.get("c") == []


def test_a_group_without_a_linkid_is_named_by_its_place():
    """LHC-Forms' matrix test forms have a group whose ``linkId`` is misspelt ``lindId``;
    LHC-Forms shows them. The group is named by its place and the load report says so."""
    q = parse_questionnaire(form(
        {"lindId": "g1", "type": "group", "text": "Matrix", "item": [
            {"linkId": "/g1/q1", "type": "string", "text": "Question 1"}]},
        {"linkId": "after", "type": "display", "text": "Thanks"},
    ))
    group = q.items[0]
    assert group.fhir_link_id == "item[0]"
    report = format_report(q)
    assert "linkId is missing" in report and "item[0]" in report
    sheet = AnswerSheet(q)
    sheet.set("/g1/q1", ["yes"])
    response = build_response(sheet, MOMENT)
    assert response["item"] == [{"linkId": "item[0]", "text": "Matrix", "item": [
        {"linkId": "/g1/q1", "text": "Question 1", "answer": [{"valueString": "yes"}]}]}]


def test_a_question_without_a_linkid_is_still_refused():
    """Its answer could not be told apart from another's: a clear message, not a guess."""
    with pytest.raises(QuestionnaireError, match="linkId is missing"):
        parse_questionnaire(form({"type": "string", "text": "Name"}))


def test_a_web_address_with_spaces_is_not_accepted():
    """A url answer is a FHIR uri, which has no spaces: the response would be refused."""
    q = parse_questionnaire(form({"linkId": "site", "type": "url", "text": "Your website"}))
    sheet = AnswerSheet(q)
    sheet.set("site", ["my site"])
    assert [p.key for p in sheet.problems(q.items)] == ["error_pattern"]
    sheet.set("site", ["https://example.org/me"])
    assert sheet.problems(q.items) == []


def test_the_response_carries_the_plain_text_of_an_item_written_in_xhtml():
    """The Cardiology form writes headings in rendering-xhtml with ``&#xa0;``: a no-break
    space the R4 string pattern refuses in QuestionnaireResponse.item.text."""
    q = parse_questionnaire(form(
        {"linkId": "extra", "type": "group", "text": "[Optional] More",
         "_text": {"extension": [{"url": XHTML, "valueString": "[Optional]&#xa0;More<br/>"}]},
         "item": [{"linkId": "note", "type": "string", "text": "Note"}]},
    ))
    sheet = AnswerSheet(q)
    sheet.set("note", ["hello"])
    response = build_response(sheet, MOMENT)
    assert response["item"][0]["text"] == "[Optional] More"


def test_a_calculated_time_or_datetime_from_text_that_is_none_gives_no_value():
    """Smart Forms' time and dateTime calculation demos copy a text answer into a time /
    dateTime item: text that is no time ("soon") was stored as one, the response refused
    and the time field's page failed to draw. A well-formed one is kept."""
    typed = "%resource.item.where(linkId='typed').answer.value"
    q = parse_questionnaire(form(
        {"linkId": "typed", "type": "string", "text": "Type a time"},
        {"linkId": "at", "type": "time", "text": "Time", "readOnly": True,
         "extension": [expression(CALCULATED, typed)]},
        {"linkId": "when", "type": "dateTime", "text": "Date and time", "readOnly": True,
         "extension": [expression(CALCULATED, typed)]},
    ))
    sheet = AnswerSheet(q)
    sheet.set("typed", ["soon"])
    assert sheet.get("at") == [] and sheet.get("when") == []
    sheet.set("typed", ["14:10:30"])
    assert sheet.get("at") == [Time("14:10:30")] and sheet.get("when") == []
    sheet.set("typed", ["2025-09-19T14:10:30+10:00"])
    assert sheet.get("at") == [] and sheet.get("when") == ["2025-09-19T14:10:30+10:00"]


CQF = "http://hl7.org/fhir/StructureDefinition/cqf-expression"


def computed_text(text: str, language: str = "text/fhirpath") -> dict:
    return {"extension": [{"url": CQF, "valueExpression": {"language": language,
                                                           "expression": text}}]}


def scored_form() -> dict:
    """Smart Forms' calculated display and Android FHIR's dynamic question text: a text
    written as a cqf-expression on ``_text``, reading the answers."""
    return form(
        {"linkId": "a", "type": "integer", "text": "Pain now (0-10)"},
        {"linkId": "b", "type": "integer", "text": "Worst pain this week (0-10)"},
        {"linkId": "total", "type": "display", "text": "Your total appears here",
         "_text": computed_text(
             "'Your total is ' + (%resource.item.where(linkId='a').answer.value"
             " + %resource.item.where(linkId='b').answer.value).toString()")},
        {"linkId": "name", "type": "string", "text": "Your name",
         "_text": computed_text("'Name of ' + %patient.name.first().given.first()")},
    )


def test_a_text_computed_by_cqf_expression_follows_the_answers():
    from kiosk.questionnaire.launch import LaunchContext, patient_resource

    q = parse_questionnaire(scored_form())
    launch = LaunchContext(patient_resource("Ana", "Ruiz", dt.date(1980, 5, 1)))
    sheet = AnswerSheet(q, launch)
    total, name = q.item("total"), q.item("name")
    assert sheet.text_of(total) == "Your total appears here"  # nothing to add up yet
    assert sheet.text_of(name) == "Name of Ana"  # the question reads check-in's name
    sheet.set("a", [3])
    assert sheet.text_of(total) == "Your total appears here"  # 3 + nothing is nothing
    sheet.set("b", [7])
    assert sheet.text_of(total) == "Your total is 10"
    assert sheet.texts_changed == {"total"}
    sheet.set("a", [1])
    assert sheet.text_of(total) == "Your total is 8"
    sheet.set("b", [])
    assert sheet.text_of(total) == "Your total appears here"
    assert "cqf-expression" not in format_report(q)  # computed: nothing is lost


def test_a_translated_text_is_not_taken_for_a_computed_one():
    q = parse_questionnaire(form(
        {"linkId": "a", "type": "string", "text": "Pain", "_text": {"extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/translation", "extension": [
                {"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Dolor"}]}]}},
    ))
    assert q.item("a").text_expression is None
    assert "cqf-expression" not in format_report(q)


def test_a_text_computed_in_another_language_is_named_in_the_load_report():
    q = parse_questionnaire(form(
        {"linkId": "when", "type": "date", "text": "Option date",
         "_text": computed_text("DateOfOption", language="text/cql")},
    ))
    report = format_report(q)
    assert "text computed by cqf-expression" in report
    assert "the patient sees the form's fixed text" in report
    assert AnswerSheet(q).text_of(q.item("when")) == "Option date"


def test_a_computed_text_that_cannot_be_read_keeps_the_fixed_text():
    q = parse_questionnaire(form(
        {"linkId": "a", "type": "integer", "text": "Pain now"},
        {"linkId": "note", "type": "display", "text": "Fixed words",
         "_text": computed_text("'Pain ' + #")},
    ))
    assert "the patient sees the form's fixed text" in format_report(q)
    sheet = AnswerSheet(q)
    sheet.set("a", [4])
    assert sheet.text_of(q.item("note")) == "Fixed words"


def test_a_calculated_year_or_month_is_kept_as_the_partial_date_it_is():
    """FHIR dates may be a year or a month ("2010", "2010-04"). A calculated one was dropped,
    and ``@2010-04`` became 4 April 2010 (fhirpathpy's str() of a month adds a day)."""
    year = "%resource.item.where(linkId='year').answer.value"
    q = parse_questionnaire(form(
        {"linkId": "year", "type": "integer", "text": "Year of the last injection"},
        {"linkId": "as-year", "type": "date", "text": "Last injection", "readOnly": True,
         "extension": [expression(CALCULATED, f"iif({year}.exists(), {year}.toString(), {{}})")]},
        {"linkId": "month", "type": "date", "text": "Month", "readOnly": True,
         "extension": [expression(CALCULATED, "@2010-04")]},
        {"linkId": "day", "type": "date", "text": "Day", "readOnly": True,
         "extension": [expression(CALCULATED, "@2010-04-05")]},
        {"linkId": "not-a-date", "type": "date", "text": "Bad", "readOnly": True,
         "extension": [expression(CALCULATED, "'2010-13'")]},
    ))
    sheet = AnswerSheet(q)
    sheet.set("year", [2019])
    assert sheet.get("as-year") == ["2019"]
    assert sheet.get("month") == ["2010-04"]
    assert sheet.get("day") == [dt.date(2010, 4, 5)]
    assert sheet.get("not-a-date") == []
    answers = {i["linkId"]: i["answer"] for i in build_response(sheet, MOMENT)["item"]}
    assert answers["as-year"] == [{"valueDate": "2019"}]
    assert answers["month"] == [{"valueDate": "2010-04"}]
    assert answers["day"] == [{"valueDate": "2010-04-05"}]
    assert "not-a-date" not in answers
