"""How the kiosk shows each item: one decision, used by the widgets and the load report.

Kept Qt-free so that ``python -m kiosk check`` reports exactly what the screen will do.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.questionnaire.model import Item, LoadNote
from kiosk.questionnaire.values import Coding

SCALE_MAX_STEPS = 11

GROUP_CONTROLS = {"list", "table", "htable", "gtable", "grid", "header", "footer", "page",
                  "tab-container"}
DISPLAY_CONTROLS = {"inline", "prompt", "unit", "lower", "upper", "flyover", "help", "legal"}
QUESTION_CONTROLS = {"autocomplete", "drop-down", "check-box", "lookup", "radio-button",
                     "slider", "spinner", "text-box"}


#: UCUM codes as a patient reads them, for units a form gives with no display
UCUM_WORDS = {"mm[Hg]": "mmHg", "[in_i]": "in", "[ft_i]": "ft", "[lb_av]": "lb",
              "[oz_av]": "oz", "Cel": "°C", "[degF]": "°F", "kg/m2": "kg/m²", "/min": "per minute",
              "{beats}/min": "beats per minute", "/d": "per day", "/wk": "per week",
              "h": "hours", "min": "minutes", "d": "days", "wk": "weeks", "mo": "months",
              "a": "years", "%": "%"}


def unit_text(unit: Coding) -> str:
    """A unit's words: the form's display, else its code; either made readable when it is
    written as UCUM (forms often put ``mm[Hg]`` in the display)."""
    text = unit.display or unit.code
    return UCUM_WORDS.get(text, text.replace("{", "").replace("}", "") if text != "{}" else "")


@dataclass(frozen=True)
class Presentation:
    kind: str
    notes: tuple[LoadNote, ...] = ()


def _is_scale(item: Item) -> bool:
    if item.type != "integer" or item.min_value is None or item.max_value is None:
        return False
    try:
        steps = (int(item.max_value) - int(item.min_value)) / (item.slider_step or 1)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return 0 < steps < SCALE_MAX_STEPS


def present(item: Item) -> Presentation:
    notes: list[LoadNote] = []

    def note(feature: str, handling: str) -> None:
        notes.append(LoadNote(item.link_id, feature, handling))

    known = (GROUP_CONTROLS if item.type == "group" else
             DISPLAY_CONTROLS if item.type == "display" else QUESTION_CONTROLS)
    if item.item_control and item.item_control not in known:
        note(f"itemControl '{item.item_control}'", "unknown here: the type's usual widget is used")
    if (item.required and item.is_question and (item.read_only or item.hidden)
            and not (item.initial or item.initial_expression or item.calculated_expression
                     or any(o.initial_selected for o in item.options))):
        note("required, but read-only or hidden with nothing to fill it",
             "the patient cannot answer it and is not stopped; a response without it is "
             "sent as in-progress, not completed")
    if item.repeats and item.type in ("date", "dateTime", "time", "quantity", "attachment"):
        note("repeating answer", "one answer only in this version")

    match item.type:
        case "group":
            kind = "group"
        case "display":
            kind = "help" if item.is_help else "display"
        case "boolean":
            kind = "boolean"
        case "choice" | "open-choice" if item.options or item.answer_expression:
            kind = "open-choice" if item.type == "open-choice" else "choice"
        case "string" | "integer" | "date" | "time" if item.options or item.answer_expression:
            kind = "choice"  # answerOption on a primitive type: the same buttons
            if item.answer_constraint in ("optionsOrString", "optionsOrType"):
                if item.type == "string":
                    kind = "open-choice"
                else:
                    note(f"answerConstraint {item.answer_constraint}",
                         "only the listed options can be chosen (no other value typed)")
        case "choice" | "open-choice":
            kind = "text"  # no options the kiosk can list (value set not in the file)
        case "integer" if _is_scale(item):
            kind = "scale"
        case "integer" | "decimal":
            kind = "number"
        case "string" | "url" | "question":
            if item.answer_constraint == "optionsOnly" and item.answer_value_set:
                note("answerConstraint optionsOnly", "the value set cannot be listed here: "
                     "any text is accepted; staff should check the answer")
            kind = "text"
        case "text":
            kind = "long-text"
        case "date":
            kind = "date"
        case "dateTime":
            kind = "datetime"
        case "time":
            kind = "time"
        case "quantity":
            kind = "quantity"
        case "attachment":
            kind = "attachment"
            note("attachment", "no files on the patient tablet (the patient is told so); "
                 "the form runner takes a photo or file; never blocks Next")
        case "reference":
            kind = "reference"
            note("reference", "typed as free text, and the screen says so "
                 "(no record look-up on the kiosk)")
        case _:
            kind = "unsupported"
    return Presentation(kind, tuple(notes))
