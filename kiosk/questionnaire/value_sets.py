"""answerValueSet resolved from the questionnaire's contained ValueSets.

The kiosk has no terminology server: a value set that is not in the file cannot be
expanded, and the item falls back to free text (the load report says so).
"""

from __future__ import annotations

from typing import Any

from kiosk.questionnaire.values import Coding


def contained_value_sets(questionnaire: dict[str, Any]) -> dict[str, list[Coding]]:
    """Map '#id' and canonical url (with and without |version) to the codings they hold."""
    found: dict[str, list[Coding]] = {}
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


def _codings(value_set: dict[str, Any]) -> list[Coding]:
    expansion = value_set.get("expansion") or {}
    if expansion.get("contains"):
        result: list[Coding] = []
        _walk_contains(expansion["contains"], result)
        return result
    result = []
    for include in (value_set.get("compose") or {}).get("include", []) or []:
        system = str(include.get("system", ""))
        for concept in include.get("concept", []) or []:
            result.append(Coding(system, str(concept.get("code", "")),
                                 str(concept.get("display", ""))))
    return result


def _walk_contains(contains: list[dict[str, Any]], into: list[Coding]) -> None:
    for entry in contains:
        if entry.get("code") and not entry.get("abstract", False):
            into.append(Coding(str(entry.get("system", "")), str(entry["code"]),
                               str(entry.get("display", ""))))
        _walk_contains(entry.get("contains", []) or [], into)
