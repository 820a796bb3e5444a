"""FHIRPath parse trees kept on disk between runs.

fhirpathpy's ANTLR parser takes 3–10 ms per expression; a large published form holds
hundreds (the 808-item health check in ``benchmarks/forms/``: 374). The kiosk's own parser
(:mod:`kiosk.questionnaire.fhirpath_parser`) reads most of them in ~0.03 ms each, but
even that is 10–20 ms of a large form's first page, and ANTLR stays for what it leaves.
The trees are plain JSON, so they are kept in one file — by default in the
user cache directory, or ``$KIOSK_EXPRESSION_CACHE`` (empty: no file) — and a form seen
before loads without parsing. The file holds expression texts from questionnaires only
(never answers); it is rebuilt when fhirpathpy's version changes or it cannot be read.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
ENVIRONMENT = "KIOSK_EXPRESSION_CACHE"
MAX_ENTRIES = 20_000
SAVE_DELAY = 3.0  # seconds: a form's first page is up, the patient reading it


def _version() -> str:
    """fhirpathpy's version (its own ``__version__``: importlib.metadata costs about 25 ms
    of a form's start, and fhirpathpy is imported for the engine anyway)."""
    from kiosk.questionnaire.fhirpath_import import fhirpathpy_engine

    try:
        fhirpathpy = fhirpathpy_engine()
    except ImportError:
        return "unknown"
    return str(getattr(fhirpathpy, "__version__", "unknown"))


class ParseCache:
    """Expression text -> parse tree, read from and written to one JSON file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.wanted: str | None = None  # the $KIOSK_EXPRESSION_CACHE it was made for
        self.trees: dict[str, Any] = {}
        self.dirty = False
        self._writing = threading.Lock()  # put() and a save in the timer's thread
        self._timer: threading.Timer | None = None
        self.version = _version()
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return  # none yet, or unreadable: rebuilt
        if isinstance(data, dict) and data.get("fhirpathpy") == self.version \
                and isinstance(data.get("trees"), dict):
            self.trees = data["trees"]

    def get(self, text: str) -> Any:
        return self.trees.get(text)

    def put(self, text: str, tree: Any) -> None:
        if self.path is None or len(self.trees) >= MAX_ENTRIES:
            return
        with self._writing:
            self.trees[text] = tree
            self.dirty = True

    def save_soon(self) -> None:
        """:meth:`save` in a thread ``SAVE_DELAY`` seconds from now, and at the process's
        exit at the latest: writing the health check's trees takes ~15 ms, which a form's
        first page should not wait for."""
        if self.path is None or not self.dirty or self._timer is not None:
            return
        self._timer = threading.Timer(SAVE_DELAY, self.save)
        self._timer.daemon = True
        self._timer.start()

    def forget_pending(self) -> None:
        """No write later (the process now uses another file)."""
        timer = self._timer
        if timer is not None:
            timer.cancel()

    def save(self) -> None:
        """Write new trees (atomically: a crash leaves the old file or the new one)."""
        with self._writing:
            self._timer = None
            if self.path is None or not self.dirty:
                return
            try:
                text = json.dumps({"fhirpathpy": self.version, "trees": self.trees},
                                  separators=(",", ":"))  # dump(): ~8 times slower
                self.path.parent.mkdir(parents=True, exist_ok=True)
                handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
                os.replace(temporary, self.path)
                self.dirty = False
            except (OSError, TypeError, ValueError, RecursionError) as exc:
                log.info("FHIRPath parse cache not written (%s)", type(exc).__name__)


_CACHE: ParseCache | None = None
_LOCK = threading.Lock()  # read ahead by the kiosk's start (kiosk.questionnaire.preload)


def parse_cache() -> ParseCache:
    """The process's cache, at ``$KIOSK_EXPRESSION_CACHE`` or in the user cache directory."""
    wanted = os.environ.get(ENVIRONMENT)
    found = _CACHE
    if found is not None and found.wanted == wanted:
        return found  # asked for once per expression: the path is not made again
    with _LOCK:
        return _open(wanted)


def _open(wanted: str | None) -> ParseCache:
    global _CACHE
    if _CACHE is not None and _CACHE.wanted == wanted:
        return _CACHE
    if wanted is None:
        from platformdirs import user_cache_dir

        path: Path | None = Path(user_cache_dir("intake-kiosk", appauthor=False)) \
            / "fhirpath-parse.json"
    else:
        path = Path(wanted) if wanted else None
    if _CACHE is None or _CACHE.path != path:
        if _CACHE is not None:
            _CACHE.forget_pending()
        _CACHE = ParseCache(path)
    _CACHE.wanted = wanted
    return _CACHE


@atexit.register
def _save_at_exit() -> None:
    """What a pending :meth:`ParseCache.save_soon` would have written."""
    if _CACHE is not None:
        _CACHE.save()
