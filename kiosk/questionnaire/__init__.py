"""A Qt-free engine for FHIR R4 Questionnaires."""

from kiosk.questionnaire.answers import AnswerSheet
from kiosk.questionnaire.model import (
    AnswerOption,
    EnableWhen,
    Item,
    LoadNote,
    Questionnaire,
    QuestionnaireError,
)
from kiosk.questionnaire.parse import load_questionnaire, parse_questionnaire
from kiosk.questionnaire.response import build_response
from kiosk.questionnaire.values import AnswerValue, Attachment, Coding, Quantity, display_value

__all__ = [
    "AnswerOption",
    "AnswerSheet",
    "AnswerValue",
    "Attachment",
    "Coding",
    "EnableWhen",
    "Item",
    "LoadNote",
    "Quantity",
    "Questionnaire",
    "QuestionnaireError",
    "build_response",
    "display_value",
    "load_questionnaire",
    "parse_questionnaire",
]
