"""Staff on a full disk or a read-only database: every action says what failed and why on
screen; nothing is silently ignored, no traceback, no empty or cut-off export file.

"full": the kiosk's data directory is a real 16 MB tmpfs, filled to the last byte while the
kiosk runs. "read-only": SQLite refuses every write on the connection staff use (see
tests/helpers/failing_disk.py for why this, and not chmod, is the real read-only case here).
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.draft import encode
from kiosk.intake.session import IntakeSession
from kiosk.staff.access import COMMAND_LINE
from tests.helpers.failing_disk import (
    make_database_full,
    make_database_read_only,
    tiny_filesystem,
)
from tests.helpers.postgres import private_postgres  # noqa: F401 - a fixture
from tests.helpers.staff import PIN, StaffUser

pytestmark = pytest.mark.gui

CAUSES = {"full": "database or disk is full", "read-only": "readonly database"}


@pytest.fixture(params=["full", "read-only"])
def failing(request, make_window, tmp_path):
    """(window, break_it, cause): a kiosk with a staff account, an intake and an
    interrupted draft; ``break_it()`` makes its storage fail the ``request.param`` way."""
    mode = request.param
    with tiny_filesystem(tmp_path / "disk") if mode == "full" else _nothing():
        window = make_window(data_subdir="disk/data" if mode == "full" else "data")
        window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
        session = IntakeSession(window.content)
        fill_demo_session(session, "Maria", "Santos")
        session.confirm(True)
        window.store.submit(session.build_submission())
        draft = IntakeSession(window.content)
        draft.set_name("Rosa", "Delgado")
        window.store.save_draft(draft.uid, draft.started_at, encode(draft))
        data_dir = window.settings.exports_dir.parent

        def break_it() -> None:
            if mode == "full":
                make_database_full(window.store, data_dir)
            else:
                make_database_read_only(window.store)

        yield window, break_it, CAUSES[mode]
        window.shut_down()
        window.writer.stop(2.0)


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def export_files(window) -> list:
    folder = window.settings.exports_dir
    return sorted(folder.iterdir()) if folder.exists() else []


def open_first_row(staff, queue):
    rect = queue.table.visualRect(queue.model.index(0, 1))
    staff.qtbot.mouseClick(queue.table.viewport(), Qt.MouseButton.LeftButton,
                           pos=rect.center())


def open_a_submitted_intake(qtbot, window):
    """A demo intake submitted, Kim signed in at the front desk, its detail open."""
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    session = IntakeSession(window.content)
    fill_demo_session(session)
    session.confirm(True)
    window.store.submit(session.build_submission())
    staff = StaffUser(qtbot, window)
    area = staff.sign_in("Kim", PIN)
    open_first_row(staff, area.queue)
    return staff, area, area.detail


def test_each_staff_action_on_failing_storage_says_why(qtbot, failing, capfd):
    window, break_it, cause = failing
    staff = StaffUser(qtbot, window)
    area = staff.sign_in("Kim", PIN)
    queue = area.queue
    open_first_row(staff, queue)
    detail = area.detail
    assert detail is not None and detail.isVisible()
    banner = area.storage_problem
    assert not banner.isVisible()

    break_it()

    # Mark reviewed
    staff.tap(detail.review_button)
    assert banner.isVisible()
    assert banner.text().startswith("Mark reviewed did not work — the database refused: "
                                    "could not mark the intake reviewed")
    assert cause in banner.text() and "Nothing was changed" in banner.text()
    assert "Santos" not in banner.text() and "Maria" not in banner.text()
    assert detail.status.text().startswith("Not reviewed yet")  # then the patient's language
    assert detail.review_button.isEnabled()
    assert window.store.intake(detail.intake_id, COMMAND_LINE).row.reviewed_at is None

    # the exports of one intake: a message, and no file left under the export's name
    for export in (detail.pdf_button, detail.fhir_button, detail.bundle_button):
        staff.tap(export)
        assert detail.result.isVisible()
        expected = ("Could not save the file: it could not be recorded in the audit log, so no"
                    " file was kept" if cause == CAUSES["read-only"] else
                    "Could not save the file: ")
        assert detail.result.text().startswith(expected), detail.result.text()
        assert export_files(window) == []

    # back to the queue, then opening the intake again: refused, said, the queue stays
    staff.tap(detail.back_button)
    assert queue.isVisible()
    open_first_row(staff, queue)
    assert queue.isVisible() and area.detail is None
    assert banner.isVisible() and banner.text().startswith(
        "Opening the intake did not work — the database refused: ")
    assert cause in banner.text()

    # the CSV and PDF exports of the queue (written in a worker thread)
    for export in (queue.export_button, queue.pdf_button):
        staff.tap(export)
        qtbot.waitUntil(lambda: queue.result.text().startswith("Could not save the file"))
        qtbot.waitUntil(lambda: queue.export_button.isEnabled())
        assert export_files(window) == []

    # the interrupted intakes, and a backup
    staff.tap(queue.interrupted_button)
    assert queue.isVisible()
    assert banner.text().startswith("Opening the interrupted intakes did not work")
    staff.tap(queue.backup_button)
    backups = window.settings.exports_dir.parent / "backups"
    if cause == CAUSES["full"]:  # the copy itself cannot be written
        assert queue.result.text() == ("Could not save the file: backup failed: database or "
                                       "disk is full")
    else:  # the copy can be made, but not audited: it is not kept
        assert queue.result.text() == ("Could not save the file: it could not be recorded "
                                       "in the audit log, so no file was kept")
        assert banner.text().startswith("The backup did not work")
    assert not backups.exists() or list(backups.iterdir()) == []

    # sign-out always works; signing in again says why it cannot
    staff.tap(queue.sign_out)
    qtbot.waitUntil(lambda: window.staff is None)
    area = staff.sign_in("Kim", PIN)
    message = area.sign_in.message
    assert message.isVisible() and area.queue is None
    assert message.text().startswith("The kiosk cannot use its database right now.")
    assert cause in message.text()

    err = capfd.readouterr().err
    assert "Traceback" not in err


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)])
def test_the_banner_goes_once_an_action_works_again(qtbot, make_window, tmp_path, size):
    window = make_window(width=size[0], height=size[1])
    staff, area, detail = open_a_submitted_intake(qtbot, window)
    make_database_read_only(window.store)
    staff.tap(detail.review_button)
    assert area.storage_problem.isVisible()
    # the banner and the screen's buttons fit together (looked at: tmp_path's PNG)
    window.grab().save(str(tmp_path / f"banner-{size[0]}x{size[1]}.png"))
    assert detail.review_button.isVisible()
    bottom = detail.review_button.mapTo(window, detail.review_button.rect().bottomLeft())
    assert bottom.y() <= window.height()
    window.store.db.execute_sql("PRAGMA query_only = 0")  # the disk is writable again
    staff.tap(detail.review_button)
    assert not area.storage_problem.isVisible()
    assert detail.status.text().startswith("Reviewed by Kim at ")
    window.shut_down()


def test_staff_with_the_database_server_gone_see_why(qtbot, make_window, request, capfd):
    """A shared PostgreSQL database stopped under the front desk: the same messages."""
    server = request.getfixturevalue("private_postgres")
    window = make_window(database_url=server.url)
    staff, area, detail = open_a_submitted_intake(qtbot, window)
    server.stop()
    staff.tap(detail.review_button)
    banner = area.storage_problem
    assert banner.isVisible()
    assert banner.text().startswith("Mark reviewed did not work — the database refused: ")
    assert "the database server cannot be reached" in banner.text()
    staff.tap(detail.back_button)
    staff.tap(area.queue.sign_out)
    qtbot.waitUntil(lambda: window.staff is None)
    area = staff.open_staff_mode()  # the sign-in screen cannot even ask if accounts exist
    assert area.sign_in.message.isVisible()
    assert area.sign_in.message.text().startswith("The kiosk cannot use its database right "
                                                  "now.")
    assert "cannot be reached" in area.sign_in.message.text()
    server.start()
    area = staff.sign_in("Kim", PIN)  # back: signing in works again
    assert area.queue is not None and area.queue.isVisible()
    window.shut_down()
    assert "Traceback" not in capfd.readouterr().err
