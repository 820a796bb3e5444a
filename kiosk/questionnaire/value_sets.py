"""answerValueSet resolved without a terminology server.

A canonical URL is looked up in the questionnaire's contained ValueSets first, then in a
:class:`ValueSetLibrary`: FHIR R4's core value sets that the kiosk ships (see
``kiosk.content.core_value_sets``) and the clinic's own ValueSet / CodeSystem files or FHIR
packages (``package.tgz`` of an implementation guide). A value set is expanded here from its
``expansion``, or from ``compose`` when that lists concepts, names whole code systems the
library holds, or other such value sets; filters need a terminology server and are not
expanded. What still cannot be resolved is answered as free text (the load report says so).
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.questionnaire.values import Coding

ORDINAL_URLS = ("http://hl7.org/fhir/StructureDefinition/ordinalValue",
                "http://hl7.org/fhir/StructureDefinition/itemWeight")
Concept = tuple[Coding, float | None]  # a coding and its ordinal value (score), if any
MAX_PACKAGE_FILE = 20_000_000  # bytes: larger members of a package are not read
MAX_DEPTH = 10  # value sets including value sets including ...


class CannotExpand(Exception):
    """A value set that needs a terminology server (a filter, a code system not held)."""


def _ordinal(entry: dict[str, Any]) -> float | None:
    for extension in entry.get("extension", []) or []:
        if isinstance(extension, dict) and extension.get("url") in ORDINAL_URLS:
            for key, value in extension.items():
                if key.startswith("value") and isinstance(value, int | float):
                    return float(value)
    return None


@dataclass
class ValueSetLibrary:
    """ValueSets and CodeSystems by canonical URL, with where each came from."""

    value_sets: dict[str, dict[str, Any]] = field(default_factory=dict)
    code_systems: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: files that could not be read, as 'file: problem' (for the load report and the log)
    problems: list[str] = field(default_factory=list)
    _expanded: dict[str, list[Concept] | None] = field(default_factory=dict, repr=False)
    parent: ValueSetLibrary | None = None  # looked in when a URL is not here

    def add(self, resource: Any, source: str = "") -> int:
        """Add a ValueSet, a CodeSystem, or every one in a Bundle; returns how many."""
        if not isinstance(resource, dict):
            return 0
        kind = resource.get("resourceType")
        if kind == "Bundle":
            return sum(self.add(entry.get("resource"), source)
                       for entry in resource.get("entry", []) or [] if isinstance(entry, dict))
        url = resource.get("url")
        if not isinstance(url, str) or not url:
            return 0
        store = (self.value_sets if kind == "ValueSet" else
                 self.code_systems if kind == "CodeSystem" else None)
        if store is None:
            return 0
        store[url] = resource
        if isinstance(resource.get("version"), str) and resource["version"]:
            store[f"{url}|{resource['version']}"] = resource
        self._expanded.clear()
        return 1

    def add_folder(self, folder: str | Path) -> int:
        """Every ``*.json`` (ValueSet, CodeSystem or Bundle) and ``*.tgz`` (FHIR package) in
        ``folder`` and below; files that cannot be read are named in :attr:`problems`."""
        folder = Path(folder)
        if not folder.is_dir():
            self.problems.append(f"{folder}: not a folder")
            return 0
        count = 0
        for path in sorted(folder.rglob("*")):
            if path.suffix == ".json" and path.is_file():
                try:
                    count += self.add(json.loads(path.read_text(encoding="utf-8")), str(path))
                except (OSError, ValueError, RecursionError) as exc:
                    self.problems.append(f"{path}: cannot be read ({type(exc).__name__})")
            elif path.name.endswith((".tgz", ".tar.gz")) and path.is_file():
                count += self.add_package(path)
        return count

    def add_package(self, path: str | Path) -> int:
        """The ValueSets and CodeSystems of a FHIR package (``package/*.json`` in a .tgz)."""
        count = 0
        try:
            with tarfile.open(path, "r:gz") as archive:
                for member in archive:
                    if (not member.isfile() or not member.name.endswith(".json")
                            or member.size > MAX_PACKAGE_FILE):
                        continue
                    name = member.name.rsplit("/", 1)[-1]
                    if not name.startswith(("ValueSet", "CodeSystem", "Bundle")):
                        continue
                    handle = archive.extractfile(member)
                    if handle is None:
                        continue
                    try:
                        count += self.add(json.loads(handle.read().decode("utf-8")),
                                          f"{path}:{member.name}")
                    except (ValueError, RecursionError):
                        self.problems.append(f"{path}:{member.name}: not valid JSON")
        except (OSError, tarfile.TarError, EOFError) as exc:
            self.problems.append(f"{path}: not a readable FHIR package ({type(exc).__name__})")
        return count

    def expand(self, url: str) -> list[Concept] | None:
        """The concepts of the value set at ``url`` (``url|version`` too), or None."""
        if url in self._expanded:
            return self._expanded[url]
        try:
            found: list[Concept] | None = self._expand(url, 0)
        except CannotExpand:
            found = None
        if found is None and self.parent is not None:
            found = self.parent.expand(url)
        self._expanded[url] = found
        return found

    def knows(self, url: str) -> bool:
        """Whether the value set is here at all (perhaps only as something not expandable)."""
        return (url in self.value_sets or url.split("|")[0] in self.value_sets
                or (self.parent is not None and self.parent.knows(url)))

    def _expand(self, url: str, depth: int) -> list[Concept] | None:
        value_set = self.value_sets.get(url) or self.value_sets.get(url.split("|")[0])
        if value_set is None:
            return None
        if depth > MAX_DEPTH:
            raise CannotExpand(url)
        expansion = value_set.get("expansion") or {}
        if isinstance(expansion, dict) and expansion.get("contains"):
            result: list[Concept] = []
            _walk_contains(expansion["contains"], result)
            return result
        compose = value_set.get("compose") or {}
        if not isinstance(compose, dict):
            raise CannotExpand(url)
        concepts: list[Concept] = []
        for include in compose.get("include", []) or []:
            concepts.extend(self._part(include, depth))
        excluded: set[tuple[str, str]] = set()
        for exclude in compose.get("exclude", []) or []:
            excluded |= {(c.system, c.code) for c, _ in self._part(exclude, depth)}
        seen: set[tuple[str, str]] = set()
        result = []
        for coding, ordinal in concepts:
            key = (coding.system, coding.code)
            if key not in excluded and key not in seen:
                seen.add(key)
                result.append((coding, ordinal))
        return result

    def _part(self, include: Any, depth: int) -> list[Concept]:
        if not isinstance(include, dict) or include.get("filter"):
            raise CannotExpand("filter")
        found: list[Concept] | None = None
        for url in include.get("valueSet", []) or []:
            codes = self._expand(str(url), depth + 1)
            if codes is None and self.parent is not None:
                codes = self.parent.expand(str(url))
            if codes is None:
                raise CannotExpand(str(url))
            found = codes if found is None else [c for c in found if c in codes]
        system = include.get("system")
        if not isinstance(system, str) or not system:
            return found or []
        code_system = self._code_system(system, include.get("version"))
        if include.get("concept"):
            known = {c.code: (c, o) for c, o in _system_concepts(code_system)} \
                if code_system else {}
            concepts = []
            for concept in include["concept"]:
                code = str(concept.get("code", ""))
                held = known.get(code)
                display = str(concept.get("display") or (held[0].display if held else code))
                ordinal = _ordinal(concept)
                concepts.append((Coding(system, code, display),
                                 ordinal if ordinal is not None else (held[1] if held else None)))
        else:
            if code_system is None or code_system.get("content", "complete") != "complete":
                raise CannotExpand(system)
            concepts = _system_concepts(code_system)
        if found is not None:
            keys = {(c.system, c.code) for c, _ in found}
            concepts = [c for c in concepts if (c[0].system, c[0].code) in keys]
        return concepts

    def _code_system(self, url: str, version: Any) -> dict[str, Any] | None:
        library: ValueSetLibrary | None = self
        while library is not None:
            found = (library.code_systems.get(f"{url}|{version}") if version else None) \
                or library.code_systems.get(url)
            if found is not None:
                return found
            library = library.parent
        return None


def _system_concepts(code_system: dict[str, Any]) -> list[Concept]:
    system = str(code_system.get("url", ""))
    found: list[Concept] = []

    def walk(concepts: Iterable[Any]) -> None:
        for concept in concepts:
            if not isinstance(concept, dict):
                continue
            properties = {p.get("code"): p for p in concept.get("property", []) or []
                          if isinstance(p, dict)}
            hidden = ((properties.get("notSelectable") or {}).get("valueBoolean") is True
                      or (properties.get("abstract") or {}).get("valueBoolean") is True
                      or (properties.get("status") or {}).get("valueCode")
                      in ("deprecated", "retired"))
            if concept.get("code") and not hidden:
                code = str(concept["code"])
                found.append((Coding(system, code, str(concept.get("display") or code)),
                              _ordinal(concept)))
            walk(concept.get("concept", []) or [])

    walk(code_system.get("concept", []) or [])
    return found


def contained_value_sets(questionnaire: dict[str, Any],
                         library: ValueSetLibrary | None = None) -> ValueSetLibrary:
    """The questionnaire's contained ValueSets (by '#id' and canonical url, with and without
    |version), in front of ``library``."""
    found = ValueSetLibrary(parent=library)
    for resource in questionnaire.get("contained", []) or []:
        if not isinstance(resource, dict) or resource.get("resourceType") not in (
                "ValueSet", "CodeSystem"):
            continue
        found.add(resource)
        if resource.get("id") and resource.get("resourceType") == "ValueSet":
            found.value_sets[f"#{resource['id']}"] = resource
    return found


def _walk_contains(contains: list[dict[str, Any]], into: list[Concept]) -> None:
    for entry in contains:
        if entry.get("code") and not entry.get("abstract", False):
            coding = Coding(str(entry.get("system", "")), str(entry["code"]),
                            str(entry.get("display", "")))
            into.append((coding, _ordinal(entry)))
        _walk_contains(entry.get("contains", []) or [], into)
