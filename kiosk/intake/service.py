"""The intake service: the one way the screens change an intake.

Every operation — answer, next, back, edit, language, sign, submit, discard — goes through
an :class:`IntakeService`, which changes the :class:`~kiosk.intake.session.IntakeSession`,
has the change written (by the :class:`~kiosk.intake.writer.IntakeWriter`, off the screen's
thread, in order) and returns a :class:`Changes` saying what the screens must redraw.

Durability: a tap's answer is written at once, and :meth:`committed` says when it is on
disk (the screens show the next step only then); typed text is written 300 ms after the
last key, and at once when the patient leaves the field (:meth:`leave_field`) or taps Next.
A failed write is tried again until it succeeds; meanwhile every answer stays here in
memory, :attr:`state` says ``failed``, and :meth:`unsaved` is true, so that nothing is
dropped by an idle reset (see ``KioskWindow``) — staff can step in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from kiosk.intake.draft import encode
from kiosk.intake.records import Problem, Step
from kiosk.intake.session import IntakeSession
from kiosk.intake.writer import IntakeWriter, Job, WriteOutcome
from kiosk.questionnaire import AnswerValue
from kiosk.questionnaire.instances import Key, Path

log = logging.getLogger(__name__)

TYPING_DELAY = 0.3  # seconds after the last key before typed text is written


class SaveState(Enum):
    SAVED = "saved"  # everything given so far is on disk (or nothing given yet)
    SAVING = "saving"  # a write is on its way
    FAILED = "failed"  # the last write failed; it is being tried again


@dataclass(frozen=True)
class Changes:
    """What an operation changed, for the screens to redraw."""

    step: bool = False  # another step is current: show it
    enabled: frozenset[Key] = frozenset()  # item instances that appeared or went
    recalculated: frozenset[str] = frozenset()  # calculated items with a new value
    problems: tuple[Problem, ...] = ()  # why the patient cannot go on
    language: bool = False  # the patient's language changed: redraw everything

    @property
    def blocked(self) -> bool:
        return bool(self.problems)


class IntakeService:
    """One patient's intake. Make one per patient; :meth:`close` when the patient is gone."""

    def __init__(self, session: IntakeSession, writer: IntakeWriter) -> None:
        self.session = session
        self.writer = writer
        self._lock = threading.Lock()
        self._error = ""
        self._submitted_id: int | None = None
        self._submitting = False
        self._ended = False  # submitted or discarded: nothing more is written
        self._given = False  # the patient has given something (a draft exists or will)
        writer.listeners.append(self._on_outcome)

    # -- what the screens read -------------------------------------------------------------
    @property
    def sheet(self):  # noqa: ANN201 - the AnswerSheet in the patient's language
        return self.session.answers

    @property
    def state(self) -> SaveState:
        """Read from the writer, so it is right on any thread at any moment."""
        if self.writer.pending(self.session.uid) == 0:
            return SaveState.SAVED
        return SaveState.FAILED if self.writer.failing() else SaveState.SAVING

    @property
    def last_error(self) -> str:
        """Why the last write failed (no patient data), or "" once one succeeded."""
        with self._lock:
            return self._error

    @property
    def submitted_id(self) -> int | None:
        with self._lock:
            return self._submitted_id

    @property
    def submitting(self) -> bool:
        """Confirmed and on its way to storage (or stored)."""
        return self._submitting

    def committed(self) -> bool:
        """Everything the patient gave so far is on disk."""
        return self.writer.pending(self.session.uid) == 0

    def wait_committed(self, timeout: float = 0.002) -> bool:
        """Wait up to ``timeout`` (2 ms by default) for what was given to be on disk."""
        return self.writer.wait_written(self.session.uid, timeout)

    def unsaved(self) -> bool:
        """Answers (or the confirmed intake) exist only in memory: a write is waiting or
        failing. Such an intake must not be dropped by an idle reset."""
        return self._given and not self.committed() and (not self._ended or self._submitting)

    def answers_given(self) -> int:
        """How many answers the patient has given, check-in included (for staff: what is
        pending; never which)."""
        p = self.session.patient
        check_in = [p.first_name or p.last_name, p.birth_year, p.procedure_id]
        return (sum(1 for given in check_in if given) + len(self.session.understanding)
                + sum(1 for values in self.session.answers.raw_answers().values() if values))

    # -- answers ---------------------------------------------------------------------------
    def record(self, link_id: str, values: Sequence[AnswerValue], path: Path = (),
               typed: bool = False) -> set[Key]:
        """Record an answer from any widget (tap, key or accessibility action); returns the
        item instances whose enabled state changed. Typed text is written a moment later."""
        changed = self.session.answer(link_id, values, path)
        self._save(typed)
        return changed

    def answer(self, link_id: str, values: Sequence[AnswerValue], path: Path = (),
               typed: bool = False) -> Changes:
        changed = self.record(link_id, values, path, typed)
        return Changes(enabled=frozenset(changed),
                       recalculated=frozenset(self.session.answers.recalculated))

    def add_instance(self, group: str, parent_path: Path = ()) -> Path:
        path = self.session.answers.add_instance(group, parent_path)
        self._save(False)
        return path

    def remove_instance(self, group: str, path: Path) -> None:
        self.session.answers.remove_instance(group, path)
        self._save(False)

    def set_name(self, first: str, last: str) -> None:
        self.session.set_name(first, last)
        self._save(True)

    def set_birth(self, year: int | None, month: int | None, day: int | None) -> None:
        self.session.set_birth(year, month, day)
        self._save(False)

    def choose_procedure(self, procedure_id: str) -> None:
        self.session.choose_procedure(procedure_id)
        self._save(False)

    def answer_check(self, check_id: str, option_id: str) -> bool:
        """The patient's first answer to an understanding check; True when it was right."""
        right = self.session.answer_check(check_id, option_id)
        self._save(False)
        return right

    def sign(self, png: bytes | None) -> None:
        """The drawn signature (kept with the submission, not in drafts)."""
        self.session.sign(png)

    def sign_typed(self, name: str, agreed: bool) -> None:
        """A signature without drawing: the typed full name and "I agree — this is my
        signature" (kept with the submission, not in drafts)."""
        self.session.sign_typed(name, agreed)

    def set_signature_mode(self, mode: str) -> None:
        """"drawn" (the pad) or "typed" (name and agreement): which one the intake keeps."""
        self.session.set_signature_mode(mode)

    def set_language(self, language: str) -> Changes:
        if language == self.session.language:
            return Changes()
        self.session.set_language(language)
        self._save(False)
        return Changes(language=True)

    def leave_field(self) -> None:
        """The patient left a text field: what they typed is written now."""
        self.writer.flush()

    # -- the path --------------------------------------------------------------------------
    def next(self) -> Changes:
        self.writer.flush()
        problems = self.session.next()
        if problems:
            return Changes(problems=tuple(problems))
        self._save(False)
        return Changes(step=True)

    def back(self) -> Changes:
        moved = self.session.back()
        if moved:
            self._save(False)
        return Changes(step=moved)

    def edit(self, step: Step) -> Changes:
        self.session.edit(step)
        return Changes(step=True)

    def problems(self) -> tuple[Problem, ...]:
        return tuple(self.session.problems())

    # -- the end ---------------------------------------------------------------------------
    def submit(self) -> Changes:
        """Confirm and send: the intake is queued for writing, whole, in one transaction;
        ``submitted`` is told when it is stored. Problems if something is missing."""
        self.session.confirm(True)
        problems = self.session.problems()
        if problems:
            self.session.confirm(False)
            return Changes(problems=tuple(problems))
        try:
            submission = self.session.build_submission()
        except ValueError:
            self.session.confirm(False)
            return Changes(problems=(Problem("confirm", "error_confirm"),))
        self._ended = True  # nothing after this writes a draft (a language switch on Thanks)
        self._submitting = True
        self._given = True
        self.writer.submit(submission)
        return Changes()

    def submitted(self) -> bool:
        """The confirmed intake is stored."""
        return self.submitted_id is not None

    def finish(self) -> Changes:
        """Show the thank-you step (once the submission is stored)."""
        self.session.finish()
        return Changes(step=True)

    def discard(self) -> None:
        """The patient left before confirming (start over, idle): their answers go."""
        if self._ended:
            return
        self._ended = True
        if self._given:
            self.writer.discard(self.session.uid)

    def drop_unsaved(self) -> None:
        """Staff chose to drop an intake that could not be saved: what waits is forgotten,
        and the draft (if one reached disk) removed once storage works again."""
        self._ended = True
        self._submitting = False
        self.writer.forget(self.session.uid)
        self.writer.discard(self.session.uid)

    def retry(self) -> None:
        """Try the failed write again now."""
        self.writer.retry_now()

    def close(self) -> None:
        """The service is no longer shown; its writes (if any) go on without it."""
        if self._on_outcome in self.writer.listeners:
            self.writer.listeners.remove(self._on_outcome)

    # -- writing ---------------------------------------------------------------------------
    def _save(self, typed: bool) -> None:
        if self._ended:
            return
        self._given = True
        self.writer.save(self.session.uid, self.session.started_at, encode(self.session),
                         delay=TYPING_DELAY if typed else 0.0)

    def _on_outcome(self, outcome: WriteOutcome) -> None:  # on the writer's thread
        job: Job = outcome.job
        if job.uid != self.session.uid:
            return
        with self._lock:
            if not outcome.ok:
                self._error = outcome.error
                return
            self._error = ""
            if job.kind == "submit":
                self._submitted_id = int(outcome.result)
