"""The expression engine made ready before the first form needs it.

A form with FHIRPath expressions pays, when it starts in a new process, for importing the
engine (fhirpathpy, dateutil; its ANTLR parser stays unloaded, see
:mod:`kiosk.questionnaire.fhirpath_import`), reading the parse trees kept on disk
(:mod:`kiosk.questionnaire.parse_cache`, ~30 ms for the 808-item health check's) and
fhirpathpy's R4 model: about 90 ms of CPU time. The kiosk does this in a background thread
once its first screen is shown (``kiosk.ui.app``), while the patient reads the Welcome
screen; what it reads is shared, read-only, by every form started after it.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


def preload_engine() -> None:
    """Import the expression engine and read what every form's start reads; never raises
    (a form that needs it later reads it then, and reports what fails)."""
    try:
        from kiosk.questionnaire.expressions import r4_model
        from kiosk.questionnaire.parse_cache import parse_cache

        r4_model()
        parse_cache()
    except Exception as exc:  # noqa: BLE001 - a read-ahead only; the form start retries
        log.info("expression engine not read ahead (%s)", type(exc).__name__)


def preload_in_background() -> threading.Thread:
    """:func:`preload_engine` in a daemon thread (it never delays the process's exit)."""
    thread = threading.Thread(target=preload_engine, name="expression-preload", daemon=True)
    thread.start()
    return thread
