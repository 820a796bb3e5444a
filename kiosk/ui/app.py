"""Builds and runs the Qt application from a :class:`KioskConfig`."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from kiosk.content.library import ContentLibrary, load_content
from kiosk.delivery.feeds import RunningFeeds, start_feeds
from kiosk.delivery.settings import load_settings
from kiosk.questionnaire.preload import preload_in_background
from kiosk.storage import Store
from kiosk.ui.ehr import start_delivery
from kiosk.ui.first_screen import FirstScreenWatch
from kiosk.ui.keyboard.qt_keyboard import keyboard_kind, use_qt_keyboard
from kiosk.ui.main_window import KioskWindow, WindowSettings
from kiosk.ui.theme import apply_theme

log = logging.getLogger(__name__)


def window_settings(config: KioskConfig, content: ContentLibrary) -> WindowSettings:
    clinic = content.clinic
    idle = config.idle_seconds if config.idle_seconds is not None else clinic.idle_timeout_seconds
    warning = (
        config.warning_seconds
        if config.warning_seconds is not None
        else clinic.idle_warning_seconds
    )
    return WindowSettings(
        idle_ms=round(idle * 1000),
        warning_ms=round(warning * 1000),
        staff_idle_ms=clinic.staff_idle_timeout_seconds * 1000,
        exports_dir=config.exports_dir,
        demo=config.db_key is None and not config.database_url,
        staff_only=config.staff_only,
        speech_engine=config.speech_engine,
        keyboard=keyboard_kind(config.keyboard),
    )


def build_window(config: KioskConfig, content: ContentLibrary | None = None) -> KioskWindow:
    content = content or load_content()
    store = Store(**config.store_arguments())
    window = KioskWindow(content, store, window_settings(config, content))
    window.resize(config.width, config.height)
    return window


def first_screen_name(window: KioskWindow) -> str:
    return "Welcome" if window.stack.currentWidget() is window.welcome else "staff sign-in"


def check_started(app: QApplication, name: str) -> None:
    """``--check-start``: the kiosk came up to its first screen; say so and quit (exit 0)."""
    print(f"{name} shown: the kiosk starts.", flush=True)
    app.quit()


def run(config: KioskConfig, on_window: Callable[[KioskWindow], object] | None = None) -> int:
    """Run the kiosk until its window closes. ``on_window`` (tests only, through
    ``tests/support/kiosk_under_test.py``) is given the window once it is shown."""
    content = load_content(value_sets=config.value_sets)
    if keyboard_kind(config.keyboard) == "qt" and QApplication.instance() is None:
        use_qt_keyboard()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Intake Kiosk")
    apply_theme(app)
    ehr = load_settings(config.ehr_settings) if config.ehr_settings else None
    window = build_window(config, content)
    sender = start_delivery(window, ehr) if ehr is not None else None
    schedule, feeds = start_feeds(ehr) if ehr is not None else (None, RunningFeeds())
    if schedule is not None:
        window.appointments = schedule
    if config.staff_only:
        window.open_staff()
    if config.fullscreen:
        window.showFullScreen()
    else:
        window.show()
    log.info("kiosk ready")

    def on_shown(name: str) -> None:
        # the expression engine and the forms' compiled expressions, made while the
        # patient reads the first screen
        preload_in_background(content.questionnaires.values())
        if config.check_start:
            check_started(app, name)

    watch = FirstScreenWatch(window, lambda: first_screen_name(window), on_shown)
    hooks = on_window(window) if on_window is not None else None
    code = app.exec()
    del hooks, watch
    if sender is not None:
        sender.stop()
    feeds.stop()
    window.shut_down()
    return code
