"""Widgets for questionnaire items, one module per kind, chosen by a registry.

:func:`kiosk.questionnaire.presentation.present` decides the kind (so the load report
says exactly what the screen does); :data:`QUESTION_WIDGETS` maps each kind to its widget.
A new control is a new module and one line here.
"""

from __future__ import annotations

from kiosk.content.catalogue import Catalogue
from kiosk.questionnaire import Item
from kiosk.questionnaire.answering import Answerer
from kiosk.questionnaire.instances import Path
from kiosk.questionnaire.presentation import present
from kiosk.ui.widgets.items.attachment import AttachmentWidget, _FileAttachmentWidget
from kiosk.ui.widgets.items.base import ItemWidget, QuestionWidget
from kiosk.ui.widgets.items.choice import BooleanWidget, ChoiceWidget, ScaleWidget
from kiosk.ui.widgets.items.dates import DateTimeWidget, DateWidget, TimeWidget
from kiosk.ui.widgets.items.display import DisplayWidget, GroupWidget, NoticeWidget
from kiosk.ui.widgets.items.quantity import QuantityWidget
from kiosk.ui.widgets.items.text import ReferenceWidget, RepeatingTextWidget, TextWidget

__all__ = [
    "AttachmentWidget", "BooleanWidget", "ChoiceWidget", "DateTimeWidget", "DateWidget",
    "DisplayWidget", "GroupWidget", "ItemWidget", "NoticeWidget", "QuantityWidget",
    "QuestionWidget", "ReferenceWidget", "RepeatingTextWidget", "ScaleWidget", "TextWidget",
    "TimeWidget", "build_item_widget", "is_anchor",
]

QUESTION_WIDGETS: dict[str, type[QuestionWidget]] = {
    "boolean": BooleanWidget,
    "choice": ChoiceWidget,
    "open-choice": ChoiceWidget,
    "scale": ScaleWidget,
    "number": TextWidget,
    "text": TextWidget,
    "long-text": TextWidget,
    "date": DateWidget,
    "datetime": DateTimeWidget,
    "time": TimeWidget,
    "quantity": QuantityWidget,
    "attachment": AttachmentWidget,
    "reference": ReferenceWidget,
    "unsupported": NoticeWidget,
}


def build_item_widget(
    item: Item, answers: Answerer, t: Catalogue, top: bool = False, path: Path = (),
    allow_files: bool = False,
) -> ItemWidget:
    """The widget for ``item`` at ``path`` (its nested items are added by the page).

    ``allow_files``: attachment items may take a file (never on the patient tablet).
    """
    kind = present(item).kind
    if kind == "attachment":
        widget_class = AttachmentWidget if not allow_files else _FileAttachmentWidget
        return widget_class(item, answers, t, path)
    if kind == "group":
        return GroupWidget(item, answers, t, top, path)
    if item.repeats and kind in ("text", "long-text", "number"):
        return RepeatingTextWidget(item, answers, t, path)
    if kind in ("display", "help"):
        return DisplayWidget(item, answers, t, kind == "help", path)
    return QUESTION_WIDGETS[kind](item, answers, t, path)


def is_anchor(item: Item) -> bool:
    """Display items that a scale shows as its end labels."""
    return item.type == "display" and item.item_control in ("lower", "upper")
