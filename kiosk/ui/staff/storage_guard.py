"""Staff actions that reach the database: a failure is said on screen, never a traceback.

A staff action (open an intake, Mark reviewed, an export, a discard …) that meets a full or
read-only disk or a database server that is gone raises :class:`~kiosk.storage.StorageError`
from the store. Slots decorated with :func:`storage_action` catch it and hand it to the
nearest :class:`StorageProblemShown` above them (the staff area), which shows what failed
and why in a banner at the top of every staff screen — the words of the StorageError, which
never hold patient data. The banner goes when the next staff action succeeds.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from PySide6.QtWidgets import QWidget

from kiosk.storage import StorageError

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


class StorageProblemShown(Protocol):
    def show_storage_problem(self, action_key: str, error: StorageError) -> None: ...

    def clear_storage_problem(self) -> None: ...


def _shower(widget: QWidget) -> StorageProblemShown | None:
    current: QWidget | None = widget
    while current is not None:
        if hasattr(current, "show_storage_problem"):
            return cast(StorageProblemShown, current)
        current = current.parentWidget()
    return None


def report(widget: QWidget, action_key: str, error: StorageError) -> None:
    """Show ``error`` for the action named by the catalogue key ``action_key``."""
    shower = _shower(widget)
    if shower is None:  # a screen previewed alone: there is no staff area to show it
        log.error("%s failed: %s", action_key, error)
        return
    shower.show_storage_problem(action_key, error)


def storage_action(action_key: str) -> Callable[[F], F]:
    """Decorate a staff screen's slot: a StorageError it raises is shown, not raised."""
    def decorate(method: F) -> F:
        @functools.wraps(method)
        def run(self: QWidget, *args: Any, **kwargs: Any) -> Any:
            try:
                result = method(self, *args, **kwargs)
            except StorageError as exc:
                report(self, action_key, exc)
                return None
            shower = _shower(self)
            if shower is not None:
                shower.clear_storage_problem()
            return result
        return cast(F, run)
    return decorate


def remove_unfinished(path: Path, existed_before: bool) -> None:
    """An export that failed leaves no file under its name (a 0-byte or cut-off PDF, CSV or
    JSON looks complete to whoever opens it). A file that was there before is not ours."""
    if existed_before:
        return
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:  # a read-only disk: nothing more can be done, and staff are told
        log.warning("an unfinished export could not be removed: %s", exc.strerror)
