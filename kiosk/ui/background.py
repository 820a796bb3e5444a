"""Slow plain-Python work on a worker thread, its outcome handed back on the GUI thread.

For work that needs no database and no widget (argon2, :mod:`kiosk.storage.pin_checks`):
peewee's connections are per thread and widgets belong to the GUI thread, so the work
gets its inputs before it starts, and the GUI thread uses what it returns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal

T = TypeVar("T")


class _Relay(QObject):
    # (callback, future): emitted on the worker, delivered on the GUI thread (the relay
    # lives there, so the connection is queued)
    finished = Signal(object, object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.finished.connect(self._deliver)

    def _deliver(self, done: Callable[[Future[Any]], None], future: Future[Any]) -> None:
        done(future)


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    """One relay for the application's life, owned by the application: a worker never
    emits on an object a closed screen took with it, nor drops the last reference to a
    QObject of the GUI thread."""
    global _relay
    if _relay is None or not shiboken6.isValid(_relay):
        app = QCoreApplication.instance()
        assert app is not None, "background work needs the application"
        _relay = _Relay(app)
    return _relay


def run_in_background(work: Callable[[], T], done: Callable[[Future[T]], None]) -> None:
    """Run ``work()`` on a new worker thread; then call ``done`` on the GUI thread with a
    finished Future (its ``result()`` returns what ``work`` returned, or raises what it
    raised). Call this on the GUI thread. ``done`` runs even if the screen that asked was
    closed meanwhile: it must check that itself."""
    relay = _the_relay()
    emit = relay.finished.emit

    def target() -> None:
        future: Future[T] = Future()
        try:
            future.set_result(work())
        except BaseException as exc:  # noqa: BLE001 — handed to ``done``, which re-raises
            future.set_exception(exc)
        emit(done, future)

    # daemon: quitting the kiosk does not wait for a hash nobody will see
    threading.Thread(target=target, name="kiosk-background", daemon=True).start()
