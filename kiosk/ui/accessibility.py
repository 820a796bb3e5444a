"""What assistive technology (a screen reader, switch access, the AT-SPI tree) sees of the
kiosk's own widgets, and what its actions do.

Qt's own interface for a checkable button offers one action, *Toggle*, which calls
``QAbstractButton.toggle()``: the button shows checked, but ``clicked`` never fires, so an
answer connected to ``clicked`` is silently not stored (issue 15). Here every action on a
kiosk button — Press, Toggle, the default action — is a ``click()``: the same code a tap
runs, so what is shown is what is stored. The kiosk's answer widgets also follow
``toggled`` (see :class:`kiosk.ui.touch.ChoiceButton`), so even a bare ``toggle()`` is kept.

The interfaces also give:

- a role: single choices are radio buttons, multiple choices check boxes (``set_role``),
  question and page texts headings;
- no children for a button (its text labels are drawn inside it; read once, by name);
- an :data:`ACTIVITY` event sent to the button before each action, which the idle guard
  counts as a tap (an accessibility action brings no mouse or key event).

:func:`install` puts the factory in place (once per process; the window calls it).
:func:`announce` says something to the screen reader (an error, the idle warning).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAnnouncementEvent,
    QAccessibleInterface,
)
from PySide6.QtWidgets import QAbstractButton, QAccessibleWidget, QLabel, QWidget

#: the event an accessibility action sends to its widget first (the idle guard counts it)
ACTIVITY = QEvent.Type(QEvent.registerEventType())


class ActivityEvent(QEvent):
    """An :data:`ACTIVITY` event: a class of its own, so the idle guard (which sees every
    event of the application) tells it by its class, without asking each event its type."""

    def __init__(self) -> None:
        super().__init__(ACTIVITY)

_ROLE = "_kiosk_accessible_role"  # a Python attribute on the widget, read by the factory
_HEADING = "_kiosk_heading"
_MODAL = "_kiosk_modal"
_installed = False


def set_role(widget: QWidget, role: QAccessible.Role) -> None:
    """The role assistive technology is told for ``widget`` (a kiosk button or label)."""
    setattr(widget, _ROLE, role)


def mark_heading(widget: QLabel) -> None:
    setattr(widget, _HEADING, True)


def mark_dialog(widget: QWidget) -> None:
    """``widget`` (a kiosk class) is a modal dialog for assistive technology."""
    set_role(widget, QAccessible.Role.Dialog)
    setattr(widget, _MODAL, True)


def count_activity(widget: QObject) -> None:
    """The patient did something that brings no key or tap (an accessibility action,
    text set through the accessibility tree): the idle guard counts it."""
    QCoreApplication.sendEvent(widget, ActivityEvent())


def role_of(widget: QWidget) -> QAccessible.Role:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.role() if interface is not None else QAccessible.Role.NoRole


def announce(widget: QWidget, text: str, assertive: bool = True) -> None:
    """Have the screen reader say ``text`` now (an AT-SPI announcement from ``widget``)."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


class ButtonAccessible(QAccessibleWidget):
    """A kiosk button: its role, checked state, and actions that are a tap."""

    PRESS = QAccessibleActionInterface.pressAction()
    TOGGLE = QAccessibleActionInterface.toggleAction()

    def __init__(self, widget: QAbstractButton) -> None:
        super().__init__(widget, self._role_for(widget))
        self._button = widget

    @staticmethod
    def _role_for(widget: QAbstractButton) -> QAccessible.Role:
        role = getattr(widget, _ROLE, None)
        if role is not None:
            return role
        if widget.isCheckable():
            group = widget.group()
            exclusive = group is not None and group.exclusive()
            return QAccessible.Role.RadioButton if exclusive else QAccessible.Role.CheckBox
        return QAccessible.Role.Button

    def role(self) -> QAccessible.Role:
        return self._role_for(self._button)

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._button.accessibleName() or self._button.text()
        return super().text(kind)

    def state(self) -> QAccessible.State:
        state = super().state()
        if self._button.isCheckable():
            state.checkable = True
            state.checked = self._button.isChecked()
        state.pressed = self._button.isDown()
        invalid = self._button.property("invalid")
        if invalid:
            state.invalid = True
        return state

    def childCount(self) -> int:  # noqa: N802 (Qt name)
        return 0  # the labels inside are the button's own text: read once, as its name

    def child(self, index: int) -> QAccessibleInterface | None:
        return None

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802
        return -1

    def actionNames(self) -> list[str]:  # noqa: N802
        if not self._button.isEnabled():
            return []
        own = [self.TOGGLE, self.PRESS] if self._button.isCheckable() else [self.PRESS]
        return own + [name for name in super().actionNames() if name not in own]

    def doAction(self, name: str) -> None:  # noqa: N802
        if name in (self.PRESS, self.TOGGLE):
            if self._button.isEnabled() and self._button.isVisible():
                count_activity(self._button)
                self._button.click()  # exactly what a tap does
            return
        super().doAction(name)


class HeadingAccessible(QAccessibleWidget):
    """A question or page text: a heading, named by its text."""

    def __init__(self, widget: QLabel) -> None:
        super().__init__(widget, QAccessible.Role.Heading)
        self._label = widget

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._label.accessibleName() or self._label.text()
        return super().text(kind)


class PanelAccessible(QAccessibleWidget):
    """A kiosk container with a role of its own (a dialog: modal, named by its heading)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget, getattr(widget, _ROLE))
        self._widget = widget

    def state(self) -> QAccessible.State:
        state = super().state()
        if getattr(self._widget, _MODAL, False):
            state.modal = True
        return state


def _factory(key: str, target: QObject) -> QAccessibleInterface | None:
    # Qt asks for each class of the object from the most derived up: only the kiosk's own
    # classes (Python subclasses) reach here first; plain Qt widgets keep Qt's interfaces.
    if not type(target).__module__.startswith("kiosk."):
        return None
    if key != type(target).__name__:
        return None
    if isinstance(target, QAbstractButton):
        return ButtonAccessible(target)
    if isinstance(target, QLabel) and getattr(target, _HEADING, False):
        return HeadingAccessible(target)
    if isinstance(target, QWidget) and getattr(target, _ROLE, None) is not None:
        return PanelAccessible(target)
    return None


def install() -> None:
    """Put the kiosk's interfaces in place (once per process)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
