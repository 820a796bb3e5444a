"""Staff exports on an encrypted kiosk: encrypted, the password shown once, the file 0600 in
a 0700 folder; on the demo kiosk plain files, 0600 too."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import stat
from pathlib import Path

import pytest
import pyzipper
from pypdf import PdfReader

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.staff.access import COMMAND_LINE
from tests.helpers.staff import StaffUser

pytestmark = pytest.mark.gui

PIN = "482913"
KEY = "correct horse battery staple"
SAVED = re.compile(r"Saved to (?P<path>\S+?)(?: \(\d+\))?\. .*: (?P<password>[a-z2-9-]{24})$")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def submit(window) -> int:
    session = IntakeSession(window.content)
    fill_demo_session(session, "Quintessa", "Zebulonsky")
    session.confirm(True)
    return window.store.submit(session.build_submission())


def open_intake(qtbot, window):
    submit(window)
    window.store.staff.create("Kim", "front_desk", PIN, COMMAND_LINE, dt.datetime.now())
    staff = StaffUser(qtbot, window)
    area = staff.sign_in("Kim", PIN)
    area.open_intake(window.store.queue_page(limit=1)[0].id)
    return staff, area


def saved(text: str) -> tuple[Path, str]:
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    found = SAVED.search(words)
    assert found, text
    return Path(found["path"]), found["password"]


def test_an_encrypted_kiosk_encrypts_every_export_and_shows_its_password(
        make_window, qtbot, tmp_path):
    old = os.umask(0o022)  # what a desktop session gives
    try:
        window = make_window(db_key=KEY)
        staff, area = open_intake(qtbot, window)
        detail = area.detail

        staff.tap(detail.pdf_button)
        text = detail.result.text()
        assert "open it in a PDF reader with this password" in text
        pdf, password = saved(text)
        assert pdf.parent == tmp_path / "data" / "exports" and pdf.suffix == ".pdf"
        assert mode(pdf) == 0o600 and mode(pdf.parent) == 0o700
        assert b"Zebulonsky" not in pdf.read_bytes()
        reader = PdfReader(pdf)
        assert reader.is_encrypted
        assert reader.decrypt("not-the-password").name == "NOT_DECRYPTED"
        reader = PdfReader(pdf)
        reader.decrypt(password)
        assert "Zebulonsky" in reader.pages[0].extract_text()

        staff.tap(detail.fhir_button)
        zipped, second = saved(detail.result.text())
        assert "encrypted zip file" in detail.result.text() and second != password
        assert zipped.name.endswith(".json.zip") and mode(zipped) == 0o600
        assert b"Zebulonsky" not in zipped.read_bytes()
        with pyzipper.AESZipFile(zipped) as archive:
            [name] = archive.namelist()
            with pytest.raises(RuntimeError):
                archive.read(name)
            archive.setpassword(second.encode())
            response = json.loads(archive.read(name))
        assert response["contained"][0]["name"][0]["family"] == "Zebulonsky"

        staff.tap(detail.back_button)
        queue = area.queue
        with qtbot.waitSignal(queue.export_finished, timeout=20000):
            staff.tap(queue.export_button)
        csv_zip, third = saved(queue.result.text())
        assert csv_zip.name.endswith(".csv.zip") and f"{csv_zip} (1)." in queue.result.text()
        with pyzipper.AESZipFile(csv_zip) as archive:
            archive.setpassword(third.encode())
            assert "Zebulonsky" in archive.read(archive.namelist()[0]).decode("utf-8-sig")

        exports = sorted(p.name for p in pdf.parent.iterdir())
        assert all(n.endswith((".pdf", ".zip")) for n in exports) and len(exports) == 3
        # the passwords are shown, never kept
        actions = window.store.audit_events(COMMAND_LINE, 100)
        assert not any(p in line.detail for line in actions for p in (password, second, third))
    finally:
        os.umask(old)


def test_the_demo_kiosk_writes_plain_files_that_only_its_user_can_read(make_window, qtbot):
    window = make_window()
    staff, area = open_intake(qtbot, window)
    staff.tap(area.detail.fhir_button)
    text = area.detail.result.text()
    assert "password" not in text
    path = Path(text.removeprefix("Saved to "))
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert json.loads(path.read_text())["contained"][0]["name"][0]["family"] == "Zebulonsky"
