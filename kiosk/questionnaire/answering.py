"""How a page's widgets change answers: through an :class:`Answerer`, never the sheet itself.

The patient kiosk's answerer is the intake service (which also has each change written);
a generic form's is its :class:`~kiosk.questionnaire.form_session.FormSession`. A widget
reads the sheet (``answerer.sheet``) and gives every answer — a tap, a key, an
accessibility action — to ``answerer.record``, so what is shown is what is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from kiosk.questionnaire.answers import AnswerSheet
from kiosk.questionnaire.instances import Key, Path
from kiosk.questionnaire.values import AnswerValue


class Answerer(Protocol):
    @property
    def sheet(self) -> AnswerSheet: ...

    def record(self, link_id: str, values: Sequence[AnswerValue], path: Path = (),
               typed: bool = False) -> set[Key]:
        """Keep the answer; returns the item instances whose enabled state changed.
        ``typed``: it came from a key (it may be written a moment later)."""
        ...

    def add_instance(self, group: str, parent_path: Path = ()) -> Path: ...

    def remove_instance(self, group: str, path: Path) -> None: ...

    def leave_field(self) -> None:
        """The patient left a text field (what they typed is final for now)."""
        ...
