"""fhirpathpy imported without its parser until an expression must be parsed.

``import fhirpathpy`` loads its ANTLR lexer and parser (``fhirpathpy/__init__.py`` imports
``fhirpathpy.parser``), and the lexer deserialises its state machine at import: about
110 ms of the 135 ms the import costs, on every form start. But most expressions are read
by the kiosk's own parser (:mod:`kiosk.questionnaire.fhirpath_parser`), and what it leaves
has its ANTLR tree on disk once seen (:mod:`kiosk.questionnaire.parse_cache`).
:func:`fhirpathpy_engine` therefore imports fhirpathpy with a stand-in for
``fhirpathpy.parser`` whose ``parse`` loads the real module at its first call (the first
expression left to ANTLR and not on disk); evaluation (``apply_parsed_path``, the engine's nodes) is
the real fhirpathpy. Where fhirpathpy was already imported the normal way (a test that
compares with it), that import is used as it is.

fhirpathpy is pinned (pyproject.toml); ``tests/questionnaire/test_fhirpath_import.py``
checks the stand-in stays in place for a cached form and that parsing works through it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import threading
import types
from typing import Any

PARSER = "fhirpathpy.parser"
_LOCK = threading.RLock()


def _deferred_parse(value: str) -> Any:
    """fhirpathpy's ``parse``, loading the parser first (the stand-in's ``parse``)."""
    return real_parser().parse(value)


def parser_loaded() -> bool:
    """Whether fhirpathpy's real parser module (with ANTLR) has been imported."""
    module = sys.modules.get(PARSER)
    return module is not None and not getattr(module, "kiosk_deferred", False)


def real_parser() -> types.ModuleType:
    """The real ``fhirpathpy.parser``, imported now if only the stand-in is there."""
    with _LOCK:
        module = sys.modules.get(PARSER)
        if module is not None and not getattr(module, "kiosk_deferred", False):
            return module
        fhirpathpy = fhirpathpy_engine()
        spec = importlib.machinery.PathFinder.find_spec(PARSER, list(fhirpathpy.__path__))
        if spec is None or spec.loader is None:
            raise ImportError(f"{PARSER} is not installed")
        real = importlib.util.module_from_spec(spec)
        sys.modules[PARSER] = real
        try:
            spec.loader.exec_module(real)
        except BaseException:
            if module is not None:
                sys.modules[PARSER] = module
            raise
        fhirpathpy.parser = real  # type: ignore[attr-defined]
        return real


def fhirpathpy_engine() -> types.ModuleType:
    """The ``fhirpathpy`` package, imported (once) with its parser deferred."""
    with _LOCK:
        found = sys.modules.get("fhirpathpy")
        if found is not None:
            return found
        installed = PARSER not in sys.modules
        if installed:
            stand_in = types.ModuleType(PARSER, "fhirpathpy's parser, imported at first use")
            stand_in.parse = _deferred_parse  # type: ignore[attr-defined]
            stand_in.kiosk_deferred = True  # type: ignore[attr-defined]
            sys.modules[PARSER] = stand_in
        try:
            import fhirpathpy
        except BaseException:
            if installed:
                sys.modules.pop(PARSER, None)
            raise
        return fhirpathpy
