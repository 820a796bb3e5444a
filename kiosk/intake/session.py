"""The intake session: where the patient is, what they answered, what comes next.

A plain-Python state machine. Screens show it and send it actions; every
branching decision lives here, never in widget code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
import uuid
from collections.abc import Callable, Sequence

from kiosk.content.library import ContentLibrary
from kiosk.content.procedures import Procedure
from kiosk.content.teach_back import UNSURE, Check, CheckResult, result_of
from kiosk.intake.appointments import NOT_MATCHED, Appointment, AppointmentSource
from kiosk.intake.birth_date import DateProblem, check_birth_date
from kiosk.intake.flags import AREA_LINK_ID, Flag, evaluate, procedure_context
from kiosk.intake.records import (
    PatientDetails,
    PatientIdentifier,
    Problem,
    ReviewRow,
    Step,
    StepKind,
    SubmittedIntake,
    TypedSignature,
)
from kiosk.questionnaire import (
    AnswerSheet,
    AnswerValue,
    Coding,
    Item,
    Questionnaire,
    build_response,
    display_value,
)
from kiosk.questionnaire.form_session import pages
from kiosk.questionnaire.instances import Key, Path
from kiosk.questionnaire.launch import LaunchContext, patient_resource
from kiosk.questionnaire.values import Quantity

UNDERSTANDING_FLAG = "understanding"
# Hidden questions the session answers from the chosen procedure's own facts (never asked),
# so that the form's enableWhen can follow them: a procedure that usually uses sedation
# keeps its fasting and driver questions whatever the patient taps. linkId -> fact.
PROCEDURE_FACT_ITEMS = {"procedure-sedation": "sedation"}

NAME_MAX_LENGTH = 60



class IntakeSession:
    """One patient's pass through the kiosk, from check-in to confirmation."""

    def __init__(
        self,
        content: ContentLibrary,
        language: str = "en",
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
        *,
        appointments: AppointmentSource | None = None,
    ) -> None:
        self.content = content
        #: today's list, when the clinic feeds one; the match the patient confirmed or not
        self.appointments = appointments
        self.appointment: Appointment | None = None
        self.appointment_confirmed = False
        self.scheduled: set[str] = set()  # questions answered from the schedule, not asked
        self.declined: Appointment | None = None  # "No, that is not it": not offered again
        self.language = language
        self.now = now
        self.uid = str(uuid.uuid4())
        self.patient = PatientDetails()
        self.answers = AnswerSheet(content.questionnaire_for(language))
        self.current = Step(StepKind.CHECK_IN)
        self.confirmed = False
        self.signature_png: bytes | None = None
        #: "drawn" (the pad) or "typed" (the full name and "I agree — this is my signature")
        self.signature_mode = "drawn"
        self.typed_name = ""
        self.typed_agreed = False
        #: understanding check id -> the option the patient chose first (never changed)
        self.understanding: dict[str, str] = {}
        self.return_to_review = False
        self.started_at = now()

    @property
    def questionnaire(self) -> Questionnaire:
        """The questionnaire in the patient's language."""
        return self.answers.questionnaire

    def set_language(self, language: str) -> None:
        """Switch language at any moment: every answer is kept (codes do not change)."""
        if language == self.language:
            return
        self.language = language
        self.answers = translated_sheet(self.answers, self.content.questionnaire_for(language))

    def replace_answers(self, sheet: AnswerSheet) -> None:
        """Take ``sheet``'s answers (a draft read back); it must be on this language's form."""
        self.answers = sheet
        self._note_procedure_facts()

    # -- patient details -------------------------------------------------------------------
    def set_name(self, first: str, last: str) -> None:
        self.patient.first_name = _plain_text(first)[:NAME_MAX_LENGTH]
        self.patient.last_name = _plain_text(last)[:NAME_MAX_LENGTH]

    def set_birth(self, year: int | None, month: int | None, day: int | None) -> None:
        self.patient.birth_year, self.patient.birth_month, self.patient.birth_day = (
            year, month, day,
        )

    def birth_date(self) -> dt.date | DateProblem:
        p = self.patient
        return check_birth_date(p.birth_year, p.birth_month, p.birth_day, self.now().date())

    def choose_procedure(self, procedure_id: str) -> None:
        self.content.procedure(procedure_id)  # KeyError for an unknown id
        if procedure_id != self.patient.procedure_id:
            self.understanding.clear()  # another procedure asks other checks
        self.patient.procedure_id = procedure_id
        self._note_procedure_facts()

    def _note_procedure_facts(self) -> None:
        """Answer the hidden procedure-fact questions for the chosen procedure."""
        if not self.patient.procedure_id:
            return
        facts = self.content.procedure(self.patient.procedure_id).metadata()
        for link_id, fact in PROCEDURE_FACT_ITEMS.items():
            try:
                item = self.questionnaire.item(link_id)
            except KeyError:
                continue  # a form without it
            option = item.option_for_code(str(facts[fact]))
            self.answers.set(link_id, [option.value] if option is not None else [])

    # -- today's appointments --------------------------------------------------------------
    def look_up_appointment(self) -> Appointment | None:
        """The patient's appointment on today's list, once name and birth date are given.
        Only its procedure is ever shown to the patient (never a name from the list)."""
        found = None
        birth = self.birth_date()
        if self.appointments is not None and not isinstance(birth, DateProblem):
            p = self.patient
            found = self.appointments.match(p.first_name, p.last_name, birth,
                                            self.now().date())
            if found is not None and not any(found.procedure_id == procedure.id
                                             for procedure in self.content.procedures):
                found = None  # a procedure this kiosk does not offer: asked as usual
        if found is not None and found == self.declined:
            found = None
        if found != self.appointment:  # another name or date now: asked again
            self.appointment_confirmed = False
            self.scheduled.discard(AREA_LINK_ID)
        self.appointment = found
        return found

    def appointment_words(self) -> str:
        """The matched appointment's procedure in plain words (with the area, if known)."""
        if self.appointment is None:
            return ""
        title = self.content.procedure(self.appointment.procedure_id).text(self.language).title
        area = self._area_option(self.appointment.area)
        return f"{title} — {area.display}" if area is not None else title

    def confirm_appointment(self, yes: bool) -> None:
        """The patient says the appointment's procedure is (or is not) theirs. Yes: the
        procedure and the body area come from the schedule and are not asked."""
        if self.appointment is None:
            return
        if not yes:  # the patient chooses the procedure as without a list
            self.declined, self.appointment, self.appointment_confirmed = (
                self.appointment, None, False)
            self.scheduled.discard(AREA_LINK_ID)
            return
        self.appointment_confirmed = True
        self.choose_procedure(self.appointment.procedure_id)
        area = self._area_option(self.appointment.area)
        if area is not None:
            self.answer(AREA_LINK_ID, [area.value])
            self.scheduled.add(AREA_LINK_ID)

    def _area_option(self, code: str):  # noqa: ANN202 - an AnswerOption or None
        if not code:
            return None
        try:
            item = self.questionnaire.item(AREA_LINK_ID)
        except KeyError:
            return None
        return item.option_for_code(code)

    # -- understanding checks --------------------------------------------------------------
    def checks(self) -> tuple[Check, ...]:
        """The understanding checks for the chosen procedure."""
        if not self.patient.procedure_id:
            return ()
        return self.content.teach_back.for_procedure(
            self.content.procedure(self.patient.procedure_id))

    def answer_check(self, check_id: str, option_id: str) -> bool:
        """Record the patient's first answer to a check; returns whether it was right.
        A second tap changes nothing: staff see the first answer."""
        check = self.content.teach_back.check(check_id)
        if option_id != UNSURE:
            check.option_text(option_id, "en")  # KeyError for an unknown option
        if check_id not in self.understanding:
            self.understanding[check_id] = option_id
        return self.understanding[check_id] == check.correct

    def understanding_results(self) -> tuple[CheckResult, ...]:
        unsure = self.content.strings("en")("teach_back_unsure")
        return tuple(result_of(check, self.understanding[check.id], unsure)
                     for check in self.checks() if check.id in self.understanding)

    def answer(self, link_id: str, values: Sequence[AnswerValue],
               path: Path | None = None) -> set[Key]:
        """Record an answer; returns the item instances whose enabled state changed."""
        item = self.questionnaire.item(link_id)
        if item.type in ("string", "text"):
            values = [_plain_text(v, keep_lines=item.type == "text") if isinstance(v, str)
                      else v for v in values]
        return self.answers.set(link_id, values, path)

    # -- the path --------------------------------------------------------------------------
    def question_pages(self) -> list[Item]:
        """Top-level items that currently have something to ask (not those the schedule
        answered)."""
        return [page for page in pages(self.questionnaire, self.answers)
                if page.link_id not in self.scheduled]

    def steps(self) -> list[Step]:
        steps = [Step(StepKind.CHECK_IN)]
        if self.patient.procedure_id:
            text = self.content.procedure(self.patient.procedure_id).text(self.language)
            steps += [Step(StepKind.LEARN, page=i) for i in range(len(text.pages))]
            steps += [Step(StepKind.TEACH_BACK, page=i) for i in range(len(self.checks()))]
        steps += [Step(StepKind.QUESTIONS, link_id=item.link_id) for item in self.question_pages()]
        steps += [Step(StepKind.REVIEW), Step(StepKind.CONFIRM)]
        return steps

    def progress(self) -> tuple[int, int]:
        """(1-based position, number of steps) for the progress bar."""
        steps = self.steps()
        total = len(steps)
        if not self.patient.procedure_id:
            # The explanation and its checks are not on the path until a procedure is
            # chosen: count the longest's, so the total only ever falls ("of 15" jumped
            # to "of 25" after the first page, issue 12.8).
            total += max((self._explanation_steps(p) for p in self.content.procedures),
                         default=0)
        try:
            return steps.index(self.current) + 1, total
        except ValueError:
            return total, total

    def _explanation_steps(self, procedure: Procedure) -> int:
        pages = len(procedure.text(self.language).pages)
        return pages + len(self.content.teach_back.for_procedure(procedure))

    def problems(self) -> list[Problem]:
        """What stops the patient leaving the current step."""
        step = self.current
        if step.kind is StepKind.CHECK_IN:
            return self._check_in_problems()
        if step.kind is StepKind.QUESTIONS:
            top = self.questionnaire.item(step.link_id)
            return [Problem(p.link_id, p.key, p.values, p.path)
                    for p in self.answers.problems([top])]
        if step.kind is StepKind.TEACH_BACK:
            checks = self.checks()
            if step.page < len(checks) and checks[step.page].id not in self.understanding:
                return [Problem("teach_back", "error_teach_back")]
        if step.kind is StepKind.CONFIRM:
            signature = self._signature_problems()
            if signature:
                return signature
        if step.kind is StepKind.CONFIRM and not self.confirmed:
            return [Problem("confirm", "error_confirm")]
        return []

    def _check_in_problems(self) -> list[Problem]:
        problems = []
        if not self.patient.first_name:
            problems.append(Problem("first_name", "error_first_name"))
        if not self.patient.last_name:
            problems.append(Problem("last_name", "error_last_name"))
        birth = self.birth_date()
        if isinstance(birth, DateProblem):
            problems.append(Problem("birth_date", birth.key, birth.values))
        if self.appointment is not None and not self.appointment_confirmed:
            problems.append(Problem("procedure", "error_appointment"))
        elif not self.patient.procedure_id:
            problems.append(Problem("procedure", "error_procedure"))
        return problems

    def next(self) -> list[Problem]:
        """Move on if the current step is complete; otherwise return what is missing."""
        problems = self.problems()
        if problems:
            return problems
        if self.return_to_review and self.current.kind is StepKind.QUESTIONS:
            # Back to the review, unless the change opened a page with questions still open.
            unfinished = self._first_unfinished_page()
            if unfinished is None:
                self.return_to_review = False
                self.current = Step(StepKind.REVIEW)
            else:
                self.current = unfinished
            return []
        if self.current.kind is StepKind.CHECK_IN:
            self._launch_questionnaire()
        steps = self.steps()
        following = int(self._position(steps) + 1)  # the step after (or after the gap)
        if following < len(steps):
            self.current = steps[following]
        return []

    def step_after(self) -> Step | None:
        """The step Next would lead to with the answers as they are now, without moving
        (so a screen can ready it while the patient reads). None when it cannot be told
        without moving: from check-in (the form starts there) it is only ever the
        explanation's first page, once a procedure is chosen. On the way back to the
        review, the first page with a required answer missing, else the review. Next
        itself decides; an answer given meanwhile may change where it goes."""
        if self.current.kind is StepKind.CHECK_IN:
            steps = self.steps()
            first = steps[1] if len(steps) > 1 else None
            return first if first is not None and first.kind is StepKind.LEARN else None
        if self.return_to_review and self.current.kind is StepKind.QUESTIONS:
            return self._first_unfinished_page() or Step(StepKind.REVIEW)
        steps = self.steps()
        following = int(self._position(steps) + 1)
        return steps[following] if following < len(steps) else None

    def screen_state(self, step: Step | None = None) -> tuple[object, ...]:
        """What a step's screen is built from, as a value to compare: while it is equal, a
        screen built earlier for a step shows what a new one would (the check-in details,
        the answers, the understanding checks, the form's launch context, the signature
        as given so far, today's date). A page of the explanation (``step``) is built
        from the procedure and the language alone."""
        if step is not None and step.kind is StepKind.LEARN:
            return (self.language, self.patient.procedure_id)
        return (self.language, dataclasses.astuple(self.patient), dict(self.understanding),
                frozenset(self.scheduled), self.answers.raw_answers(), self.answers.launch,
                self.signature_mode, self.typed_name, self.typed_agreed, self.signature_png,
                dt.date.today())

    def _launch_questionnaire(self) -> None:
        """The form's launch context from check-in (%patient: name, birth date); its
        initialExpressions are evaluated the first time only (SDC: when the form starts)."""
        birth = self.birth_date()
        launch = LaunchContext(patient_resource(
            self.patient.first_name, self.patient.last_name,
            None if isinstance(birth, DateProblem) else birth))
        if self.answers.prefilled:
            self.answers.set_launch(launch)
        else:
            self.answers.prefill(launch)

    def _position(self, steps: list[Step]) -> float:
        """Where the current step is on the path. A step that has left the path (an answer
        disabled the page the patient is on) sits between the steps around it."""
        if self.current in steps:
            return steps.index(self.current)
        order = self._order(self.current)
        return sum(1 for step in steps if self._order(step) < order) - 0.5

    def _order(self, step: Step) -> tuple[int, int, int]:
        kinds = list(StepKind)
        index = 0
        if step.kind is StepKind.QUESTIONS:
            index = self._document_order().get(step.link_id, 0)
        return kinds.index(step.kind), step.page, index

    def _document_order(self) -> dict[str, int]:
        return {item.link_id: n for n, item in enumerate(self.questionnaire.walk())}

    def _first_unfinished_page(self) -> Step | None:
        for top in self.question_pages():
            if self.answers.problems([top]):
                return Step(StepKind.QUESTIONS, link_id=top.link_id)
        return None

    def back(self) -> bool:
        """Go to the previous step; False at the first step."""
        steps = self.steps()
        position = self._position(steps)
        if position <= 0:
            return False
        self.return_to_review = False
        self.current = steps[int(position - 0.5) if position % 1 else int(position) - 1]
        return True

    def edit(self, step: Step) -> None:
        """Jump from the review to a step to change an answer; Next returns to the review."""
        if step not in self.steps():
            raise ValueError("step is not on the current path")
        self.current = step
        self.return_to_review = step.kind is StepKind.QUESTIONS

    def page_for(self, link_id: str) -> Step:
        """The questions page that shows ``link_id``."""
        for page in self.question_pages():
            if any(i.link_id == link_id for i in page.walk()):
                return Step(StepKind.QUESTIONS, link_id=page.link_id)
        raise ValueError(f"{link_id!r} is not on any page now")

    # -- review and submit -----------------------------------------------------------------
    def review_rows(self) -> list[ReviewRow]:
        t = self.content.strings(self.language)
        check_in = Step(StepKind.CHECK_IN)
        birth = self.birth_date()
        procedure = (
            self.content.procedure(self.patient.procedure_id).text(self.language).title
            if self.patient.procedure_id
            else ""
        )
        rows = [
            ReviewRow(check_in, t("label_name"),
                      f"{self.patient.first_name} {self.patient.last_name}".strip()),
            ReviewRow(check_in, t("label_birth_date"),
                      self.spoken(birth) if not isinstance(birth, DateProblem) else ""),
            ReviewRow(check_in, t("label_procedure"), procedure),
        ]
        effective = self.answers.effective()
        for top in self.question_pages():
            page = Step(StepKind.QUESTIONS, link_id=top.link_id)
            for item in top.walk():
                if not item.is_question or item.hidden or not self.answers.is_enabled(item.link_id):
                    continue
                values = effective.get(item.link_id, [])
                text = ", ".join(self.spoken(v, item) for v in values)
                rows.append(ReviewRow(page, item.short_text or item.text,
                                      text or t("not_answered"), item.link_id))
        return rows

    def spoken(self, value: AnswerValue, item: Item | None = None) -> str:
        """An answer in the patient's language: option words from the form in that language,
        dates with the catalogue's month names."""
        t = self.content.strings(self.language)
        if isinstance(value, Coding) and item is not None:
            for option in item.options:
                if option.value == value:
                    return option.display
        if isinstance(value, dt.date):
            return t("date_format", day=value.day, month=t(f"month_{value.month}"),
                     year=value.year)
        if isinstance(value, (float, Quantity)):  # 2,3 in Spanish, not 2.3 (issue 13.12)
            return display_value(value).replace(".", t("decimal_separator"))
        return display_value(value, t("yes"), t("no"))

    def _flags(self, english: AnswerSheet) -> list[Flag]:
        """Flags from the answers on the English form (staff read them in English)."""
        procedure = self.content.procedure(self.patient.procedure_id)
        answers = english.effective()
        flags = evaluate(self.content.flag_rules, answers, procedure_context(procedure, answers),
                         understanding=self.understanding)
        missed = [r for r in self.understanding_results() if not r.correct]
        if missed:
            flags.append(Flag(
                UNDERSTANDING_FLAG, "low", "Missed an understanding check",
                "Patient's first answer was not the expected one: "
                + "; ".join(f"{r.question} Answered: {r.answer}" for r in missed)))
        return flags

    def confirm(self, agreed: bool) -> None:
        self.confirmed = agreed

    def sign(self, png: bytes | None) -> None:
        """The patient's drawn signature (a PNG), or None when the pad was cleared."""
        self.signature_png = png or None

    def sign_typed(self, name: str, agreed: bool) -> None:
        """A signature without drawing: the full name typed, and whether the patient
        agreed that it is their signature."""
        self.typed_name = " ".join(name.split())[:NAME_MAX_LENGTH * 2]
        self.typed_agreed = agreed

    def set_signature_mode(self, mode: str) -> None:
        if mode not in ("drawn", "typed"):
            raise ValueError(f"unknown signature mode {mode!r}")
        self.signature_mode = mode

    def _signature_problems(self) -> list[Problem]:
        if self.signature_mode == "typed":
            problems = []
            if not self.typed_name:
                problems.append(Problem("typed_name", "error_typed_name"))
            if not self.typed_agreed:
                problems.append(Problem("typed_agree", "error_typed_agree"))
            return problems
        if not self.signature_png:
            return [Problem("signature", "error_signature")]
        return []

    def typed_signature(self) -> TypedSignature | None:
        if self.signature_mode != "typed":
            return None
        statement = self.content.strings(self.language)("typed_signature_agree")
        return TypedSignature(self.typed_name, statement)

    def build_submission(self) -> SubmittedIntake:
        """Everything storage needs, once every step is complete."""
        for step in self.steps():
            saved, self.current = self.current, step
            problems = self.problems()
            self.current = saved
            if problems:
                raise ValueError(f"intake incomplete at {step.kind.value}")
        birth = self.birth_date()
        assert not isinstance(birth, DateProblem)
        submitted_at = self.now()
        questionnaire = self.content.questionnaire
        english = translated_sheet(self.answers, questionnaire)  # staff read English
        return SubmittedIntake(
            uid=self.uid,
            submitted_at=submitted_at,
            first_name=self.patient.first_name,
            last_name=self.patient.last_name,
            birth_date=birth,
            procedure_id=self.patient.procedure_id,
            language=self.language,
            questionnaire_url=questionnaire.url,
            questionnaire_version=questionnaire.version,
            response=build_response(english, submitted_at, response_id=self.uid,
                                    status=english.completion_status()),
            flags=tuple(self._flags(english)),
            signature_png=self.signature_png if self.signature_mode == "drawn" else None,
            typed_signature=self.typed_signature(),
            understanding=self.understanding_results(),
            appointment_id=self._appointment_id(),
            patient_identifier=self._patient_identifier(),
        )

    def _appointment_id(self) -> str:
        """The confirmed appointment; NOT_MATCHED when a list was there without one."""
        if self.appointments is None:
            return ""
        if self.appointment is None or not self.appointment_confirmed:
            return NOT_MATCHED
        return self.appointment.appointment_id

    def _patient_identifier(self) -> PatientIdentifier | None:
        if self.appointments is None or self.appointment is None \
                or not self.appointment_confirmed:
            return None
        return PatientIdentifier(self.appointments.identifier_system,
                                 self.appointment.patient_id)

    def finish(self) -> None:
        self.current = Step(StepKind.DONE)


