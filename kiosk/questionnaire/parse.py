"""Reading a Questionnaire's JSON into :mod:`kiosk.questionnaire.model` objects.

Structural faults that make a form unusable raise :class:`QuestionnaireError` with the
file, the place and the reason. Faults that real published forms carry (a reused linkId,
an item with no text, an extension from a later FHIR version, an unknown value set) are
accepted and recorded as :class:`LoadNote`s for the load report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from kiosk.questionnaire import extensions as ext
from kiosk.questionnaire.limits import MAX_DEPTH, MAX_ITEMS, check_shape
from kiosk.questionnaire.model import (
    ITEM_TYPES,
    OPERATORS,
    AnswerOption,
    Constraint,
    EnableWhen,
    Item,
    LoadNote,
    OptionToggle,
    Questionnaire,
    QuestionnaireError,
)
from kiosk.questionnaire.rich_text import markdown_to_text, xhtml_to_text
from kiosk.questionnaire.value_sets import ValueSetLibrary, contained_value_sets
from kiosk.questionnaire.values import AnswerValue, Coding, Quantity, parse_typed_value

#: launchContext names the kiosk provides (see kiosk.questionnaire.launch)
LAUNCH_NAMES = {"patient"}


def load_questionnaire(path: str | Path, language: str = "en",
                       value_sets: ValueSetLibrary | None = None) -> Questionnaire:
    """Read and parse a Questionnaire JSON file; texts in ``language`` where translated;
    answerValueSets not in the file are looked up in ``value_sets``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuestionnaireError(str(path), "file", f"cannot be read ({exc.strerror})") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = (f"line {exc.lineno} column {exc.colno}"
                 if isinstance(exc, json.JSONDecodeError) else "file")
        raise QuestionnaireError(str(path), where, f"not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise QuestionnaireError(str(path), "file", "nested too deeply to read") from exc
    return parse_questionnaire(data, source=str(path), language=language, value_sets=value_sets)


class _Parser:
    def __init__(self, data: dict[str, Any], source: str, language: str,
                 value_sets: ValueSetLibrary | None = None) -> None:
        self.source = source
        self.language = language
        self.notes: list[LoadNote] = []
        self.keys: dict[str, int] = {}  # fhir linkId -> times seen
        self.count = 0  # items read so far
        self.place = "questionnaire"  # where reading is, for an unexpected fault
        self.value_sets = contained_value_sets(data, value_sets)
        self.searched = value_sets is not None

    def list_of(self, raw: dict[str, Any], key: str, where: str) -> list[Any]:
        found = raw.get(key)
        if found is None:
            return []
        if not isinstance(found, list):
            raise self.fail(f"{where} {key}", f"expected a list, got {type(found).__name__}")
        return found

    def fail(self, where: str, problem: str) -> QuestionnaireError:
        return QuestionnaireError(self.source, where, problem)

    def note(self, link_id: str, feature: str, handling: str) -> None:
        self.notes.append(LoadNote(link_id, feature, handling))

    # -- items ------------------------------------------------------------------------------
    def item(self, raw: Any, where: str, parent: Item | None, depth: int = 1) -> Item:
        if not isinstance(raw, dict):
            raise self.fail(where, "expected an object")
        self.place = where
        self.list_of(raw, "extension", where)
        if depth > MAX_DEPTH:
            raise self.fail(where, f"items nested more than {MAX_DEPTH} deep: more than the "
                            "kiosk accepts")
        self.count += 1
        if self.count > MAX_ITEMS:
            raise self.fail(where, f"more than the {MAX_ITEMS} items the kiosk accepts in one "
                            "form; split it into several questionnaires")
        fhir_link_id = raw.get("linkId")
        if not isinstance(fhir_link_id, str) or not fhir_link_id:
            if raw.get("type") not in ("group", "display"):
                raise self.fail(where, "linkId is missing")
            # A group or display holds no answer of its own (LHC-Forms shows such forms:
            # its matrix tests misspell it "lindId"): named by its place in the form.
            fhir_link_id = where
            self.note(where, "linkId is missing",
                      f"the kiosk names it '{where}', and so does the response")
        where = f"{where} ({fhir_link_id})"
        item_type = raw.get("type")
        if item_type not in ITEM_TYPES:
            raise self.fail(where, f"unknown item type {item_type!r}")
        seen = self.keys.get(fhir_link_id, 0)
        self.keys[fhir_link_id] = seen + 1
        link_id = fhir_link_id if not seen else f"{fhir_link_id}~{seen + 1}"
        if seen:
            self.note(fhir_link_id, "linkId used more than once",
                      "kept apart inside the kiosk; the response repeats the form's linkId")

        item = Item(
            link_id=link_id,
            fhir_link_id=fhir_link_id,
            type=item_type,
            text=self.text(raw),
            prefix=self.text(raw, "prefix"),
            required=bool(raw.get("required", False)),
            repeats=bool(raw.get("repeats", False)),
            read_only=bool(raw.get("readOnly", False)),
            max_length=_int(raw.get("maxLength")),
            enable_behavior=str(raw.get("enableBehavior", "any")),
            parent=parent,
            raw=raw,
        )
        if item.enable_behavior not in ("any", "all"):
            raise self.fail(where, "enableBehavior must be 'any' or 'all'")
        if "enableBehavior" in raw and not raw.get("enableWhen"):
            self.note(link_id, "enableBehavior without enableWhen", "ignored: always enabled")
        if not item.text and item.type != "group":
            self.note(link_id, "item without text", "shown with its linkId as the question")
        rendering = raw.get("_text")
        if isinstance(rendering, dict) and rendering.get("extension"):
            self.text_expression(item, rendering)
        self.extensions(item, raw, where)
        self.answers(item, raw, where)
        conditions = self.list_of(raw, "enableWhen", where)
        for i, condition in enumerate(conditions):
            try:
                item.enable_when.append(self.enable_when(condition, f"{where} enableWhen[{i}]"))
            except QuestionnaireError as exc:
                # One malformed condition (LHC-Forms and Smart Forms load such forms): skip it.
                self.note(link_id, f"enableWhen[{i}] cannot be read ({exc.problem})",
                          "this condition is skipped: the item shows as if it were not there")
        if conditions and not item.enable_when:
            self.note(link_id, "no readable enableWhen condition",
                      "the item is always shown")
        for i, child in enumerate(self.list_of(raw, "item", where)):
            item.items.append(self.item(child, f"{where} item[{i}]", item, depth + 1))
        return item

    def text_expression(self, item: Item, rendering: dict[str, Any]) -> None:
        """A text computed by cqf-expression (SDC dynamic text): FHIRPath is evaluated with
        the form's other expressions; another language is named in the load report."""
        found = ext.find_all(rendering, ext.CQF_EXPRESSION)
        if not found:
            return  # translations, rich text: no computed text
        for extension in found:
            expression = extension.get("valueExpression")
            expression = expression if isinstance(expression, dict) else {}
            text = expression.get("expression")
            language = expression.get("language", "text/fhirpath")
            if language == "text/fhirpath" and isinstance(text, str) and text.strip():
                item.text_expression = text
                return
        self.note(item.link_id, "text computed by cqf-expression in another language than "
                  "FHIRPath", "not computed: the patient sees the form's fixed text"
                  + ("" if item.text else " (none: the linkId)"))

    def text(self, raw: dict[str, Any], key: str = "text") -> str:
        plain = str(raw.get(key) or "")
        rendering = raw.get(f"_{key}")
        if not rendering:
            return plain  # most items: no translation, no rich text
        translated = self.translation(rendering)
        if translated:
            return translated
        xhtml = ext.value(rendering, ext.RENDERING_XHTML)
        if isinstance(xhtml, str) and xhtml.strip():
            return xhtml_to_text(xhtml) or plain
        markdown = ext.value(rendering, ext.RENDERING_MARKDOWN)
        if isinstance(markdown, str) and markdown.strip():
            return markdown_to_text(markdown) or plain
        return plain

    def translation(self, element: dict[str, Any]) -> str:
        """The ``translation`` extension's content for the kiosk's language, if any."""
        if self.language == "":
            return ""
        for translation in ext.find_all(element, ext.TRANSLATION):
            parts = {e.get("url"): e for e in translation.get("extension", []) or []}
            lang = str((parts.get("lang") or {}).get("valueCode", ""))
            content = (parts.get("content") or {}).get("valueString")
            if isinstance(content, str) and lang.split("-")[0] == self.language.split("-")[0]:
                return content
        return ""

    def extensions(self, item: Item, raw: dict[str, Any], where: str) -> None:
        here = ext.Lookup(raw)
        constraint = raw.get("answerConstraint") or here.value(ext.ANSWER_CONSTRAINT)
        if constraint in ("optionsOnly", "optionsOrType", "optionsOrString"):
            item.answer_constraint = constraint
        if not here.by_url:
            return  # no extensions (a quarter of the items of large forms): the defaults
        item.hidden = here.value(ext.HIDDEN) is True
        item.item_control = _text_or_none(here.coding_code(ext.ITEM_CONTROL))
        item.choice_orientation = _text_or_none(here.value(ext.CHOICE_ORIENTATION))
        item.display_category = _text_or_none(here.coding_code(ext.DISPLAY_CATEGORY))
        item.short_text = str(here.value(ext.SHORT_TEXT) or "")
        item.min_length = _int(here.value(ext.MIN_LENGTH))
        item.max_decimal_places = _int(here.value(ext.MAX_DECIMAL_PLACES))
        item.entry_format = here.value(ext.ENTRY_FORMAT)
        for url in ext.VALIDATION_TEXTS:
            message = here.value(url)
            if isinstance(message, str) and message.strip():
                item.validation_text = message.strip()
                break
        regex = here.value(ext.REGEX)
        if isinstance(regex, str):
            self.pattern(item, regex)
        step = here.value(ext.SLIDER_STEP)
        item.slider_step = float(step) if isinstance(step, int | float) else None
        for name, url in (("min_value", ext.MIN_VALUE), ("max_value", ext.MAX_VALUE)):
            found = ext.value_of(here.find(url))
            if found:
                try:
                    setattr(item, name, parse_typed_value(found[0][len("value"):], found[1]))
                except ValueError as exc:
                    raise self.fail(f"{where} {url.rsplit('/', 1)[-1]}", str(exc)) from exc
        unit = here.value(ext.UNIT)
        if isinstance(unit, dict):
            item.units.append(_coding(unit))
        for option in here.find_all(ext.UNIT_OPTION):
            if isinstance(option.get("valueCoding"), dict):
                item.units.append(_coding(option["valueCoding"]))
        item.mime_types = [str(e.get("valueCode")) for e in here.find_all(ext.MIME_TYPE)
                           if e.get("valueCode")]
        size = here.value(ext.MAX_SIZE)
        item.max_size = int(size) if isinstance(size, int | float) else None
        item.calculated_expression = here.expression(ext.CALCULATED_EXPRESSION)
        item.initial_expression = here.expression(ext.INITIAL_EXPRESSION)
        item.enable_when_expression = here.expression(ext.ENABLE_WHEN_EXPRESSION)
        item.answer_expression = here.expression(ext.ANSWER_EXPRESSION)
        for toggle in here.find_all(ext.OPTIONS_TOGGLE_EXPRESSION):
            self.option_toggle(item, toggle, where)
        if here.find(ext.ITEM_POPULATION_CONTEXT) is not None:
            self.note(item.link_id, "itemPopulationContext",
                      "not evaluated (it needs a FHIR server query): the items under it "
                      "are not pre-filled")
        for extension in (here.find_all(ext.TARGET_CONSTRAINT)
                          + here.find_all(ext.QUESTIONNAIRE_CONSTRAINT)):
            self.constraint(item, extension)
        for extension in raw.get("extension", []) or []:
            url = extension.get("url", "") if isinstance(extension, dict) else ""
            url = url if isinstance(url, str) else ""
            if url and url not in ext.UNDERSTOOD and url not in (
                ext.CALCULATED_EXPRESSION, ext.INITIAL_EXPRESSION, ext.ENABLE_WHEN_EXPRESSION,
                ext.VARIABLE, ext.ANSWER_EXPRESSION, ext.OPTIONS_TOGGLE_EXPRESSION,
                ext.ITEM_POPULATION_CONTEXT,
            ):
                self.note(item.link_id, f"extension {url.rsplit('/', 1)[-1]}",
                          ext.ignored_means(url))

    def option_toggle(self, item: Item, extension: dict[str, Any], where: str) -> None:
        options: list[AnswerValue] = []
        expression = ""
        for part in extension.get("extension", []) or []:
            if not isinstance(part, dict):
                continue
            if part.get("url") == "option":
                try:
                    options.append(self.choice_value(part, "value", f"{where} option"))
                except QuestionnaireError as exc:
                    self.note(item.link_id, f"answerOptionsToggleExpression option "
                              f"({exc.problem})", "that option is always offered")
            elif part.get("url") == "expression":
                found = part.get("valueExpression")
                if isinstance(found, dict) and isinstance(found.get("expression"), str):
                    expression = found["expression"]
        if options and expression:
            item.option_toggles.append(OptionToggle(tuple(options), expression))
        else:
            self.note(item.link_id, "answerOptionsToggleExpression without options or an "
                      "expression", "ignored: its options are always offered")

    def launch_context(self, extension: dict[str, Any]) -> None:
        """SDC launchContext: the kiosk gives ``%patient`` (from check-in); others it lacks."""
        name = ""
        for part in extension.get("extension", []) or []:
            if isinstance(part, dict) and part.get("url") == "name":
                coding = part.get("valueCoding")
                name = str(coding.get("code", "")) if isinstance(coding, dict) \
                    else str(part.get("valueId") or part.get("valueCode") or "")
        if name and name not in LAUNCH_NAMES:
            self.note("", f"launchContext %{name}",
                      f"the kiosk has no {name}: expressions that use %{name} give no value "
                      "and the answers they would pre-fill stay empty")

    def constraint(self, item: Item, extension: dict[str, Any]) -> None:
        parts: dict[str, Any] = {}
        for part in extension.get("extension", []) or []:
            if isinstance(part, dict) and isinstance(part.get("url"), str):
                parts[part["url"]] = ext.value_of(part)
        def text(name: str) -> str:
            found = parts.get(name)
            value = found[1] if found else None
            if isinstance(value, dict):  # valueExpression
                value = value.get("expression")
            return value if isinstance(value, str) else ""
        key, expression, human = text("key"), text("expression"), text("human")
        severity = text("severity") or "error"
        if not expression:
            self.note(item.link_id, f"constraint {key or '(no key)'} without an expression",
                      "not checked")
        elif severity != "error":
            self.note(item.link_id, f"constraint {key or '(no key)'} of severity {severity}",
                      "not shown: only errors are checked")
        else:
            item.constraints.append(Constraint(key, expression,
                                               human or "Please check this answer."))

    def pattern(self, item: Item, regex: str) -> None:
        """The regex extension, as a plain pattern the whole answer must match or as FHIRPath
        ``matches('...')`` (Smart Forms' style), which matches anywhere unless anchored."""
        written = _fhirpath_matches(regex)
        pattern = regex if written is None else written
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            self.note(item.link_id, f"regex {regex[:60]!r} is not a valid pattern ({exc})",
                      "answers are not checked against it")
            return
        item.regex = pattern
        item.regex_anywhere = written is not None

    def answers(self, item: Item, raw: dict[str, Any], where: str) -> None:
        for i, option in enumerate(self.list_of(raw, "answerOption", where)):
            item.options.append(self.option(option, f"{where} answerOption[{i}]"))
        value_set = raw.get("answerValueSet")
        if isinstance(value_set, str) and value_set:
            item.answer_value_set = value_set
            concepts = self.value_sets.expand(value_set)
            if concepts:
                item.options = [AnswerOption(c, ordinal=o) for c, o in concepts]
            elif not item.options:
                if self.value_sets.knows(value_set):
                    where_set = "cannot be listed without a terminology server"
                elif self.searched:
                    where_set = ("was not found (not in the file, not among FHIR's core value "
                                 "sets or the clinic's value sets)")
                else:
                    where_set = "is not in the file"
                self.note(item.link_id, f"answerValueSet {value_set} {where_set}",
                          "options dropped: the patient types the answer instead, so it has "
                          "no code and a score or rule that reads the code misses it")
        for i, initial in enumerate(self.list_of(raw, "initial", where)):
            if isinstance(initial, dict):
                value = self.choice_value(initial, "value", f"{where} initial[{i}]")
                if isinstance(value, Quantity) and value.value is None:
                    # A unit with no number: the unit to offer first, not an answer.
                    if value.unit or value.code:
                        item.units.insert(0, Coding(value.system, value.code, value.unit))
                    continue
                item.initial.append(value)

    def option(self, raw: Any, where: str) -> AnswerOption:
        if not isinstance(raw, dict):
            raise self.fail(where, "expected an object")
        ordinal = ext.value(raw, ext.ORDINAL_VALUE)
        if ordinal is None:
            ordinal = ext.value(raw, ext.ITEM_WEIGHT)
        value = self.choice_value(raw, "value", where)
        if isinstance(value, Coding) and isinstance(raw.get("valueCoding"), dict):
            translated = self.translation(raw["valueCoding"].get("_display") or {})
            if translated:
                value = Coding(value.system, value.code, translated)
        return AnswerOption(
            value=value,
            exclusive=ext.value(raw, ext.OPTION_EXCLUSIVE) is True,
            initial_selected=bool(raw.get("initialSelected", False)),
            ordinal=float(ordinal) if isinstance(ordinal, int | float) else None,
        )

    def enable_when(self, raw: Any, where: str) -> EnableWhen:
        if not isinstance(raw, dict):
            raise self.fail(where, "expected an object")
        question = raw.get("question")
        operator = raw.get("operator")
        if not isinstance(question, str):
            raise self.fail(where, "question is missing")
        if operator not in OPERATORS:
            raise self.fail(where, f"unknown operator {operator!r}")
        return EnableWhen(question, operator, self.choice_value(raw, "answer", where))

    def choice_value(self, raw: dict[str, Any], prefix: str, where: str) -> AnswerValue:
        """The value of a FHIR choice element such as ``value[x]`` or ``answer[x]``."""
        for key, value in raw.items():
            if key.startswith(prefix) and key != prefix and not key.startswith("_"):
                try:
                    return parse_typed_value(key[len(prefix):], value)
                except ValueError as exc:
                    raise self.fail(where, str(exc)) from exc
        raise self.fail(where, f"{prefix}[x] is missing")


def parse_questionnaire(data: Any, source: str = "<memory>", language: str = "en",
                        value_sets: ValueSetLibrary | None = None) -> Questionnaire:
    """The Questionnaire in ``data``; answerValueSets not contained in it are looked up in
    ``value_sets`` (e.g. ``kiosk.content.core_value_sets.standard_value_sets()``)."""
    if not isinstance(data, dict) or data.get("resourceType") != "Questionnaire":
        raise QuestionnaireError(source, "resourceType", 'expected "Questionnaire"')
    items_json = data.get("item", [])
    if not isinstance(items_json, list):
        raise QuestionnaireError(source, "item", "expected a list of items")
    try:
        parser = _Parser(data, source, language, value_sets)
    except (TypeError, AttributeError, ValueError, KeyError) as exc:
        raise QuestionnaireError(source, "contained", f"cannot be read ({exc})") from exc
    try:
        items = [parser.item(raw, f"item[{i}]", None) for i, raw in enumerate(items_json)]
    except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
        if isinstance(exc, QuestionnaireError):
            raise
        # A value of a type the form's structure does not allow: say where, never a traceback.
        raise QuestionnaireError(source, parser.place,
                                 f"a value of the wrong type or shape ({exc})") from exc
    except RecursionError as exc:
        raise QuestionnaireError(source, parser.place, "nested too deeply to read") from exc
    extensions = data.get("extension", []) or []
    for extension in extensions if isinstance(extensions, list) else []:
        url = extension.get("url", "") if isinstance(extension, dict) else ""
        url = url if isinstance(url, str) else ""
        if url == ext.LAUNCH_CONTEXT:
            parser.launch_context(extension)
        elif url and url not in ext.UNDERSTOOD and url != ext.VARIABLE:
            parser.note("", f"extension {url.rsplit('/', 1)[-1]}", ext.ignored_means(url))
    questionnaire = Questionnaire(
        url=str(data.get("url", "")),
        version=str(data.get("version", "")),
        title=str(data.get("title") or data.get("name") or ""),
        items=items,
        source=source,
        notes=parser.notes,
        raw=data,
    )
    for item in questionnaire.walk():
        for condition in item.enable_when:
            if not questionnaire.has_item(condition.question):
                raise QuestionnaireError(
                    source,
                    f"item {item.fhir_link_id!r} enableWhen",
                    f"refers to unknown question {condition.question!r}",
                )
    library = value_sets
    while library is not None:
        for problem in library.problems:
            parser.note("", f"value set file {problem}",
                        "skipped: the value sets in it are not offered as answers")
        library = library.parent
    questionnaire.notes.extend(check_shape(questionnaire))
    return questionnaire


_MATCHES = re.compile(r"^\s*(?:(?:\$this|%this|value)\s*\.\s*)?"
                      r"matches\(\s*'((?:[^'\\]|\\.)*)'\s*\)\s*$")
_FHIRPATH_ESCAPES = {"'": "'", '"': '"', "`": "`", "\\": "\\", "/": "/", "f": "\f", "n": "\n",
                     "r": "\r", "t": "\t"}


def _fhirpath_matches(text: str) -> str | None:
    """The pattern inside ``matches('...')``, its FHIRPath string escapes undone."""
    found = _MATCHES.match(text)
    if found is None:
        return None
    return re.sub(r"\\(.)", lambda m: _FHIRPATH_ESCAPES.get(m.group(1), "\\" + m.group(1)),
                  found.group(1))


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _coding(raw: dict[str, Any]) -> Coding:
    return Coding(str(raw.get("system", "")), str(raw.get("code", "")), str(raw.get("display", "")))
