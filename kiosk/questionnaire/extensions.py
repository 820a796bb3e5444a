"""Extension URLs the engine understands, and helpers to read them."""

from __future__ import annotations

from typing import Any

HL7 = "http://hl7.org/fhir/StructureDefinition/"
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"

ITEM_CONTROL = HL7 + "questionnaire-itemControl"
MIN_VALUE = HL7 + "minValue"
MAX_VALUE = HL7 + "maxValue"
MIN_LENGTH = HL7 + "minLength"
MAX_DECIMAL_PLACES = HL7 + "maxDecimalPlaces"
REGEX = HL7 + "regex"
ENTRY_FORMAT = HL7 + "entryFormat"
OPTION_EXCLUSIVE = HL7 + "questionnaire-optionExclusive"
HIDDEN = HL7 + "questionnaire-hidden"
CHOICE_ORIENTATION = HL7 + "questionnaire-choiceOrientation"
SLIDER_STEP = HL7 + "questionnaire-sliderStepValue"
UNIT = HL7 + "questionnaire-unit"
UNIT_OPTION = HL7 + "questionnaire-unitOption"
DISPLAY_CATEGORY = HL7 + "questionnaire-displayCategory"
SHORT_TEXT = SDC + "sdc-questionnaire-shortText"
RENDERING_XHTML = HL7 + "rendering-xhtml"
CQF_EXPRESSION = HL7 + "cqf-expression"  # on _text: a text computed by FHIRPath
RENDERING_MARKDOWN = HL7 + "rendering-markdown"
TRANSLATION = HL7 + "translation"
ORDINAL_VALUE = HL7 + "ordinalValue"
ITEM_WEIGHT = HL7 + "itemWeight"
CALCULATED_EXPRESSION = SDC + "sdc-questionnaire-calculatedExpression"
INITIAL_EXPRESSION = SDC + "sdc-questionnaire-initialExpression"
ENABLE_WHEN_EXPRESSION = SDC + "sdc-questionnaire-enableWhenExpression"
ANSWER_EXPRESSION = SDC + "sdc-questionnaire-answerExpression"
OPTIONS_TOGGLE_EXPRESSION = SDC + "sdc-questionnaire-answerOptionsToggleExpression"
LAUNCH_CONTEXT = SDC + "sdc-questionnaire-launchContext"
ITEM_POPULATION_CONTEXT = SDC + "sdc-questionnaire-itemPopulationContext"
VARIABLE = HL7 + "variable"
MIME_TYPE = HL7 + "mimeType"
MAX_SIZE = HL7 + "maxSize"
ANSWER_CONSTRAINT = HL7 + "questionnaire-answerConstraint"
TARGET_CONSTRAINT = HL7 + "targetConstraint"
QUESTIONNAIRE_CONSTRAINT = HL7 + "questionnaire-constraint"
#: the message a form gives for an answer its checks refuse (regex, range, length, decimal
#: places): ResearchKitOnFHIR's (Stanford BDHG, under its three names), CardinalKit's and
#: helsenorge's Questionnaires write it with the same name under their own URLs
VALIDATION_TEXTS = tuple(base + "/fhir/StructureDefinition/validationtext" for base in (
    "http://biodesign.stanford.edu", "http://bdh.stanford.edu", "http://cardinalkit.org",
    "http://ehelse.no"))

#: Extensions read by the engine or deliberately harmless to ignore (styling, metadata).
UNDERSTOOD = {
    ITEM_CONTROL, MIN_VALUE, MAX_VALUE, MIN_LENGTH, MAX_DECIMAL_PLACES, REGEX, ENTRY_FORMAT,
    OPTION_EXCLUSIVE, HIDDEN, CHOICE_ORIENTATION, SLIDER_STEP, UNIT, UNIT_OPTION,
    DISPLAY_CATEGORY, SHORT_TEXT, RENDERING_XHTML, RENDERING_MARKDOWN, TRANSLATION,
    ORDINAL_VALUE, ITEM_WEIGHT, TARGET_CONSTRAINT, ANSWER_CONSTRAINT, QUESTIONNAIRE_CONSTRAINT,
    HL7 + "rendering-style", HL7 + "rendering-styleSensitive", HL7 + "questionnaire-minOccurs",
    HL7 + "questionnaire-maxOccurs", HL7 + "mimeType", HL7 + "maxSize",
    HL7 + "structuredefinition-standards-status", HL7 + "structuredefinition-fmm",
    *VALIDATION_TEXTS,
}


