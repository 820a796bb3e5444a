"""The step registry: which screen shows each kind of step, and how the frame around it
behaves. A new kind of step is one entry here (plus its ``StepKind`` and where the session
puts it on the path); the patient flow reads nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.content.catalogue import Catalogue
from kiosk.intake.records import Step, StepKind
from kiosk.intake.service import IntakeService
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.check_in import CheckInScreen
from kiosk.ui.screens.confirm import ConfirmScreen
from kiosk.ui.screens.learn import LearnScreen
from kiosk.ui.screens.questions import QuestionScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.teach_back import TeachBackScreen
from kiosk.ui.screens.thanks import thanks_screen


class FlowActions(Protocol):
    """What a step's screen may ask of the flow around it."""

    def on_edit_requested(self, step: Step) -> None: ...
    def on_confirmed(self) -> None: ...
    def on_finished(self) -> None: ...


#: (service, strings, step, flow, sliced): ``sliced`` asks for a screen whose rest
#: :meth:`Screen.build_slices` builds (a screen may ignore it and come whole)
Build = Callable[[IntakeService, Catalogue, Step, FlowActions, bool], Screen]


@dataclass(frozen=True)
class StepScreen:
    build: Build
    next_button: bool = True  # Next in the footer (else the screen has its own way on)
    footer: bool = True  # Back, Read aloud, Next
    start_over: bool = True
    readable: bool = False  # Read aloud offered


def _review(service: IntakeService, t: Catalogue, step: Step, flow: FlowActions,
            sliced: bool) -> Screen:
    review = ReviewScreen(service.session, t, sliced)
    review.edit_requested.connect(flow.on_edit_requested)
    return review


def _confirm(service: IntakeService, t: Catalogue, step: Step, flow: FlowActions,
             sliced: bool) -> Screen:
    confirm = ConfirmScreen(service, t)
    confirm.confirmed.connect(flow.on_confirmed)
    return confirm


def _thanks(service: IntakeService, t: Catalogue, step: Step, flow: FlowActions,
            sliced: bool) -> Screen:
    thanks = thanks_screen(t)
    thanks.acted.connect(flow.on_finished)
    return thanks


STEP_SCREENS: dict[StepKind, StepScreen] = {
    StepKind.CHECK_IN: StepScreen(
        lambda service, t, step, flow, sliced: CheckInScreen(service, t)),
    StepKind.LEARN: StepScreen(
        lambda service, t, step, flow, sliced: LearnScreen(service.session, t, step.page),
        readable=True),
    StepKind.TEACH_BACK: StepScreen(
        lambda service, t, step, flow, sliced: TeachBackScreen(service, t, step.page),
        readable=True),
    StepKind.QUESTIONS: StepScreen(
        lambda service, t, step, flow, sliced: QuestionScreen(
            service, t, service.session.questionnaire.item(step.link_id), sliced=sliced),
        readable=True),
    StepKind.REVIEW: StepScreen(_review),
    StepKind.CONFIRM: StepScreen(_confirm, next_button=False),
    StepKind.DONE: StepScreen(_thanks, next_button=False, footer=False, start_over=False),
}
