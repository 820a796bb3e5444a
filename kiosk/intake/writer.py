"""Writes of a patient's intake, off the screen's thread, in order, never lost.

One :class:`IntakeWriter` per kiosk runs a thread that takes jobs — save a draft, submit an
intake, discard a draft — in the order they were given. A draft save may wait a moment
(typed text: 300 ms after the last key) and is replaced by a newer save of the same intake
that comes before it ran; everything else runs at once. A job that fails (disk full, server
gone) stays first in line and is tried again with a growing pause (1 s, 2 s ... 30 s) until
it succeeds or the intake is dropped: later jobs wait behind it, so nothing is written out
of order. Whoever listens is told when a job is done or failed (from the writer's thread;
the screens hand that over to their own). Plain Python: no Qt.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk.intake.records import SubmittedIntake

log = logging.getLogger(__name__)

RETRY_FIRST = 1.0
RETRY_LONGEST = 30.0


class IntakeStore(Protocol):
    """What the writer needs of storage (``kiosk.storage.Store`` is one)."""

    def save_draft(self, uid: str, started_at: Any, data: dict[str, Any]) -> None: ...
    def discard_draft(self, uid: str) -> None: ...
    def submit(self, intake: SubmittedIntake) -> int: ...


@dataclass
class Job:
    kind: str  # "save", "submit", "discard"
    uid: str
    started_at: Any = None
    data: dict[str, Any] | None = None
    submission: SubmittedIntake | None = None
    due: float = 0.0  # time.monotonic() when it may run
    number: int = 0
    on_done: Callable[[Job, Any], None] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class WriteOutcome:
    """What the writer tells its listeners after each attempt."""

    job: Job
    ok: bool
    result: Any = None  # the intake id of a submit
    error: str = ""  # why it failed (no patient data)
    pending: int = 0  # jobs still waiting after this one


class IntakeWriter:
    def __init__(self, store: IntakeStore, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.clock = clock
        self.listeners: list[Callable[[WriteOutcome], None]] = []
        self._jobs: list[Job] = []
        self._running: Job | None = None
        self._condition = threading.Condition()
        self._numbers = 0
        self._stopping = False
        self._failures = 0
        self._thread = threading.Thread(target=self._work, name="intake-writer", daemon=True)
        self._thread.start()

    # -- giving jobs -------------------------------------------------------------------------
    def save(self, uid: str, started_at: Any, data: dict[str, Any], delay: float = 0.0) -> Job:
        """Save the draft ``data`` of intake ``uid`` within ``delay`` seconds (sooner at
        :meth:`flush`). When the last job waiting is a save of the same intake that has not
        started, it takes the newer data instead (the order of writes never changes)."""
        with self._condition:
            due = self.clock() + delay
            last = self._jobs[-1] if self._jobs else None
            if last is not None and last.kind == "save" and last.uid == uid \
                    and last is not self._running:
                last.data, last.started_at = data, started_at
                last.due = min(last.due, due)
                self._condition.notify_all()
                return last
            return self._add(Job("save", uid, started_at, data, due=due))

    def submit(self, submission: SubmittedIntake,
               on_done: Callable[[Job, Any], None] | None = None) -> Job:
        with self._condition:
            self._flush_locked()
            return self._add(Job("submit", submission.uid, submission=submission,
                                 due=self.clock(), on_done=on_done))

    def discard(self, uid: str) -> Job:
        """Remove intake ``uid``'s draft; any save of it still waiting is dropped."""
        with self._condition:
            self._jobs = [j for j in self._jobs
                          if not (j.uid == uid and j.kind == "save" and j is not self._running)]
            return self._add(Job("discard", uid, due=self.clock()))

    def forget(self, uid: str) -> None:
        """Drop every job of intake ``uid`` that has not run (staff discarded it)."""
        with self._condition:
            self._jobs = [j for j in self._jobs if j.uid != uid or j is self._running]
            self._condition.notify_all()

    def flush(self) -> None:
        """Every waiting save is due now (the patient left the field, or tapped Next)."""
        with self._condition:
            self._flush_locked()

    def _flush_locked(self) -> None:
        now = self.clock()
        for job in self._jobs:
            job.due = min(job.due, now)
        self._condition.notify_all()

    def retry_now(self) -> None:
        """Try the failed job again now (staff or the patient tapped Try again)."""
        with self._condition:
            if self._jobs:
                self._jobs[0].due = self.clock()
            self._condition.notify_all()

    def poke(self) -> None:
        """Look at the clock again now (tests that move a fake clock call this)."""
        with self._condition:
            self._condition.notify_all()

    def _add(self, job: Job) -> Job:
        self._numbers += 1
        job.number = self._numbers
        self._jobs.append(job)
        self._condition.notify_all()
        return job

    # -- state -------------------------------------------------------------------------------
    def pending(self, uid: str | None = None) -> int:
        """Jobs not yet done (of intake ``uid``, or of all)."""
        with self._condition:
            return sum(1 for j in self._jobs if uid is None or j.uid == uid)

    def wait_written(self, uid: str, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for intake ``uid``'s jobs to be done (the screen's
        thread waits a moment for a tap's write, which usually lands within a millisecond or
        two, rather than a turn of its event loop); False if they are not."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while any(j.uid == uid for j in self._jobs):
                left = deadline - time.monotonic()
                if left <= 0 or self._failures:
                    return False
                self._condition.wait(left)
        return True

    def failing(self) -> bool:
        with self._condition:
            return self._failures > 0

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every job is done (tests, shutdown); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._condition:
            self._flush_locked()
            while self._jobs:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._condition.wait(min(left, 0.05))
        return True

    def stop(self, timeout: float = 5.0) -> None:
        """Finish what can be finished within ``timeout``, then stop the thread."""
        self.wait_idle(timeout)
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        self._thread.join(timeout)

    # -- the thread --------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            with self._condition:
                while not self._stopping and (not self._jobs
                                              or self._jobs[0].due > self.clock()):
                    wait = (self._jobs[0].due - self.clock()) if self._jobs else None
                    self._condition.wait(None if wait is None else max(0.001, min(wait, 0.5)))
                if self._stopping:
                    return
                job = self._running = self._jobs[0]
                kind, uid, data, started = job.kind, job.uid, job.data, job.started_at
            try:
                if kind == "save":
                    assert data is not None
                    self.store.save_draft(uid, started, data)
                    result = None
                elif kind == "submit":
                    assert job.submission is not None
                    result = self.store.submit(job.submission)
                else:
                    self.store.discard_draft(uid)
                    result = None
            except Exception as exc:  # noqa: BLE001 - storage failures are told, not raised
                with self._condition:
                    self._running = None
                    self._failures += 1
                    pause = min(RETRY_LONGEST, RETRY_FIRST * 2 ** min(self._failures - 1, 5))
                    if self._jobs and self._jobs[0] is job:
                        job.due = self.clock() + pause
                    pending = len(self._jobs)
                log.error("intake write failed (%s), retrying in %.0f s: %s", kind, pause,
                          exc)
                self._tell(WriteOutcome(job, False, error=str(exc), pending=pending))
                continue
            with self._condition:
                self._running = None
                self._failures = 0
                if self._jobs and self._jobs[0] is job:
                    self._jobs.pop(0)
                pending = len(self._jobs)
                self._condition.notify_all()
            if job.on_done is not None and kind != "save":
                job.on_done(job, result)
            self._tell(WriteOutcome(job, True, result=result, pending=pending))

    def _tell(self, outcome: WriteOutcome) -> None:
        for listener in list(self.listeners):
            try:
                listener(outcome)
            except Exception:  # noqa: BLE001 - a listener's fault must not stop the writer
                log.exception("intake writer listener failed")
