"""A believable demo patient, for previews, screenshots and benchmarks."""

from __future__ import annotations

from kiosk.questionnaire import Coding
from kiosk.session import IntakeSession


def fill_demo_session(session: IntakeSession, first: str = "Maria", last: str = "Santos") -> None:
    """Check in and answer every question of the packaged questionnaire."""
    questionnaire = session.content.questionnaire

    def code(link_id: str, code: str) -> Coding:
        option = questionnaire.item(link_id).option_for_code(code)
        assert option is not None and isinstance(option.value, Coding)
        return option.value

    session.set_name(first, last)
    session.set_birth(1961, 4, 12)
    session.choose_procedure("epidural-steroid-injection")
    session.answer("blood-thinners", [code("blood-thinners", "apixaban")])
    session.answer("bleeding", [False])
    session.answer("allergies", [code("allergies", "contrast")])
    session.answer("contrast-reaction", ["Hives after a CT scan in 2019"])
    session.answer("fever-infection", [False])
    session.answer("antibiotics", [False])
    session.answer("diabetes", [True])
    session.answer("pregnancy", [code("pregnancy", "not-applicable")])
    session.answer("devices", [code("devices", "none")])
    session.answer("sedation-planned", [code("sedation-planned", "yes")])
    session.answer("last-food", [code("last-food", "gt8h")])
    session.answer("last-drink", [code("last-drink", "2to6h")])
    session.answer("driver", [True])
    session.answer("pain-now", [6])
