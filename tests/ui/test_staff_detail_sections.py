"""The staff intake detail as labelled sections (issue 15: it was one nameless text
block): each a named section with a heading, in order, holding the intake's data,
reached one after another with Tab."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
from kiosk.ui.staff.detail import DetailScreen
from tests.helpers.accessible import Role, description, find_all, interface, name, shown
from tests.helpers.staff import signed_in
from tests.helpers.taps import tap

pytestmark = pytest.mark.gui

ORDER = ["Patient", "Day-of-procedure summary", "Needs attention", "Answers", "Understanding check",
         "Patient's signature", "Review"]


@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "kiosk.db")
    yield opened
    opened.close()


def submitted(store, content, typed: bool = False) -> int:
    session = IntakeSession(content)
    fill_demo_session(session, "Rosa", "Delgado")
    if typed:
        session.set_signature_mode("typed")
        session.sign_typed("Rosa Delgado", True)
    session.confirm(True)
    return store.submit(session.build_submission())


@pytest.fixture
def detail(qtbot, content, tmp_path, store):
    def open_(typed: bool = False) -> DetailScreen:
        screen = DetailScreen(store, content, content.strings("en"), signed_in(store),
                              tmp_path / "exports", submitted(store, content, typed))
        qtbot.addWidget(screen)
        screen.resize(1280, 800)
        with qtbot.waitActive(screen):
            screen.show()
            screen.activateWindow()
        return screen
    return open_


def sections_in_tree(detail):
    """(name, description) of each section, in the accessibility tree's order."""
    return [(name(node), description(node)) for node in find_all(detail, Role.Section)]


def test_the_detail_is_named_sections_in_order_holding_the_intake(detail):
    screen = detail()
    sections = sections_in_tree(screen)
    names = [section_name for section_name, _ in sections]
    assert [n.split(" (")[0] for n in names] == ORDER
    text = dict((n.split(" (")[0], d) for n, d in sections)
    assert "Delgado, Rosa" in text["Patient"] and "Delgado, Rosa" not in text["Answers"]
    assert "Blood thinner" in text["Needs attention"]
    assert "Apixaban" in text["Answers"] and "Apixaban" not in text["Patient"]
    assert "(missed)" in text["Understanding check"]
    assert "Signed " in text["Patient's signature"]
    assert text["Review"] == "Not reviewed yet"
    assert "Blood thinners" in text["Day-of-procedure summary"]
    assert names[2] == f"Needs attention ({len(screen.intake.flags)})"


def test_each_section_has_a_heading_and_the_headings_come_in_the_same_order(detail):
    screen = detail()
    for node in find_all(screen, Role.Section):
        inside = list(shown(node))
        headings = [n for n in inside if n.role() == Role.Heading]
        assert [name(h) for h in headings] == [name(node)]
        assert inside[0].role() == Role.Heading  # the heading first, then its text
    assert [name(h) for h in find_all(screen.summary, Role.Heading)] == [
        name(n) for n in find_all(screen, Role.Section)]


def test_tab_goes_from_section_to_section(detail, qtbot):
    screen = detail()
    sections = screen.summary.sections
    sections[0].setFocus()
    qtbot.waitUntil(sections[0].hasFocus)
    reached = [QApplication.focusWidget()]
    for _ in sections[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == sections
    # the section with focus is scrolled into view: the last one, at the bottom
    area = screen.summary
    assert area.verticalScrollBar().value() > 0
    assert interface(sections[-1]).state().focused


def test_a_typed_signature_is_its_own_section_and_review_follows_the_marking(detail, qtbot):
    screen = detail(typed=True)
    signature = screen.summary.section("signature")
    assert signature is not None and "Rosa Delgado" in signature.text
    assert "I agree — this is my signature" in signature.text
    tap(qtbot, screen.review_button)
    review = dict(sections_in_tree(screen))["Review"]
    assert review.startswith("Reviewed by Kim at ")


def test_another_screen_adds_a_section_as_one_more_in_the_list(qtbot):
    from kiosk.export.summary import SummarySection
    from kiosk.ui.staff.detail_sections import DetailSections

    area = DetailSections()
    qtbot.addWidget(area)
    area.show_sections([SummarySection("today", "Day of procedure", "<p>Driver: yes</p>"),
                        SummarySection("review", "Review", "<p>Not reviewed yet</p>")])
    area.show()
    assert [(name(n), description(n)) for n in find_all(area, Role.Section)] == [
        ("Day of procedure", "Driver: yes"), ("Review", "Not reviewed yet")]
