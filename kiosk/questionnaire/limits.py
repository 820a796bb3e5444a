"""Limits on a form's size and shape, so that a huge or pathological file is refused with a
clear message instead of hanging the kiosk, and enableWhen cycles are named.

The largest published forms seen (a health check of 800+ items, nested 6 deep, enableWhen
chains of a few steps) are far inside these limits.
"""

from __future__ import annotations

from kiosk.questionnaire.model import Item, LoadNote, Questionnaire, QuestionnaireError

MAX_ITEMS = 3000
MAX_DEPTH = 40
MAX_CHAIN = 150  # items whose enabled state depends on one another, one after the other


def check_shape(questionnaire: Questionnaire) -> list[LoadNote]:
    """Refuse a form over the limits; return notes for enableWhen cycles."""
    items = list(questionnaire.walk())
    if len(items) > MAX_ITEMS:
        raise QuestionnaireError(questionnaire.source, "item",
                                 f"{len(items)} items: more than the {MAX_ITEMS} the kiosk "
                                 "accepts in one form; split it into several questionnaires")
    by_id = {item.link_id: item for item in items}
    # an item's enabled state depends on its parent and on the questions its enableWhen reads
    depends: dict[str, list[str]] = {}
    for item in items:
        targets = [c.question for c in item.enable_when if c.question in by_id]
        if item.parent is not None:
            targets.append(item.parent.link_id)
        depends[item.link_id] = targets
    notes: list[LoadNote] = []
    longest: dict[str, int] = {}
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles_seen: set[frozenset[str]] = set()
    for start in by_id:
        if start in state:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            targets = depends[node]
            if index < len(targets):
                stack.append((node, index + 1))
                target = targets[index]
                if state.get(target) == 1:
                    cycle = path[path.index(target):]
                    if frozenset(cycle) not in cycles_seen:
                        cycles_seen.add(frozenset(cycle))
                        notes.append(_cycle_note(cycle, by_id))
                elif target not in state:
                    stack.append((target, 0))
                continue
            state[node] = 2
            path.pop()
            longest[node] = 1 + max((longest.get(t, 0) for t in targets
                                     if state.get(t) == 2), default=0)
            if longest[node] > MAX_CHAIN + MAX_DEPTH:
                raise QuestionnaireError(
                    questionnaire.source, f"item {by_id[node].fhir_link_id!r} enableWhen",
                    f"depends on a chain of more than {MAX_CHAIN} items, each enabled by the "
                    "one before: more than the kiosk evaluates; simplify the form's logic")
    return notes


def _cycle_note(cycle: list[str], by_id: dict[str, Item]) -> LoadNote:
    names = " → ".join(by_id[link_id].fhir_link_id for link_id in [*cycle, cycle[0]])
    return LoadNote(cycle[0], f"enableWhen cycle {names}",
                    "the items in it depend on each other and are treated as hidden")
