"""What every patient screen shares: a body in a text column, a place for problems, and
the scroll area that shows one screen after another."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.catalogue import Catalogue
from kiosk.intake.records import Problem
from kiosk.intake.session import IntakeSession
from kiosk.ui import accessibility
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import MessageLine

MAX_TEXT_WIDTH = 1040


class ScreenHost(QScrollArea):
    """The scroll area a flow shows its screens in, one after another.

    One per flow, not one per screen: touch scrolling (``QScroller.grabGesture``) registers
    a new gesture type with Qt on every call, and PySide6 keeps a new enum member for each
    one, never freed: about 3.5 KB per screen, 20 MB over 200 intakes.
    """

    def __init__(self, parent: QWidget | None = None, keep_replaced: bool = False) -> None:
        """``keep_replaced``: a replaced screen is kept hidden until :meth:`clear`."""
        super().__init__(parent)
        self.keep_replaced = keep_replaced
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        kinetic(self)
        # The scroll area keeps one holder; screens come and go inside it. Taking a screen
        # out of the scroll area itself (takeWidget) makes it a window for a moment, which
        # re-polishes every widget on it: a quarter of a screen change.
        holder = QWidget()
        holder.setObjectName("ScreenHolder")
        self._holder = QVBoxLayout(holder)
        self._holder.setContentsMargins(0, 0, 0, 0)
        self.setWidget(holder)
        self.shown: Screen | None = None
        #: screens replaced, hidden, deleted once the patient is still (:meth:`clear`):
        #: destroying a page of widgets is a few ms that a tap on Next need not wait for
        self.retired: list[Screen] = []

    def adopt(self, screen: Screen) -> None:
        """Keep ``screen`` hidden in the holder, to be shown in a moment: showing it then
        neither moves it between parents nor applies the stylesheet again (its widgets are
        styled in place as they are added, see :meth:`lay_out`)."""
        if screen.parent() is not self.widget():
            screen.setParent(self.widget())
            screen.hide()  # explicitly: it never shows by itself with the holder

    def lay_out(self, screen: Screen) -> None:
        """Lay ``screen`` out at the width it will have: wrapped text measured now, not
        when it is shown."""
        width = self.viewport().width()
        layout = screen.layout()
        height = layout.totalHeightForWidth(width) if layout is not None else 0
        screen.setGeometry(0, 0, width, max(height, self.viewport().height()))
        if layout is not None:
            layout.activate()

    def clear(self) -> None:
        """Delete the screens replaced so far (the patient is still)."""
        for old in self.retired:
            old.deleteLater()
        self.retired.clear()

    def show_screen(self, screen: Screen | None) -> None:
        """Show ``screen`` from its top; the screen it replaces is deleted."""
        old, self.shown = self.shown, screen
        if old is not None:
            old.scroll = None  # no longer shown here: nothing left to scroll
            old.hide()
            self._holder.removeWidget(old)
            self.retired.append(old)
            while len(self.retired) > (2 if self.keep_replaced else 0):
                self.retired.pop(0).deleteLater()  # taps in a row: never more than two
        if screen is not None:
            self._holder.addWidget(screen)
            screen.scroll = self
            self.verticalScrollBar().setValue(0)
            screen.show()  # now, not on the layout's queued show: the tap's answer shows


class Screen(QWidget):
    """A screen: ``body`` (a vertical layout) in a readable column, with a problems banner.
    A :class:`ScreenHost` scrolls it."""

    changed = Signal()  # the patient changed an answer on it (what comes next may differ)

    def __init__(self, session: IntakeSession | None, t: Catalogue) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.session = session
        self.t = t
        self.scroll: QScrollArea | None = None  # set by the ScreenHost that shows it
        # The screen's own primary action (Confirm's "Send my answers"): the flow shows it
        # in the footer where Next is, so it is always on screen, whatever the text size.
        self.footer_action: QPushButton | None = None
        #: the widgets Tab stops at, in order, when the flow found them before showing it
        self.tab_stops: list[QWidget] | None = None
        centre = QHBoxLayout(self)
        centre.setContentsMargins(0, 0, 0, 0)
        column = QWidget()
        column.setMaximumWidth(MAX_TEXT_WIDTH)  # long lines are hard to read
        centre.addWidget(column)
        self.body = QVBoxLayout(column)
        self.body.setContentsMargins(40, 24, 40, 24)
        self.body.setSpacing(16)
        self.banner = MessageLine(t("problems_banner"), "Banner")
        self.banner.hide()
        self.body.addWidget(self.banner)

    def finish_layout(self) -> None:
        self.body.addStretch(1)

    def build_slices(self) -> Iterator[QWidget]:
        """What is left to build of a screen made with ``sliced=True``, a part at a time:
        each step adds a part and yields the widget it added, so the flow can build a
        screen between frames while the patient reads. Empty for a screen built whole."""
        return iter(())

    def show_problems(self, problems: Sequence[Problem]) -> QWidget | None:
        """Show each problem next to its field; return the widget to bring into view."""
        self.banner.setVisible(bool(problems))
        return self.banner if problems else None

    def convey(self, first: QWidget, problems: Sequence[Problem]) -> None:
        """Tell the patient what stops them, whatever they use: focus on the first
        problem's control (on the red banner when it is a text field: focus there would
        open the keyboard over it), and the screen reader hears the message at once."""
        target = getattr(first, "focus_target", lambda: first)()
        if isinstance(target, QLineEdit):
            target = self.banner if self.banner.isVisible() else None
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        said = [self.banner.text()] if self.banner.isVisible() else []
        said += [self.message(problems[0])] if problems else []
        accessibility.announce(target or self, " ".join(said))

    def refresh_banner(self) -> None:
        """The red banner goes once no problem is shown any more (after the fix)."""
        if self.banner.isVisibleTo(self) and not any(
                w.objectName() == "Error" and w.isVisibleTo(self)
                for w in self.findChildren(QLabel)):
            self.banner.hide()

    def reveal(self, widget: QWidget) -> None:
        if self.scroll is not None:
            self.scroll.ensureWidgetVisible(widget, 0, 48)

    def reveal_below(self, answered: QWidget, follow_up: QWidget, whole: bool = False) -> None:
        """Scroll just enough that ``follow_up`` shows (its top part at least, or as much of
        it as fits when ``whole``) while the top of ``answered`` stays on screen: what
        opens under an answer is seen, and the question answered never leaves the top."""
        if self.scroll is None:
            return
        # the layouts still waiting to run (what just opened has no height until they do;
        # measured before them, the scroll falls short): run them now
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        bar = self.scroll.verticalScrollBar()
        view = self.scroll.viewport().height()
        top_of_answered = answered.mapTo(self, answered.rect().topLeft()).y()
        follow_top = follow_up.mapTo(self, follow_up.rect().topLeft()).y()
        shown = follow_up.height() if whole else min(follow_up.height(), view // 2)
        wanted_bottom = follow_top + shown + 24
        if wanted_bottom <= bar.value() + view:
            return  # already in view
        target = min(wanted_bottom - view, top_of_answered - 16)
        if target > bar.value():
            bar.setValue(target)

    def spoken_text(self) -> str:
        """The words on screen, top to bottom, for reading aloud: headings, text, answers."""
        parts = [w.text() for w in self.findChildren(QLabel)
                 if w.isVisibleTo(self) and w.text().strip() and w.objectName() != "Banner"]
        return "\n".join(parts)

    def message(self, problem: Problem) -> str:
        return self.t(problem.key, **problem.values)
