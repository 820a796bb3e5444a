"""How the kiosk shows each item: one decision, used by the widgets and the load report.

Kept Qt-free so that ``python -m kiosk check`` reports exactly what the screen will do.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.questionnaire.model import Item, LoadNote

SCALE_MAX_STEPS = 11

GROUP_CONTROLS = {"list", "table", "htable", "gtable", "grid", "header", "footer", "page",
                  "tab-container"}
DISPLAY_CONTROLS = {"inline", "prompt", "unit", "lower", "upper", "flyover", "help", "legal"}
QUESTION_CONTROLS = {"autocomplete", "drop-down", "check-box", "lookup", "radio-button",
                     "slider", "spinner", "text-box"}


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