def find(raw: dict[str, Any], url: str) -> dict[str, Any] | None:
    for ext in raw.get("extension", []) or []:
        if isinstance(ext, dict) and ext.get("url") == url:
            return ext
    return None


def find_all(raw: dict[str, Any], url: str) -> list[dict[str, Any]]:
    extensions = raw.get("extension", []) or []
    return [e for e in extensions if isinstance(e, dict) and e.get("url") == url]


def value_of(ext: dict[str, Any] | None) -> tuple[str, Any] | None:
    """``("valueInteger", 3)`` for an extension, or None."""
    if ext is None:
        return None
    for key, value in ext.items():
        if key.startswith("value"):
            return key, value
    return None


def value(raw: dict[str, Any], url: str) -> Any:
    found = value_of(find(raw, url))
    return found[1] if found else None


def coding_code(raw: dict[str, Any], url: str) -> str | None:
    """The first code of a CodeableConcept-valued extension, whatever its system says."""
    ext = find(raw, url)
    if ext is None:
        return None
    concept = ext.get("valueCodeableConcept") or {}
    codings = concept.get("coding") or []
    if codings and isinstance(codings[0], dict):
        return codings[0].get("code")
    if isinstance(ext.get("valueCoding"), dict):
        return ext["valueCoding"].get("code")
    return None


def expression(raw: dict[str, Any], url: str) -> str | None:
    found = value(raw, url)
    if isinstance(found, dict) and isinstance(found.get("expression"), str):
        return found["expression"]
    return None


class Lookup:
    """The extensions of one element, indexed by URL once: :func:`find`, :func:`value` ...
    for an element asked about many URLs (an item's ~25; 20,000 list walks for the
    808-item health check otherwise)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.by_url: dict[Any, list[dict[str, Any]]] = {}
        for extension in raw.get("extension", []) or []:
            if isinstance(extension, dict):
                self.by_url.setdefault(extension.get("url"), []).append(extension)

    def find(self, url: str) -> dict[str, Any] | None:
        found = self.by_url.get(url)
        return found[0] if found else None

    def find_all(self, url: str) -> list[dict[str, Any]]:
        found = self.by_url.get(url)
        return list(found) if found else []

    def value(self, url: str) -> Any:
        found = self.by_url.get(url)  # most URLs asked are absent: one look, no calls
        if not found:
            return None
        for key, value in found[0].items():
            if key.startswith("value"):
                return value
        return None

    def coding_code(self, url: str) -> str | None:
        return coding_code({"extension": self.by_url.get(url, [])[:1]}, url)

    def expression(self, url: str) -> str | None:
        found = self.value(url)
        if isinstance(found, dict) and isinstance(found.get("expression"), str):
            return found["expression"]
        return None


#: what ignoring an extension means for the patient and staff, by the end of its URL
_IGNORED_MEANS = (
    (("templateExtract", "itemExtractionContext", "observationExtract", "definitionExtract",
      "targetStructureMap"),
     "not done: no other FHIR resources are made from the answers (staff get the "
     "QuestionnaireResponse only)"),
    (("sourceQueries", "sourceStructureMap", "itemPopulationContext"),
     "not done (it needs the clinic's FHIR server): nothing is pre-filled from it"),
    (("width", "rendering-style", "choiceColumn", "collapsible", "columnCount",
      "sliderStepValue", "itemMedia", "itemAnswerMedia", "displayCategory", "supportLink"),
     "a layout hint: the kiosk's own layout is used; nothing is lost"),
    (("openLabel",), "the 'other' field has the kiosk's own label"),
    (("entryMode",), "questions are asked page by page in the form's order"),
    (("repopulatable",), "not needed: the kiosk pre-fills once, when the form starts"),
    (("GroupHideAddItemButton",), "'Add another' is still offered on that repeating group"),
    (("assembledFrom", "assemble-expectation", "versionAlgorithm", "structuredefinition-",
      "ContainedResourceReference", "designNote", "questionnaire-usageMode", "performerType",
      "wg", "fmm", "standards-status", "sdc-questionnaire-lookupQuestionnaire"),
     "metadata for authors and tools: nothing is lost"),
)


def ignored_means(url: str) -> str:
    """The load report's words for an extension the kiosk does not act on."""
    name = url.rsplit("/", 1)[-1]
    for names, meaning in _IGNORED_MEANS:
        if any(part in name for part in names):
            return f"ignored: {meaning}"
    return "ignored: the form is shown without it (it may change how the authors meant a " \
           "question to look or behave; try the form with `kiosk.ui.form_runner`)"
