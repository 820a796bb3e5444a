"""Build a FHIR R4 QuestionnaireResponse from an answer sheet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.questionnaire.answers import AnswerSheet
from kiosk.questionnaire.instances import Key, Path, is_repeating_group
from kiosk.questionnaire.model import Item, Questionnaire
from kiosk.questionnaire.values import AnswerValue, Coding, to_fhir


def build_response(
    sheet: AnswerSheet,
    authored: dt.datetime,
    status: str = "completed",
    response_id: str | None = None,
) -> dict[str, Any]:
    """A QuestionnaireResponse dict; disabled items and unanswered questions are left out.

    Items nested under a question go under that question's answer, as R4 requires; each
    instance of a repeating group is its own item with the group's linkId.
    """
    answers = sheet.effective_at()
    questionnaire = sheet.questionnaire
    response: dict[str, Any] = {"resourceType": "QuestionnaireResponse"}
    if response_id:
        response["id"] = response_id
    if questionnaire.url:
        response["questionnaire"] = questionnaire.canonical
    response["status"] = status
    response["authored"] = authored.astimezone().isoformat(timespec="seconds")
    live = _live(questionnaire, answers)
    items = [node for item in questionnaire.items
             for node in _nodes(item, (), sheet, answers, live)]
    if items:
        response["item"] = items
    return response


def _live(questionnaire: Questionnaire, answers: dict[Key, list]) -> set[str]:
    """The linkIds of the answered items and of every item above one: only these have
    anything in the response (an 800-item form is built on every answer the expressions
    read, and most of it is unanswered)."""
    live: set[str] = set()
    for link_id, _path in answers:
        node: Item | None = questionnaire.item(link_id) \
            if questionnaire.has_item(link_id) else None
        while node is not None and node.link_id not in live:
            live.add(node.link_id)
            node = node.parent
    return live


def _nodes(item: Item, parent_path: Path, sheet: AnswerSheet,
           answers: dict[Key, list], live: set[str]) -> list[dict[str, Any]]:
    """The response items for ``item`` under an instance at ``parent_path``."""
    if item.type == "display" or item.link_id not in live:
        return []
    if is_repeating_group(item):
        paths = [parent_path + (i,) for i in range(sheet.instances(item.link_id, parent_path))]
    else:
        paths = [parent_path]
    nodes = []
    for path in paths:
        owned = [(child, node) for child in item.items
                 for node in _nodes(child, path, sheet, answers, live)]
        children = [node for _child, node in owned]
        node: dict[str, Any] = {"linkId": item.fhir_link_id}
        if item.text.strip():
            node["text"] = _plain_spaces(item.text)
        if item.type == "group":
            if children:
                node["item"] = children
                nodes.append(node)
            continue
        values = answers.get((item.link_id, path))
        if not values:
            if children:  # follow-ups answered under a question left unanswered: kept
                node["item"] = children
                nodes.append(node)
            continue
        node["answer"] = []
        for value in values:
            key, json_value = to_fhir(value, item.type)
            node["answer"].append({key: json_value})
        for child_item, child in owned:
            under = node["answer"][_answer_index(child_item, item, values)]
            under.setdefault("item", []).append(child)
        nodes.append(node)
    return nodes


def _plain_spaces(text: str) -> str:
    """``text`` with each space other than space, tab and line breaks (the no-break spaces
    of a form's rendering-xhtml) made a plain one: R4's string pattern refuses them."""
    return "".join(" " if c.isspace() and c not in " \t\r\n" else c for c in text)


def _answer_index(child: Item, parent: Item, values: list[AnswerValue]) -> int:
    """Which of the parent's answers a follow-up goes under: the one its enableWhen names
    ("Brand X" under "Another blood thinner", not under the first drug ticked); a follow-up
    that no single answer opens goes under the first."""
    for condition in child.enable_when:
        if condition.question != parent.link_id or condition.operator != "=":
            continue
        for index, value in enumerate(values):
            if _same_answer(value, condition.answer):
                return index
    return 0


def _same_answer(value: AnswerValue, wanted: AnswerValue) -> bool:
    if isinstance(value, Coding) and isinstance(wanted, Coding):
        return value.code == wanted.code and (not value.system or not wanted.system
                                              or value.system == wanted.system)
    return value == wanted


def answers_in_response(response: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(linkId, question text, answers in plain words) for each answered question, in order."""
    rows: list[tuple[str, str, list[str]]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for node in items:
            answers = node.get("answer", [])
            if answers:
                texts = [_answer_text(a) for a in answers]
                rows.append((node["linkId"], node.get("text", ""), texts))
            for answer in answers:
                walk(answer.get("item", []))
            walk(node.get("item", []))

    walk(response.get("item", []))
    return rows


def _answer_text(answer: dict[str, Any]) -> str:
    for key, value in answer.items():
        if not key.startswith("value"):
            continue
        if key == "valueCoding":
            return str(value.get("display") or value.get("code", ""))
        if key == "valueBoolean":
            return "Yes" if value else "No"
        if key == "valueQuantity":
            return f"{value.get('value', '')} {value.get('unit', '')}".strip()
        if key == "valueReference":
            return str(value.get("display") or value.get("reference", ""))
        return str(value)
    return ""
