"""answerValueSet resolved from the questionnaire's contained ValueSets.

The kiosk has no terminology server: a value set that is not in the file cannot be
expanded, and the item falls back to free text (the load report says so).
"""

from __future__ import annotations

from typing import Any

from kiosk.questionnaire.values import Coding

ORDINAL_URLS = ("http://hl7.org/fhir/StructureDefinition/ordinalValue",
                "http://hl7.org/fhir/StructureDefinition/itemWeight")
Concept = tuple[Coding, float | None]  # a coding and its ordinal value (score), if any


def _ordinal(entry: dict[str, Any]) -> float | None:
    for extension in entry.get("extension", []) or []:
        if isinstance(extension, dict) and extension.get("url") in ORDINAL_URLS:
            for key, value in extension.items():
                if key.startswith("value") and isinstance(value, int | float):
                    return float(value)
    return None


def contained_value_sets(questionnaire: dict[str, Any]) -> dict[str, list[Concept]]:
    """Map '#id' and canonical url (with and without |version) to the concepts they hold."""
    found: dict[str, list[Concept]] = {}
    for resource in questionnaire.get("contained", []) or []:
        if not isinstance(resource, dict) or resource.get("resourceType") != "ValueSet":
            continue
        codings = _codings(resource)
        if resource.get("id"):
            found[f"#{resource['id']}"] = codings
        if resource.get("url"):
            found[str(resource["url"])] = codings
            if resource.get("version"):
                found[f"{resource['url']}|{resource['version']}"] = codings
    return found


def _codings(value_set: dict[str, Any]) -> list[Concept]:
    expansion = value_set.get("expansion") or {}
    if expansion.get("contains"):
        result: list[Concept] = []
        _walk_contains(expansion["contains"], result)
        return result
    result = []
    for include in (value_set.get("compose") or {}).get("include", []) or []:
        system = str(include.get("system", ""))
        for concept in include.get("concept", []) or []:
            coding = Coding(system, str(concept.get("code", "")), str(concept.get("display", "")))
            result.append((coding, _ordinal(concept)))
    return result


def _walk_contains(contains: list[dict[str, Any]], into: list[Concept]) -> None:
    for entry in contains:
        if entry.get("code") and not entry.get("abstract", False):
            coding = Coding(str(entry.get("system", "")), str(entry["code"]),
                            str(entry.get("display", "")))
            into.append((coding, _ordinal(entry)))
        _walk_contains(entry.get("contains", []) or [], into)
