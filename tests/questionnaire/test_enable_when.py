"""enableWhen on the SDC test form 07, with expectations taken from the R4 specification."""

import datetime as dt

import pytest

from kiosk.questionnaire import AnswerSheet, Coding, load_questionnaire, parse_questionnaire
from kiosk.questionnaire.enable_when import condition_holds
from kiosk.questionnaire.model import EnableWhen

Q1 = "83d5c1a6-5dc3-44d0-9d9e-d687c72e143e"
Q2 = "fe0106a5-0e25-43a4-9820-7acb7e74d9d7"
HIDDEN_UNTIL_Q1 = "e5da17a7-7546-45c5-9bcd-d0b09a74cc14"
GROUP_UNTIL_Q1 = "65578509-21ae-4a48-94de-e46b1e87d3fb"
GROUP_UNTIL_Q1_CHILD = "65578509-21ae-4a48-94de-e46b1e54kjui"
GROUP_PRESENT_UNTIL_Q2 = "3ca80fdf-6598-4dd7-b9df-8a2f10895e4e"
GROUP_8_AND_4 = "76daed4f-f95a-4a8b-8d2e-2d7a6b1ee44c"


@pytest.fixture
def form(shared_questionnaire):
    return load_questionnaire(shared_questionnaire("07_sdc_enablewhen.json"))


def option(form, link_id, code):
    found = form.item(link_id).option_for_code(code)
    assert found is not None
    return found.value


def test_boolean_equals_enables_a_question_and_a_group_with_its_children(form):
    sheet = AnswerSheet(form)
    assert not sheet.is_enabled(HIDDEN_UNTIL_Q1)
    assert not sheet.is_enabled(GROUP_UNTIL_Q1_CHILD)
    changed = {link_id for link_id, _path in sheet.set(Q1, [True])}
    assert {HIDDEN_UNTIL_Q1, GROUP_UNTIL_Q1, GROUP_UNTIL_Q1_CHILD} <= changed
    assert sheet.is_enabled(HIDDEN_UNTIL_Q1) and sheet.is_enabled(GROUP_UNTIL_Q1_CHILD)
    sheet.set(Q1, [False])
    assert not sheet.is_enabled(HIDDEN_UNTIL_Q1)


def test_equals_false_is_not_satisfied_by_no_answer(form):
    # R4: with no answer, only 'exists' can be true; '= false' is not.
    sheet = AnswerSheet(form)
    assert not sheet.is_enabled(GROUP_PRESENT_UNTIL_Q2)
    sheet.set(Q2, [False])
    assert sheet.is_enabled(GROUP_PRESENT_UNTIL_Q2)
    sheet.set(Q2, [True])
    assert not sheet.is_enabled(GROUP_PRESENT_UNTIL_Q2)


def test_enable_behavior_all_needs_every_condition(form):
    group = next(i for i in form.walk() if i.text.startswith("Group hidden until 8 and 4"))
    assert group.enable_behavior == "all"
    sheet = AnswerSheet(form)
    radio_789 = group.enable_when[0].question
    sheet.set(radio_789, [option(form, radio_789, "8")])
    # The second condition reads the same single-answer question for '4': never both.
    assert not sheet.is_enabled(group.link_id)


def test_not_equals_on_a_coding_question(form):
    group = next(i for i in form.walk() if i.text.startswith("Group hidden until 7 is undeleted"))
    question = group.enable_when[0].question
    sheet = AnswerSheet(form)
    assert sheet.is_enabled(group.link_id)  # no answer: no answer equals 7, '!=' holds
    sheet.set(question, [option(form, question, "8")])
    assert sheet.is_enabled(group.link_id)
    sheet.set(question, [option(form, question, "7")])
    assert not sheet.is_enabled(group.link_id)


def test_comparators_on_integer_and_decimal_coded_options(form):
    below = next(i for i in form.walk() if i.text == "Group visible when value < 2.2")
    at_or_above = next(i for i in form.walk() if i.text.startswith("Group visible when valuw >="))
    sheet = AnswerSheet(form)
    sheet.set("s3-radio", [option(form, "s3-radio", "1.1")])
    assert sheet.is_enabled(below.link_id) and not sheet.is_enabled(at_or_above.link_id)
    sheet.set("s3-radio", [option(form, "s3-radio", "3.3")])
    assert not sheet.is_enabled(below.link_id) and sheet.is_enabled(at_or_above.link_id)

    only_two = next(i for i in form.walk() if i.text == "Group hidden until integer 2 selected")
    not_three = next(i for i in form.walk() if i.text == "Group visible for 1 and 2")
    sheet.set("s4-radio", [option(form, "s4-radio", "2")])
    assert sheet.is_enabled(only_two.link_id) and sheet.is_enabled(not_three.link_id)
    sheet.set("s4-radio", [option(form, "s4-radio", "3")])
    assert not sheet.is_enabled(only_two.link_id) and not sheet.is_enabled(not_three.link_id)


