"""``make screenshots`` renders hundreds of scenes in one process: each scene's window must
be gone, with all it started, before the next (issue 12: a window left alive per picture
made the run slow down from under a second to 45 s a picture, 88 minutes in all)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from kiosk.ui import screenshots
from kiosk.ui.main_window import KioskWindow

# a screen, a question with follow-ups (item kinds that never lay out their error line),
# a group page, staff sign-in (fields it does not use): each once left something behind
SCENES = ("01-welcome", "08-question-sedation", "08-question-earlier-care",
          "16-staff-set-pin")


def live_state(app: QApplication) -> tuple[int, int, int]:
    windows = sum(isinstance(widget, KioskWindow) for widget in app.allWidgets())
    return windows, len(app.topLevelWidgets()), threading.active_count()


def test_rendering_scenes_leaves_no_window_widget_or_thread_behind(qapp, content, tmp_path):
    scenes = dict(screenshots.scene_list(content))
    # what earlier tests left to deferred deletion goes first: the baseline is this test's
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    before = live_state(qapp)
    seen = []
    for round_ in range(3):
        for name in SCENES:
            screenshots.render_scene(qapp, content, scenes[name], ("en", 1.0, False),
                                     (800, 1280), tmp_path / f"{name}-{round_}.png")
            seen.append((name, live_state(qapp)))
    assert (tmp_path / "08-question-sedation-2.png").stat().st_size > 0
    # never more than before (an earlier test's window may still go meanwhile)
    grown = [(name, state) for name, state in seen
             if any(now > then for now, then in zip(state, before, strict=True))]
    assert grown == [], f"alive before: {before} (windows, top-level widgets, threads)"
