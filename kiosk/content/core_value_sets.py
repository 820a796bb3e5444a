"""The value sets answerValueSet is resolved from when a form does not contain them.

FHIR R4's core value sets ship with the kiosk (``value_sets/fhir-r4-core.json``: 1,074
expansions made by ``scripts/core_value_sets.py`` from FHIR R4 4.0.1's own definition files,
CC0). A clinic adds its own in a folder — ValueSet, CodeSystem or Bundle ``*.json`` files and
FHIR packages (``*.tgz``) — given with ``--value-sets DIR`` or ``$KIOSK_VALUE_SETS``; the
clinic's win over the core ones for the same URL.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kiosk.questionnaire.value_sets import ValueSetLibrary

ENVIRONMENT = "KIOSK_VALUE_SETS"


@lru_cache(maxsize=1)
def core_value_sets() -> ValueSetLibrary:
    """FHIR R4's core value sets shipped in ``kiosk/content/value_sets/`` (read once)."""
    library = ValueSetLibrary()
    folder = resources.files("kiosk.content") / "value_sets"
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        if node.name.endswith(".json"):
            library.add(json.loads(node.read_text(encoding="utf-8")), node.name)
    return library


@lru_cache(maxsize=4)
def _clinic(folder: str) -> ValueSetLibrary:
    library = ValueSetLibrary(parent=core_value_sets())
    library.add_folder(folder)
    return library


def standard_value_sets(clinic_folder: str | Path | None = None) -> ValueSetLibrary:
    """The clinic's value sets (``clinic_folder``, else ``$KIOSK_VALUE_SETS``, if any) in
    front of FHIR's core ones."""
    folder = clinic_folder or os.environ.get(ENVIRONMENT) or None
    if folder is None:
        return core_value_sets()
    return _clinic(str(Path(folder).resolve()))