def test_date_and_time_comparisons(form):
    sheet = AnswerSheet(form)
    sheet.set("date_of_birth_question", [dt.date(2005, 6, 1)])
    assert sheet.is_enabled("date_greater_2000-01-01")
    assert not sheet.is_enabled("date_less_2000-01-01")
    sheet.set("date_of_birth_question", [dt.date(2000, 1, 1)])
    assert not sheet.is_enabled("date_greater_2000-01-01")
    assert sheet.is_enabled("date_less_2000-01-01")
    sheet.set("datetime_question", ["12:00:00"])
    assert sheet.is_enabled("datetime_question_greter_than")
    assert not sheet.is_enabled("datetime_question_less_than_equal")


def test_multi_select_enables_when_any_answer_matches(form):
    sheet = AnswerSheet(form)
    sheet.set("BC029", [option(form, "BC029", "1")])
    assert not sheet.is_enabled("BOWOPTOTH")
    sheet.set("BC029", [option(form, "BC029", "1"), option(form, "BC029", "9")])
    assert sheet.is_enabled("BOWOPTOTH")


def test_disabled_items_keep_no_answer_in_the_effective_answers(form):
    sheet = AnswerSheet(form)
    sheet.set(Q1, [True])
    sheet.set(HIDDEN_UNTIL_Q1, ["typed while enabled"])
    assert HIDDEN_UNTIL_Q1 in sheet.effective()
    sheet.set(Q1, [False])
    assert HIDDEN_UNTIL_Q1 not in sheet.effective()


@pytest.mark.parametrize(
    ("operator", "expected", "given", "holds"),
    [
        ("exists", True, [], False),
        ("exists", True, [1], True),
        ("exists", False, [], True),
        ("=", 3, [3], True),
        ("!=", 3, [3], False),
        ("!=", 3, [], True),  # FHIR: true if no answer has a value equal to it
        ("!=", 3, [4, 3], False),
        ("!=", 3, [4], True),
        ("!=", Coding("s", "a"), [], True),
        ("!=", Coding("s", "a"), [Coding("s", "a", "A")], False),
        ("!=", "abc", [], True),
        ("=", 3, [], False),
        (">", 3, [], False),
        ("<", 3, [], False),
        (">=", 3, [], False),
        ("<=", 3, [], False),
        ("=", "abc", [], False),
        ("=", Coding("s", "a"), [], False),
        ("=", False, [], False),
        (">", 3, [4], True),
        ("<", 3, [4], False),
        (">=", 2.5, [2.5], True),
        ("<=", dt.date(2000, 1, 1), [dt.date(1999, 12, 31)], True),
        ("=", "abc", ["abc"], True),
        ("=", True, [1], False),  # a boolean is never equal to a number
        ("=", Coding("s", "a"), [Coding("s", "a", "A")], True),
        ("=", Coding("s", "a"), [Coding("other", "a")], False),
        ("=", Coding("", "a"), [Coding("s", "a")], True),
    ],
)
def test_operators(operator, expected, given, holds):
    assert condition_holds(EnableWhen("q", operator, expected), given) is holds


def test_incremental_update_matches_a_full_evaluation(form):
    """Re-evaluating only the affected items gives the same answer as evaluating all."""
    from kiosk.questionnaire.enable_when import EnableWhenEvaluator

    sheet = AnswerSheet(form)
    evaluator = EnableWhenEvaluator(form, sheet.layout)
    steps = [(Q1, [True]), ("s1-radio", [option(form, "s1-radio", "2")]), (Q2, [False]),
             ("s3-radio", [option(form, "s3-radio", "3.3")]), (Q1, [False]), (Q2, [])]
    for link_id, values in steps:
        sheet.set(link_id, values)
        full = evaluator.enabled_map({(i.link_id, ()): sheet.get(i.link_id)
                                      for i in form.walk()})
        assert {k: sheet.is_enabled(*k) for k in full} == full


def test_affected_items_are_only_the_dependents(form):
    from kiosk.questionnaire.enable_when import EnableWhenEvaluator

    affected = EnableWhenEvaluator(form, AnswerSheet(form).layout).affected_by(Q1)
    assert HIDDEN_UNTIL_Q1 in affected and GROUP_UNTIL_Q1_CHILD in affected
    assert Q2 not in affected and "s1-radio" not in affected


def test_a_malformed_condition_is_skipped_with_a_note_not_the_whole_form():
    # A published 85-item form carries an answerInteger of "2022-09" in one enableWhen.
    form = parse_questionnaire({
        "resourceType": "Questionnaire", "status": "active",
        "item": [
            {"linkId": "year", "type": "integer", "text": "Year"},
            {"linkId": "flag", "type": "boolean", "text": "Flag"},
            {"linkId": "later", "type": "string", "text": "Later", "enableBehavior": "any",
             "enableWhen": [{"question": "year", "operator": "=", "answerInteger": "2022-09"},
                            {"question": "flag", "operator": "=", "answerBoolean": True}]},
        ],
    })
    later = form.item("later")
    assert [c.question for c in later.enable_when] == ["flag"]
    note = next(n for n in form.notes if n.link_id == "later")
    assert "enableWhen[0]" in str(note) and "skipped" in str(note)
    sheet = AnswerSheet(form)
    assert not sheet.is_enabled("later")
    sheet.set("flag", [True])
    assert sheet.is_enabled("later")
