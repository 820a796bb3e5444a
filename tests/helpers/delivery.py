"""What the delivery tests share: a clock they move by hand, a stand-in PDF, and a demo
intake submitted to a store."""

from __future__ import annotations

import dataclasses
import datetime as dt

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store

PDF = b"%PDF-1.4\n% a stand-in summary\n%%EOF\n"


class Clock:
    def __init__(self) -> None:
        self.at = dt.datetime(2026, 12, 3, 9, 0)

    def __call__(self) -> dt.datetime:
        return self.at

    def later(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)


def submit(store: Store, content, clock: Clock | None = None, **changes) -> int:
    session = IntakeSession(content, now=lambda: (clock() if clock else dt.datetime.now())
                            .astimezone())
    fill_demo_session(session)
    session.confirm(True)
    submission = session.build_submission()
    if changes:
        submission = dataclasses.replace(submission, **changes)
    return store.submit(submission)
