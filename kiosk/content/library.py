"""Loads every content file once at start-up and turns it into typed objects."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from kiosk.content.catalogue import Catalogue, check_against, parse_catalogue
from kiosk.content.core_value_sets import ENVIRONMENT as VALUE_SETS_ENVIRONMENT
from kiosk.content.core_value_sets import standard_value_sets
from kiosk.content.errors import ContentError
from kiosk.content.flag_rules import FlagRule, parse_rules
from kiosk.content.procedures import METADATA_VALUES, Procedure, parse_procedure
from kiosk.content.teach_back import TeachBack, parse_teach_back
from kiosk.questionnaire import Questionnaire, parse_questionnaire

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class ClinicSettings:
    clinic_name: str
    idle_timeout_seconds: int
    idle_warning_seconds: int
    staff_idle_timeout_seconds: int


@dataclass(frozen=True)
class ContentLibrary:
    clinic: ClinicSettings
    catalogues: dict[str, Catalogue]
    procedures: tuple[Procedure, ...]
    questionnaires: dict[str, Questionnaire]  # the one form, parsed once per language
    flag_rules: tuple[FlagRule, ...]
    teach_back: TeachBack

    @property
    def questionnaire(self) -> Questionnaire:
        """The questionnaire in English: what staff, flags and exports read."""
        return self.questionnaires[DEFAULT_LANGUAGE]

    def questionnaire_for(self, language: str) -> Questionnaire:
        return self.questionnaires.get(language) or self.questionnaire

    def procedure(self, procedure_id: str) -> Procedure:
        for procedure in self.procedures:
            if procedure.id == procedure_id:
                return procedure
        raise KeyError(procedure_id)

    def strings(self, language: str) -> Catalogue:
        return self.catalogues.get(language) or self.catalogues[DEFAULT_LANGUAGE]


CONTENT_SCHEMA = 1  # the "schema" of procedure, flag rule and understanding check files
MAX_NESTING = 64  # levels of objects and lists in a content file (the shipped ones use 8)


def _read_json(node: Traversable, source: str) -> Any:
    """A content file's JSON; every way it can be unreadable is one clear ContentError."""
    try:
        raw = node.read_bytes()
    except FileNotFoundError as exc:
        raise ContentError(source, "file", "is missing") from exc
    except OSError as exc:
        raise ContentError(source, "file", f"cannot be read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ContentError(source, f"line {line}, byte {exc.start}",
                           f"not UTF-8 text (byte 0x{raw[exc.start]:02x}; saved as Latin-1 "
                           "or Windows-1252? save the file as UTF-8)") from None
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark some editors write: harmless
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(
            source, f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise ContentError(source, "file", f"nested more than {MAX_NESTING} levels deep") \
            from None
    depth = _nesting(data)
    if depth > MAX_NESTING:
        raise ContentError(source, "file", f"nested {depth} levels deep; content files may "
                                           f"nest at most {MAX_NESTING}")
    return data


def _packaged_strings() -> dict[str, str]:
    node = resources.files("kiosk.content") / "strings" / "en.json"
    return dict(json.loads(node.read_text(encoding="utf-8"))["strings"])


def _nesting(data: Any) -> int:
    """How deep objects and lists nest in ``data`` (without recursion: any depth is safe)."""
    deepest = 0
    todo = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        children: list[Any]
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        todo.extend((child, depth + 1) for child in children)
    return deepest


def _schema(data: Any, source: str) -> Any:
    """``data``, once its ``schema`` says it is written for this kiosk."""
    if isinstance(data, dict) and data.get("schema", CONTENT_SCHEMA) != CONTENT_SCHEMA:
        raise ContentError(source, "schema", f"this kiosk reads content schema "
                                             f"{CONTENT_SCHEMA}, the file says "
                                             f"{data['schema']!r}")
    return data


def _positive_seconds(raw: dict[str, Any], key: str, source: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ContentError(source, key, f"expected a whole number of seconds, got {value!r}")
    if value <= 0:
        raise ContentError(source, key, f"must be more than 0 seconds, got {value}")
    return value


def _clinic(raw: Any, source: str) -> tuple[ClinicSettings, list[str], str]:
    if not isinstance(raw, dict):
        raise ContentError(source, "top level", "expected an object")
    name = raw.get("clinic_name")
    if not isinstance(name, str) or not name.strip():
        raise ContentError(source, "clinic_name", "expected the clinic's name as text")
    clinic = ClinicSettings(
        clinic_name=name,
        idle_timeout_seconds=_positive_seconds(raw, "idle_timeout_seconds", source),
        idle_warning_seconds=_positive_seconds(raw, "idle_warning_seconds", source),
        staff_idle_timeout_seconds=_positive_seconds(raw, "staff_idle_timeout_seconds",
                                                     source),
    )
    procedures = raw.get("procedures")
    if not isinstance(procedures, list) or not procedures or not all(
            isinstance(p, str) and p and "/" not in p and not p.startswith(".")
            for p in procedures):
        raise ContentError(source, "procedures", "expected a non-empty list of procedure ids")
    if len(set(procedures)) != len(procedures):
        raise ContentError(source, "procedures", "a procedure is listed twice")
    questionnaire = raw.get("questionnaire")
    if not isinstance(questionnaire, str) or not questionnaire.endswith(".json") or any(
            part in ("", ".", "..") for part in questionnaire.split("/")):
        raise ContentError(source, "questionnaire",
                           "expected a path inside the content folder, such as "
                           "'questionnaires/preprocedure.json'")
    return clinic, procedures, questionnaire


def load_content(root: Path | Traversable | None = None,
                 value_sets: Path | None = None) -> ContentLibrary:
    """Load the content folder (the packaged ``kiosk/content`` by default). Anything wrong
    in it raises one ContentError naming the file, the place and the problem. The
    questionnaire's answerValueSets are resolved from FHIR's core value sets and the clinic's
    folder ``value_sets`` (or ``$KIOSK_VALUE_SETS``), see :mod:`kiosk.content.core_value_sets`."""
    base = root if root is not None else resources.files("kiosk.content")
    folder = value_sets or os.environ.get(VALUE_SETS_ENVIRONMENT) or None
    if folder is not None and not Path(folder).is_dir():
        raise ContentError(str(folder), "value sets", "is not a folder (--value-sets or "
                           f"${VALUE_SETS_ENVIRONMENT})")
    library = standard_value_sets(folder)
    prefix = "kiosk/content" if root is None else str(root)

    def source(*parts: str) -> str:
        return prefix + "/" + "/".join(parts)

    reading = [source("clinic.json")]  # the file being read, for an unforeseen fault
    try:
        return _load(base, source, reading, library)
    except ContentError:
        raise
    except (TypeError, AttributeError, KeyError, ValueError, IndexError,
            RecursionError) as exc:  # a shape no check foresaw: still a clear refusal
        raise ContentError(reading[-1], "file", f"unexpected content ({type(exc).__name__}: "
                                                f"{str(exc)[:120]})") from None


def _load(base: Path | Traversable, source: Callable[..., str], reading: list[str],
          library: Any) -> ContentLibrary:
    clinic, procedure_ids, questionnaire_path = _clinic(
        _read_json(base / "clinic.json", source("clinic.json")), source("clinic.json"))

    reading.append(source("strings", "en.json"))
    english = parse_catalogue(
        _read_json(base / "strings" / "en.json", source("strings", "en.json")),
        source("strings", "en.json"),
    )
    # The packaged English texts are the keys and placeholders the kiosk's screens use.
    reference = dict(english.strings) if base == resources.files("kiosk.content") else \
        _packaged_strings()
    check_against(english, reference, source("strings", "en.json"))
    catalogues = {DEFAULT_LANGUAGE: english}
    for node in sorted((base / "strings").iterdir(), key=lambda n: n.name):
        if node.name.endswith(".json") and node.name != "en.json":
            where = source("strings", node.name)
            reading.append(where)
            catalogue = parse_catalogue(_read_json(node, where), where, fallback=english)
            check_against(catalogue, reference, where)
            if catalogue.language in catalogues:
                raise ContentError(where, "language",
                                   f"{catalogue.language!r} is already another file's")
            catalogues[catalogue.language] = catalogue

    procedures = []
    for procedure_id in procedure_ids:
        where = source("procedures", f"{procedure_id}.json")
        reading.append(where)
        procedure = parse_procedure(
            _schema(_read_json(base / "procedures" / f"{procedure_id}.json", where), where),
            where
        )
        if procedure.id != procedure_id:
            raise ContentError(where, "id", f"expected {procedure_id!r}, found {procedure.id!r}")
        procedures.append(procedure)

    where = source(*questionnaire_path.split("/"))
    reading.append(where)
    node = base
    for part in questionnaire_path.split("/"):
        node = node / part
    raw_questionnaire = _read_json(node, where)
    questionnaires = {
        language: parse_questionnaire(raw_questionnaire, source=where, language=language,
                                      value_sets=library)
        for language in catalogues
    }
    questionnaire = questionnaires[DEFAULT_LANGUAGE]

    questions = {item.link_id: item for item in questionnaire.walk()}
    rules_where = source("flag_rules.json")
    reading.append(rules_where)
    rules = parse_rules(_schema(_read_json(base / "flag_rules.json", rules_where),
                                rules_where), rules_where,
                        set(questions), questions, METADATA_VALUES)
    checks_where = source("teach_back.json")
    reading.append(checks_where)
    teach_back = parse_teach_back(
        _schema(_read_json(base / "teach_back.json", checks_where), checks_where), checks_where)
    known_checks = {check.id for check in teach_back.checks}
    for rule in rules:
        unknown = sorted(rule.checks() - known_checks)
        if unknown:
            raise ContentError(rules_where, f"rule {rule.id!r}",
                               f"unknown understanding check {unknown}")
    for procedure in procedures:
        for check in teach_back.for_procedure(procedure):
            for language, text in procedure.texts.items():
                if text.page_about(check.topic) is None:
                    raise ContentError(
                        source("procedures", f"{procedure.id}.json"), f"text.{language}.pages",
                        f"no page has topic {check.topic!r} (check {check.id!r} points to it)")
    return ContentLibrary(clinic, catalogues, tuple(procedures), questionnaires, tuple(rules),
                          teach_back)
