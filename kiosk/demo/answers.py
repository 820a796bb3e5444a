"""A believable demo patient, for previews, screenshots and benchmarks."""

from __future__ import annotations

from kiosk.intake.service import IntakeService
from kiosk.intake.session import IntakeSession
from kiosk.questionnaire import Coding

#: a tiny valid PNG (1x1 white) standing in for a drawn signature in demos and tests
DEMO_SIGNATURE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d7"
    "63f8ffff3f0005fe02fedccc59e70000000049454e44ae426082")


def fill_demo_session(session: IntakeSession | IntakeService, first: str = "Maria",
                      last: str = "Santos") -> None:
    """Check in and answer every question of the packaged questionnaire (through the
    intake service when given one, so every answer is written as a patient's would be)."""
    plain = session.session if isinstance(session, IntakeService) else session
    questionnaire = plain.content.questionnaire

    def code(link_id: str, code: str) -> Coding:
        option = questionnaire.item(link_id).option_for_code(code)
        assert option is not None and isinstance(option.value, Coding)
        return option.value

    session.set_name(first, last)
    session.set_birth(1961, 4, 12)
    session.choose_procedure("epidural-steroid-injection")
    for number, check in enumerate(plain.checks()):  # one missed, the others right
        session.answer_check(check.id, "unsure" if number == 1 else check.correct)
    session.answer("procedure-area", [code("procedure-area", "low-back")])
    session.answer("blood-thinners", [code("blood-thinners", "apixaban")])
    session.answer("blood-thinner-last-dose", [code("blood-thinner-last-dose", "yesterday")])
    session.answer("blood-thinner-prescriber", ["Dr. Reyes, heart clinic"])
    session.answer("bleeding", [False])
    session.answer("allergies", [code("allergies", "contrast")])
    session.answer("contrast-reaction-what", [code("contrast-reaction-what", "hives")])
    session.answer("contrast-reaction-when", [code("contrast-reaction-when", "gt5y")])
    session.answer("contrast-reaction", ["Hives after a CT scan"])
    session.answer("fever-infection", [False])
    session.answer("antibiotics", [False])
    session.answer("recent-illness", [False])
    session.answer("skin-problem", [False])
    session.answer("glaucoma", [False])
    for link_id in ("immune", "kidney-liver", "heart-failure", "recent-steroid-shot",
                    "site-surgery"):
        session.answer(link_id, [False])
    session.answer("diabetes", [True])
    session.answer("diabetes-medicines", [code("diabetes-medicines", "metformin")])
    session.answer("blood-sugar-today", [code("blood-sugar-today", "70to180")])
    session.answer("pregnancy", [code("pregnancy", "not-applicable")])
    session.answer("devices", [code("devices", "none")])
    session.answer("sedation-planned", [code("sedation-planned", "yes")])
    session.answer("last-food", [code("last-food", "gt8h")])
    session.answer("last-drink", [code("last-drink", "2to6h")])
    session.answer("last-drink-kind", [code("last-drink-kind", "clear")])
    session.answer("driver", [True])
    session.answer("adult-24h", [True])
    for link_id in ("sleep-apnea", "sedation-problems", "sedating-medicines"):
        session.answer(link_id, [False])
    session.answer("pain-now", [6])
    session.sign(DEMO_SIGNATURE)
