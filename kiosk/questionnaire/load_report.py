"""The load report: what in a form the kiosk does not do as written, and what it does."""

from __future__ import annotations

from kiosk.questionnaire.model import LoadNote, Questionnaire
from kiosk.questionnaire.presentation import present


def load_report(questionnaire: Questionnaire) -> list[LoadNote]:
    from kiosk.questionnaire.expressions import expression_notes  # fhirpathpy: on demand

    notes = list(questionnaire.notes) + expression_notes(questionnaire)
    for item in questionnaire.walk():
        notes.extend(present(item).notes)
    return notes


def format_report(questionnaire: Questionnaire) -> str:
    notes = load_report(questionnaire)
    items = sum(1 for _ in questionnaire.walk())
    title = questionnaire.title or questionnaire.url or "(untitled)"
    lines = [f"{questionnaire.source}: {title}: {items} items, "
             f"{len(notes)} note{'s' if len(notes) != 1 else ''}"]
    lines += [f"  - {note}" for note in notes]
    return "\n".join(lines)
