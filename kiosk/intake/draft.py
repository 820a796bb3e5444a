"""The draft of an intake in progress: one format, written here and read back here.

A draft is what the store keeps while the patient answers, and what staff see of an
interrupted intake::

    {"format": 2, "language": "es", "questionnaire": "url|version",
     "patient": {"first_name", "last_name", "birth": [y, m, d], "procedure_id"},
     "understanding": {check id: option id}, "step": {"kind", "page", "link_id"},
     "response": <an in-progress QuestionnaireResponse on the English form>}

The response holds every answer given so far (answers of items the patient's later
answers disabled included: the draft loses nothing the patient entered), coded the same in
every language. :func:`restore` reads a draft back into an :class:`IntakeSession` — for
staff views (shown as the patient would read them, in the staff's language) and to resume.
Drafts of format 1 (answers by linkId, before this module) are read too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from kiosk.content.library import ContentLibrary
from kiosk.intake.records import Step, StepKind
from kiosk.intake.session import IntakeSession, translated_answers, translated_sheet
from kiosk.questionnaire import AnswerSheet, AnswerValue, Questionnaire, build_response
from kiosk.questionnaire.instances import Key
from kiosk.questionnaire.response_reader import read_response
from kiosk.questionnaire.values import parse_typed_value

DRAFT_FORMAT = 2


def encode(session: IntakeSession) -> dict[str, Any]:
    """What a draft keeps of ``session``: check-in details and every answer given so far."""
    p = session.patient
    every = _EveryAnswer(session.answers, session.content.questionnaire)
    response = build_response(every, session.started_at,  # type: ignore[arg-type]
                              status="in-progress", response_id=session.uid)
    step = session.current
    return {
        "format": DRAFT_FORMAT,
        "language": session.language,
        "questionnaire": session.content.questionnaire.canonical,
        "patient": {"first_name": p.first_name, "last_name": p.last_name,
                    "birth": [p.birth_year, p.birth_month, p.birth_day],
                    "procedure_id": p.procedure_id},
        "understanding": dict(session.understanding),
        "step": {"kind": step.kind.value, "page": step.page, "link_id": step.link_id},
        "response": response,
    }


class _EveryAnswer:
    """What the response builder reads of a sheet: every raw answer (disabled items' too),
    with option words in English, on the English form. No new sheet is built: a draft is
    written on every tap, and a sheet compiles the form's expressions."""

    def __init__(self, sheet: AnswerSheet, english: Questionnaire) -> None:
        self._sheet = sheet
        self.questionnaire = english

    def effective_at(self) -> dict[Key, list[AnswerValue]]:
        return translated_answers(self._sheet, self.questionnaire)

    def instances(self, group: str, parent_path: tuple[int, ...] = ()) -> int:
        return self._sheet.instances(group, parent_path)


def restore(data: dict[str, Any], content: ContentLibrary, language: str | None = None,
            now: Callable[[], dt.datetime] | None = None) -> IntakeSession:
    """The session a draft holds, in ``language`` (the patient's own by default)."""
    language = language or str(data.get("language") or "en")
    session = (IntakeSession(content, language, now) if now is not None
               else IntakeSession(content, language))
    patient = data.get("patient") or {}
    session.patient.first_name = str(patient.get("first_name") or "")
    session.patient.last_name = str(patient.get("last_name") or "")
    birth = list(patient.get("birth") or [None, None, None])[:3]
    session.patient.birth_year, session.patient.birth_month, session.patient.birth_day = (
        [b if isinstance(b, int) else None for b in birth + [None] * (3 - len(birth))])
    procedure_id = str(patient.get("procedure_id") or "")
    if procedure_id and any(p.id == procedure_id for p in content.procedures):
        session.patient.procedure_id = procedure_id
    session.understanding.update({str(k): str(v) for k, v in
                                  (data.get("understanding") or {}).items()})
    english = (read_response(content.questionnaire, data["response"]).sheet
               if data.get("format") == DRAFT_FORMAT
               else _format_1_answers(data.get("answers") or {}, content))
    session.replace_answers(translated_sheet(english, content.questionnaire_for(language)))
    step = data.get("step") or {}
    try:
        wanted = Step(StepKind(step.get("kind", "check_in")), int(step.get("page", 0)),
                      str(step.get("link_id", "")))
    except (ValueError, TypeError):
        wanted = Step(StepKind.CHECK_IN)
    if wanted in session.steps():
        session.current = wanted
    uid = (data.get("response") or {}).get("id") or data.get("uid")
    if uid:
        session.uid = str(uid)
    return session


def _format_1_answers(answers: dict[str, Any], content: ContentLibrary) -> AnswerSheet:
    """Drafts written before format 2: ``{"linkId[@path]": [{"valueX": ...}, ...]}``."""
    questionnaire = content.questionnaire
    sheet = AnswerSheet(questionnaire)
    for key, raw_values in answers.items():
        link_id, _, at = key.partition("@")
        try:
            questionnaire.item(link_id)
            path = tuple(int(n) for n in at.split(".")) if at else ()
        except (KeyError, ValueError):
            continue
        values = []
        for raw in raw_values or []:
            for suffix_key, value in (raw or {}).items():
                with contextlib.suppress(ValueError, TypeError):
                    values.append(parse_typed_value(suffix_key.removeprefix("value"), value))
        sheet.set_quietly(link_id, values, path)
    sheet.refresh()
    return sheet
