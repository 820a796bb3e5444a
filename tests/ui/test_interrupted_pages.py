"""The Interrupted screen with many drafts: every card whole and readable, the list scrolls,
and pages of 20 turn with Newer / Older — landscape 1280x800 and portrait 800x1280."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.draft import encode
from kiosk.intake.session import IntakeSession
from kiosk.staff.access import COMMAND_LINE
from kiosk.ui.staff.interrupted import PAGE_SIZE
from tests.helpers.staff import PIN, StaffUser

pytestmark = pytest.mark.gui

SIZES = {"landscape": (1280, 800), "portrait": (800, 1280)}


def leave_drafts(window, count: int) -> None:
    started = dt.datetime(2026, 12, 1, 8, 0)
    for n in range(count):
        session = IntakeSession(window.content)
        fill_demo_session(session, f"First{n:02d}", f"Patient{n:02d}")
        session.started_at = started + dt.timedelta(minutes=n)
        window.store.save_draft(session.uid, session.started_at, encode(session))


def open_interrupted(qtbot, window):
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    staff = StaffUser(qtbot, window)
    area = staff.sign_in("Kim", PIN)
    staff.tap(area.queue.interrupted_button)
    return staff, area.detail


def names_on(screen) -> list[str]:
    return [card.findChild(object, "DraftText").text().split("</h3>")[0].split(">")[-1]
            for card in screen.cards]


def assert_readable(screen) -> None:
    """Every card at least as tall as its text needs (nothing squeezed or cut), and the
    list scrolls to show each of them."""
    bar = screen.area.verticalScrollBar()
    for card in screen.cards:
        text = card.findChild(object, "DraftText")
        assert text.height() >= text.heightForWidth(text.width()) > 40
        bar.setValue(card.y())  # scrolled to: its top shows in the list
        top = card.y() - bar.value()
        assert 0 <= top < screen.area.viewport().height() - 40, (top, bar.value())
    bar.setValue(0)


@pytest.mark.parametrize("orientation", SIZES)
@pytest.mark.parametrize("count", [20, 50])
def test_many_drafts_are_readable_and_paged(qtbot, make_window, tmp_path, orientation,
                                            count):
    width, height = SIZES[orientation]
    window = make_window(width=width, height=height)
    leave_drafts(window, count)
    staff, screen = open_interrupted(qtbot, window)
    assert screen.isVisible()
    assert len(screen.cards) == min(count, PAGE_SIZE)
    assert screen.area.verticalScrollBar().maximum() > 0  # the list scrolls
    assert_readable(screen)
    shot = tmp_path / f"interrupted-{count}-{orientation}.png"
    window.grab().save(str(shot))
    assert names_on(screen)[0] == f"Patient{count - 1:02d}, First{count - 1:02d}"  # newest

    seen = list(names_on(screen))
    if count > PAGE_SIZE:
        assert screen.page_label.text() == f"1–{PAGE_SIZE} of {count}"
        assert not screen.newer.isEnabled() and screen.older.isEnabled()
        while screen.older.isEnabled():
            staff.tap(screen.older)
            assert_readable(screen)
            seen += names_on(screen)
        assert screen.page_label.text() == f"41–{count} of {count}"
        staff.tap(screen.newer)
        assert screen.page_label.text() == f"21–40 of {count}"
    else:
        assert not screen.older.isVisible() and not screen.newer.isVisible()
    assert sorted(seen) == sorted(f"Patient{n:02d}, First{n:02d}" for n in range(count))
    window.shut_down()


def test_discarding_the_last_draft_of_the_last_page_goes_back_a_page(qtbot, make_window):
    window = make_window()
    leave_drafts(window, PAGE_SIZE + 1)
    staff, screen = open_interrupted(qtbot, window)
    staff.tap(screen.older)
    assert screen.page_label.text() == f"21–21 of {PAGE_SIZE + 1}"
    (card,) = screen.cards
    discard = [b for b in card.findChildren(object) if getattr(b, "text", None)
               and callable(b.text) and b.text() == "Discard"][0]
    staff.tap(discard)
    assert screen.page_label.text() == f"1–20 of {PAGE_SIZE}"
    assert not screen.older.isVisible()
    assert window.store.count_drafts() == PAGE_SIZE
    window.shut_down()