def _plain_text(text: str, keep_lines: bool = False) -> str:
    """Typed text as kept: trimmed, without control characters (a NUL or an escape code
    from a hardware keyboard; PostgreSQL refuses a NUL in text for good)."""
    allowed = "\n" if keep_lines else ""
    return "".join(ch for ch in text if ch in allowed
                   or unicodedata.category(ch) != "Cc").strip()


def translated_answers(sheet: AnswerSheet, questionnaire: Questionnaire,
                       ) -> dict[Key, list[AnswerValue]]:
    """Every raw answer of ``sheet`` with its option words in ``questionnaire``'s language
    (the same form in another language: same linkIds, same codes)."""
    moved: dict[Key, list[AnswerValue]] = {}
    for (link_id, path), values in sheet.raw_answers().items():
        item = questionnaire.item(link_id)
        words = {(o.value.system, o.value.code): o.value for o in item.options
                 if isinstance(o.value, Coding)}
        moved[(link_id, path)] = [words.get((v.system, v.code), v) if isinstance(v, Coding)
                                  else v for v in values]
    return moved


def translated_sheet(sheet: AnswerSheet, questionnaire: Questionnaire) -> AnswerSheet:
    """The same answers on the questionnaire in another language (option words replaced)."""
    moved = AnswerSheet(questionnaire)
    moved.layout.counts = dict(sheet.layout.counts)  # the same repeating-group instances
    moved.prefilled = sheet.prefilled  # pre-filled once, on the first language's form
    moved.set_launch(sheet.launch)
    for (link_id, path), values in translated_answers(sheet, questionnaire).items():
        moved.set_quietly(link_id, values, path)
    moved.refresh()
    return moved
