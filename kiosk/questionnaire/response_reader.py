"""Read a QuestionnaireResponse back into an answer sheet (the inverse of
:func:`kiosk.questionnaire.response.build_response`).

Items are matched by structure — a response item's linkId among the children of the item
it sits under — so forms whose linkIds repeat in different places read back exactly. Each
repeated item of a repeating group is one instance, in order. Answers that the form cannot
hold (an unknown linkId, a value of the wrong type) are skipped and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.questionnaire.answers import AnswerSheet
from kiosk.questionnaire.instances import Path, is_repeating_group
from kiosk.questionnaire.model import Item, Questionnaire
from kiosk.questionnaire.values import AnswerValue, parse_typed_value


@dataclass
class ReadBack:
    sheet: AnswerSheet
    skipped: int = 0  # response items or answers the form could not take


def read_response(questionnaire: Questionnaire, response: dict[str, Any]) -> ReadBack:
    """An answer sheet holding the response's answers (initial values replaced)."""
    sheet = AnswerSheet(questionnaire)
    for key in list(sheet.raw_answers()):
        sheet.set_quietly(key[0], [], key[1])
    result = ReadBack(sheet)
    _read(questionnaire.items, response.get("item") or [], (), result)
    sheet.refresh()
    return result


def _read(items: Sequence[Item], nodes: list[Any], path: Path, result: ReadBack) -> None:
    by_id = {item.fhir_link_id: item for item in items}
    seen: dict[str, int] = {}
    for node in nodes:
        item = by_id.get(str(node.get("linkId"))) if isinstance(node, dict) else None
        if item is None:
            result.skipped += 1
            continue
        own = path
        if is_repeating_group(item):
            index = seen.get(item.link_id, 0)
            seen[item.link_id] = index + 1
            own = path + (index,)
            layout = result.sheet.layout
            layout.counts[(item.link_id, path)] = max(layout.count(item.link_id, path), index + 1)
        values: list[AnswerValue] = []
        for answer in node.get("answer") or []:
            value = _value(answer)
            if value is None:
                result.skipped += 1
                continue
            values.append(value)
            _read(item.items, answer.get("item") or [], own, result)
        if values and item.is_question:
            result.sheet.set_quietly(item.link_id, values, own)
        _read(item.items, node.get("item") or [], own, result)


def _value(answer: Any) -> AnswerValue | None:
    if not isinstance(answer, dict):
        return None
    for key, raw in answer.items():
        if key.startswith("value") and len(key) > 5:
            try:
                return parse_typed_value(key[5:], raw)
            except (ValueError, TypeError, KeyError):
                return None
    return None
