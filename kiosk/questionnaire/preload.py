"""The expression engine made ready before the first form needs it.

A form with FHIRPath expressions pays, when it starts in a new process, for importing the
engine (fhirpathpy, dateutil; its ANTLR parser stays unloaded, see
:mod:`kiosk.questionnaire.fhirpath_import`), reading the parse trees kept on disk
(:mod:`kiosk.questionnaire.parse_cache`, ~30 ms for the 808-item health check's) and
fhirpathpy's R4 model: about 90 ms of CPU time; and compiling the form's expressions
(:func:`kiosk.questionnaire.expressions.compiled_tables`, ~40 ms for the health check), once
per questionnaire. The kiosk does both, for its own forms, in a background thread once its
first screen is shown (``kiosk.ui.app``), while the patient reads the Welcome screen; what
it makes is shared, read-only, by every form started after it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from kiosk.questionnaire.model import Questionnaire

log = logging.getLogger(__name__)


def preload_engine(questionnaires: Iterable[Questionnaire] = ()) -> None:
    """Import the expression engine, read what every form's start reads, and compile the
    expressions of ``questionnaires`` (those that have any); never raises (a form that
    needs it later makes it then, and reports what fails)."""
    try:
        from kiosk.questionnaire.expressions import (
            NO_PARSING,
            NotParsedHere,
            compiled_tables,
            r4_model,
            uses_expressions,
        )
        from kiosk.questionnaire.parse_cache import parse_cache

        r4_model()
        parse_cache()
        NO_PARSING.on = True  # only forms whose parse trees are kept (on disk or in memory)
        try:
            for questionnaire in questionnaires:
                if uses_expressions(questionnaire):
                    try:
                        compiled_tables(questionnaire)
                    except NotParsedHere:
                        log.info("a form's expressions are new: compiled at its first start")
        finally:
            NO_PARSING.on = False
    except Exception as exc:  # noqa: BLE001 - a read-ahead only; the form start retries
        log.info("expression engine not read ahead (%s)", type(exc).__name__)


def preload_in_background(questionnaires: Iterable[Questionnaire] = ()) -> threading.Thread:
    """:func:`preload_engine` in a daemon thread (it never delays the process's exit)."""
    forms = list(questionnaires)
    thread = threading.Thread(target=preload_engine, args=(forms,), name="expression-preload",
                              daemon=True)
    thread.start()
    return thread
