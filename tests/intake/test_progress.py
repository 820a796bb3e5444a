"""The step count the patient reads: it never grows once the procedure is chosen
(issue 12.8: "Step 1 of 15" became "Step 2 of 25")."""

import pytest

from kiosk.intake.records import StepKind
from kiosk.intake.session import IntakeSession


@pytest.mark.parametrize("language", ["en", "es"])
def test_choosing_a_procedure_never_raises_the_step_count(content, language):
    before = IntakeSession(content, language=language)
    assert before.current.kind is StepKind.CHECK_IN
    first, total = before.progress()
    assert first == 1
    totals = {}
    for procedure in content.procedures:
        session = IntakeSession(content, language=language)
        session.choose_procedure(procedure.id)
        position, totals[procedure.id] = session.progress()
        assert position == 1
        assert totals[procedure.id] <= total
    assert max(totals.values()) == total  # the longest explanation is the one counted
