"""Loads every content file once at start-up and turns it into typed objects."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from kiosk.content.catalogue import Catalogue, parse_catalogue
from kiosk.content.core_value_sets import ENVIRONMENT as VALUE_SETS_ENVIRONMENT
from kiosk.content.core_value_sets import standard_value_sets
from kiosk.content.errors import ContentError
from kiosk.content.flag_rules import FlagRule, parse_rules
from kiosk.content.procedures import Procedure, parse_procedure
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


def _read_json(node: Traversable, source: str) -> Any:
    try:
        return json.loads(node.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(source, "file", "is missing") from exc
    except json.JSONDecodeError as exc:
        raise ContentError(
            source, f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}"
        ) from exc


def load_content(root: Path | Traversable | None = None,
                 value_sets: Path | None = None) -> ContentLibrary:
    """Load the content folder (the packaged ``kiosk/content`` by default). The
    questionnaire's answerValueSets are resolved from FHIR's core value sets and the clinic's
    folder ``value_sets`` (or ``$KIOSK_VALUE_SETS``), see :mod:`kiosk.content.core_value_sets`."""
    base = root if root is not None else resources.files("kiosk.content")
    folder = value_sets or os.environ.get(VALUE_SETS_ENVIRONMENT) or None
    if folder is not None and not Path(folder).is_dir():
        raise ContentError(str(folder), "value sets", "is not a folder (--value-sets or "
                           f"${VALUE_SETS_ENVIRONMENT})")
    library = standard_value_sets(folder)

    def source(*parts: str) -> str:
        return "kiosk/content/" + "/".join(parts)

    clinic_raw = _read_json(base / "clinic.json", source("clinic.json"))
    try:
        clinic = ClinicSettings(
            clinic_name=str(clinic_raw["clinic_name"]),
            idle_timeout_seconds=int(clinic_raw["idle_timeout_seconds"]),
            idle_warning_seconds=int(clinic_raw["idle_warning_seconds"]),
            staff_idle_timeout_seconds=int(clinic_raw["staff_idle_timeout_seconds"]),
        )
        procedure_ids = [str(p) for p in clinic_raw["procedures"]]
        questionnaire_path = str(clinic_raw["questionnaire"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ContentError(source("clinic.json"), "top level", f"missing or bad {exc}") from exc

    english = parse_catalogue(
        _read_json(base / "strings" / "en.json", source("strings", "en.json")),
        source("strings", "en.json"),
    )
    catalogues = {DEFAULT_LANGUAGE: english}
    for node in sorted((base / "strings").iterdir(), key=lambda n: n.name):
        if node.name.endswith(".json") and node.name != "en.json":
            where = source("strings", node.name)
            catalogue = parse_catalogue(_read_json(node, where), where, fallback=english)
            catalogues[catalogue.language] = catalogue

    procedures = []
    for procedure_id in procedure_ids:
        where = source("procedures", f"{procedure_id}.json")
        procedure = parse_procedure(
            _read_json(base / "procedures" / f"{procedure_id}.json", where), where
        )
        if procedure.id != procedure_id:
            raise ContentError(where, "id", f"expected {procedure_id!r}, found {procedure.id!r}")
        procedures.append(procedure)

    where = source(*questionnaire_path.split("/"))
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

    link_ids = {item.link_id for item in questionnaire.walk()}
    rules_where = source("flag_rules.json")
    rules = parse_rules(_read_json(base / "flag_rules.json", rules_where), rules_where, link_ids)
    checks_where = source("teach_back.json")
    teach_back = parse_teach_back(_read_json(base / "teach_back.json", checks_where), checks_where)
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
