"""Any questionnaire as a sequence of pages: the state machine behind a generic form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from kiosk.questionnaire.answers import AnswerSheet
from kiosk.questionnaire.instances import Key, Path
from kiosk.questionnaire.launch import LaunchContext
from kiosk.questionnaire.model import Item, Questionnaire
from kiosk.questionnaire.response import build_response
from kiosk.questionnaire.validation import AnswerProblem
from kiosk.questionnaire.values import AnswerValue

LARGE_GROUP = 15  # descendants above which a plain top-level group is split into pages


def _page_items(questionnaire: Questionnaire) -> list[Item]:
    """The items that are pages: top-level items, with a large group split by its groups.

    A group with itemControl ``page`` is always one page. A form that puts everything in
    one big top-level group (common) would otherwise be a single endless screen.
    """
    result = []
    for item in questionnaire.items:
        size = sum(1 for _ in item.walk())
        if (item.type == "group" and not item.repeats and item.item_control != "page"
                and size > LARGE_GROUP
                and any(child.type == "group" for child in item.items)):
            result.extend(item.items)
        else:
            result.append(item)
    return result


def pages(questionnaire: Questionnaire, sheet: AnswerSheet) -> list[Item]:
    """The pages that have something to show now, in order."""
    shown = []
    for item in _page_items(questionnaire):
        if not sheet.is_enabled(item.link_id) or item.hidden:
            continue
        if any(i.type != "group" and sheet.is_enabled(i.link_id) for i in _shown(item)):
            shown.append(item)
    return shown


def _shown(item: Item) -> Iterator[Item]:
    """``item`` and its descendants, less hidden ones and all that is inside them (the page
    does not draw them: a group holding only a hidden group would be an empty page)."""
    if item.hidden:
        return
    yield item
    for child in item.items:
        yield from _shown(child)


class FormSession:
    def __init__(self, questionnaire: Questionnaire, launch: LaunchContext | None = None) -> None:
        """``launch``: what the form may read as %patient; initialExpressions are evaluated
        once, here."""
        self.questionnaire = questionnaire
        self.sheet = AnswerSheet(questionnaire, launch=launch or LaunchContext())
        self.page_id = ""
        current = self.pages()
        self.page_id = current[0].link_id if current else ""

    def pages(self) -> list[Item]:
        return pages(self.questionnaire, self.sheet)

    # -- the answerer of this form's page widgets (kiosk.questionnaire.answering) ----------
    def record(self, link_id: str, values: Sequence[AnswerValue], path: Path = (),
               typed: bool = False) -> set[Key]:
        return self.sheet.set(link_id, values, path)

    def add_instance(self, group: str, parent_path: Path = ()) -> Path:
        return self.sheet.add_instance(group, parent_path)

    def remove_instance(self, group: str, path: Path) -> None:
        self.sheet.remove_instance(group, path)

    def leave_field(self) -> None:
        """Nothing to write: a generic form keeps its answers in memory until submitted."""

    def page(self) -> Item | None:
        return self.questionnaire.item(self.page_id) if self.page_id else None

    def position(self) -> tuple[int, int]:
        ids = [p.link_id for p in self.pages()]
        return (ids.index(self.page_id) + 1 if self.page_id in ids else 1), max(1, len(ids))

    def is_last(self) -> bool:
        ids = [p.link_id for p in self.pages()]
        return not ids or ids[-1] == self.page_id

    def problems(self) -> list[AnswerProblem]:
        page = self.page()
        return self.sheet.problems([page]) if page is not None else []

    def next(self) -> list[AnswerProblem]:
        problems = self.problems()
        if problems:
            return problems
        ids = [p.link_id for p in self.pages()]
        if self.page_id in ids and ids.index(self.page_id) + 1 < len(ids):
            self.page_id = ids[ids.index(self.page_id) + 1]
        return []

    def back(self) -> bool:
        ids = [p.link_id for p in self.pages()]
        if self.page_id not in ids or ids.index(self.page_id) == 0:
            return False
        self.page_id = ids[ids.index(self.page_id) - 1]
        return True

    def submit(self, now: dt.datetime | None = None) -> tuple[dict[str, Any] | None,
                                                              list[AnswerProblem]]:
        """The response, or (None, problems) with the first unfinished page made current."""
        for page in self.pages():
            problems = self.sheet.problems([page])
            if problems:
                self.page_id = page.link_id
                return None, problems
        moment = now or dt.datetime.now().astimezone()
        return build_response(self.sheet, moment, status=self.sheet.completion_status()), []
