"""Drives the kiosk the way assistive technology does: through Qt's accessibility
interfaces only (roles, names, states and actions), never a tap or a key."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QWidget

Role = QAccessible.Role
PRESS = QAccessibleActionInterface.pressAction()
TOGGLE = QAccessibleActionInterface.toggleAction()


def interface(widget: QWidget) -> QAccessibleInterface:
    found = QAccessible.queryAccessibleInterface(widget)
    assert found is not None and found.isValid(), widget
    return found


def name(node: QAccessibleInterface) -> str:
    return node.text(QAccessible.Text.Name)


def description(node: QAccessibleInterface) -> str:
    return node.text(QAccessible.Text.Description)


def shown(node: QAccessibleInterface) -> Iterator[QAccessibleInterface]:
    """Every node under ``node`` that is not invisible, in tree (reading) order."""
    for index in range(node.childCount()):
        child = node.child(index)
        if child is None or not child.isValid() or child.state().invisible:
            continue
        yield child
        yield from shown(child)


def find_all(root: QWidget, role: QAccessible.Role | None = None,
             named: str | None = None) -> list[QAccessibleInterface]:
    return [node for node in shown(interface(root))
            if (role is None or node.role() == role) and (named is None or name(node) == named)]


def find(root: QWidget, role: QAccessible.Role | None, named: str,
         described: str | None = None) -> QAccessibleInterface:
    found = [node for node in find_all(root, role, named)
             if described is None or description(node) == described]
    assert len(found) == 1, (role, named, described,
                             [(name(n), n.role()) for n in find_all(root, role)])
    return found[0]


def act(node: QAccessibleInterface, action: str) -> None:
    actions = node.actionInterface()
    assert actions is not None and action in actions.actionNames(), (name(node), action)
    actions.doAction(action)
