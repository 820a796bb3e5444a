"""A robot patient that sees the kiosk only as a screen reader does: the AT-SPI tree.

Run with the system Python (``/usr/bin/python3``, Debian's python3-pyatspi) on a session
bus with the AT-SPI bus running and the kiosk started with
``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``. It reads a plan (JSON, on stdin): a list of steps,
each finding one showing, enabled node by role and name (and, optionally, a description
that contains some words) and acting on it — ``press``/``toggle`` (its action), ``text``
(editable text), or ``expect`` (it must appear). No pixel, no tap, no key. Exits 0 when
every step was done; otherwise prints the step and what was showing, and exits 1.
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi

ROLES = {"button": "push button", "radio": "radio button", "check": "check box",
         "text": "text", "label": "label", "heading": "heading"}


def application(name: str, timeout: float) -> object:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name == name:
                return app
        time.sleep(0.3)
    raise SystemExit(f"no application {name!r} on the accessibility bus")


def showing(node, found: list) -> list:
    for index in range(node.childCount):
        child = node.getChildAtIndex(index)
        if child is None:
            continue
        state = child.getState()
        if not state.contains(pyatspi.STATE_SHOWING):
            continue
        found.append(child)
        showing(child, found)
    return found


def matches(node, step: dict) -> bool:
    if node.getRoleName() != ROLES[step["role"]] or node.name != step["name"]:
        return False
    if step.get("description") and step["description"] not in (node.description or ""):
        return False
    return step["act"] == "expect" or node.getState().contains(pyatspi.STATE_SENSITIVE)


def do(app, step: dict, timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while True:
        nodes = [n for n in showing(app, []) if matches(n, step)]
        if nodes:
            break
        if time.monotonic() > end:
            seen = [(n.getRoleName(), n.name) for n in showing(app, [])
                    if n.getRoleName() in ROLES.values()]
            raise SystemExit(f"step {step} not found; showing: {seen}")
        time.sleep(0.2)
    node = nodes[0]
    if step["act"] in ("press", "toggle"):
        actions = node.queryAction()
        names = [actions.getName(i) for i in range(actions.nActions)]
        wanted = "Press" if step["act"] == "press" else "Toggle"
        actions.doAction(names.index(wanted) if wanted in names else 0)
    elif step["act"] == "text":
        node.queryEditableText().setTextContents(step["text"])
    time.sleep(0.15)  # let the kiosk redraw before the next look at the tree


def main() -> None:
    plan = json.load(sys.stdin)
    app = application(plan["application"], 30)
    for number, step in enumerate(plan["steps"]):
        try:
            do(app, step)
        except SystemExit as stop:
            print(f"step {number}: {stop}", file=sys.stderr)
            sys.exit(1)
    print(f"done: {len(plan['steps'])} steps")


if __name__ == "__main__":
    main()
