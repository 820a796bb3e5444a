"""Fixtures for tests that drive the real kiosk window."""

from __future__ import annotations

import pytest

from kiosk.config import KioskConfig
from kiosk.ui.app import build_window
from kiosk.ui.theme import apply_theme
from tests.helpers.patient import Patient


@pytest.fixture(autouse=True)
def _no_printers(monkeypatch):
    """No test opens the system print dialog, even on a machine with a printer (its modal
    dialog would wait for a person): Print PDF writes its file, as on CI.
    tests/ui/test_staff_print.py gives the queue its own printers and dialog."""
    monkeypatch.setattr("kiosk.ui.staff.queue_print.available_printers", lambda: [])


@pytest.fixture
def make_window(qtbot, qapp, tmp_path, content):
    apply_theme(qapp)
    made = []

    def make(idle_seconds: float = 600, warning_seconds: float = 60, data_subdir="data",
             **kwargs):
        kwargs.setdefault("speech_engine", "mock")  # Qt's test engine: no sound, no daemon
        kwargs.setdefault("keyboard", "kiosk")  # Qt Virtual Keyboard cannot show offscreen
        config = KioskConfig(data_dir=tmp_path / data_subdir, idle_seconds=idle_seconds,
                             warning_seconds=warning_seconds, **kwargs)
        window = build_window(config, content)
        made.append(window)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):  # a context manager: waits on leaving the block
            window.show()
            window.activateWindow()
        return window

    yield make
    for window in made:  # the writer's thread finishes before the next test
        window.writer.stop(2.0)


@pytest.fixture
def themed(qapp):
    """The theme at a text size and contrast, for one test; the default one again after."""
    def use(text_size: float = 1.0, high_contrast: bool = False) -> None:
        apply_theme(qapp, text_size, high_contrast)
    yield use
    apply_theme(qapp)


@pytest.fixture
def window(make_window):
    created = make_window()
    yield created
    created.shut_down()


@pytest.fixture
def patient(qtbot, window):
    return Patient(qtbot, window)
