"""A test-only window map: where each visible control is, so a test can tap it for real.

Enabled only by the environment variable ``KIOSK_TEST_PROBE`` (a file path). Every 100 ms
the kiosk writes there, when something changed, the current step and each control that is
on screen now (in the viewport, not scrolled away): its kind, accessible name and
description, the question it belongs to, whether it is checked, and its centre in screen
coordinates. The real-window test (Xvfb + xdotool) reads it to know where to tap, and
through the accessible names it also checks that a screen reader could find each control.
It can hold typed text, so it is never on outside tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from kiosk.ui.main_window import KioskWindow

PROBE_ENV = "KIOSK_TEST_PROBE"


def _question_of(widget: QWidget) -> str:
    parent = widget.parentWidget()
    while parent is not None:
        item = getattr(parent, "item", None)
        link_id = getattr(item, "link_id", None)
        if isinstance(link_id, str):
            return link_id
        parent = parent.parentWidget()
    return ""


def _control(widget: QWidget) -> dict[str, Any] | None:
    if not widget.isVisible() or widget.visibleRegion().isEmpty():
        return None
    shown = widget.visibleRegion().boundingRect()
    centre = widget.mapToGlobal(shown.center())
    entry: dict[str, Any] = {
        "kind": type(widget).__name__,
        "name": widget.accessibleName() or getattr(widget, "text", lambda: "")(),
        "description": widget.accessibleDescription(),
        "question": _question_of(widget),
        "x": centre.x(), "y": centre.y(),
        "enabled": widget.isEnabled(),
        "key": widget.property("keyId") or "",  # a key of the kiosk's own keyboard
    }
    if isinstance(widget, QAbstractButton):
        entry["checked"] = widget.isChecked()
    if isinstance(widget, QLineEdit):
        entry["text"] = widget.text()
        entry["focus"] = widget.hasFocus()
    return entry


class Probe(QObject):
    def __init__(self, window: KioskWindow, path: Path) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.last = ""
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self.write)
        self.timer.start()

    @staticmethod
    def _virtual_keys() -> list[dict[str, Any]]:
        """The keys of Qt Virtual Keyboard, when it is up (QML items in a window of its
        own): "vk q" for a letter, "vk HideKeyboardKey" and the like for the others."""
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QGuiApplication

        keys: list[dict[str, Any]] = []
        try:
            from PySide6.QtQuick import QQuickWindow
        except ImportError:
            return keys

        def walk(item) -> None:
            for child in item.childItems():
                if not child.isVisible():
                    continue
                text, code = child.property("text"), child.property("key")
                if code is not None and text is not None and child.width() > 0:
                    kind = child.metaObject().className().split("_QML")[0]
                    name = f"vk {text}" if len(str(text)) == 1 and str(text).strip() else \
                        f"vk {kind}"
                    centre = child.mapToGlobal(QPointF(child.width() / 2, child.height() / 2))
                    keys.append({"kind": "VirtualKey", "name": name, "description": "",
                                 "question": "", "x": round(centre.x()),
                                 "y": round(centre.y()), "enabled": child.isEnabled()})
                walk(child)

        if not QGuiApplication.inputMethod().isVisible():
            return keys
        for window in QGuiApplication.topLevelWindows():
            if isinstance(window, QQuickWindow) and window.isVisible():
                walk(window.contentItem())
        return keys

    def snapshot(self) -> dict[str, Any]:
        flow = self.window.flow
        step = flow.session.current if flow is not None else None
        controls = []
        for top in QApplication.topLevelWidgets():
            if not top.isVisible():
                continue
            for widget in [top, *top.findChildren(QWidget)]:
                if isinstance(widget, QAbstractButton | QLineEdit) or widget.accessibleName():
                    entry = _control(widget)
                    if entry is not None:
                        controls.append(entry)
        controls += self._virtual_keys()
        return {
            "screen": ("welcome" if flow is None and self.window.staff is None
                       else "staff" if flow is None else step.kind.value),
            "page": step.page if step else 0,
            "link_id": step.link_id if step else "",
            "controls": controls,
        }

    def write(self) -> None:
        text = json.dumps(self.snapshot(), ensure_ascii=False)
        if text != self.last:
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(self.path)  # readers never see half a file
            self.last = text


def attach_probe(window: KioskWindow) -> Probe | None:
    target = os.environ.get(PROBE_ENV)
    return Probe(window, Path(target)) if target else None
