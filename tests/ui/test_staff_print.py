"""Print PDF: the system print dialog where there is a printer, a PDF file where there is
none (as on CI), each audited (issue 12.9)."""

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
from kiosk.ui.staff.queue import QueueScreen
from tests.helpers.pdf import pdf_text
from tests.helpers.staff import signed_in
from tests.helpers.taps import tap

pytestmark = pytest.mark.gui


class FakePrintDialog:
    """Stands for QPrintDialog: the staff member picks "print to file" (a real QPrinter
    in PdfFormat), or cancels."""

    made: list["FakePrintDialog"] = []

    def __init__(self, printer: QPrinter, parent, *, output: Path | None) -> None:
        self.printer = printer
        self.parent = parent
        self.output = output
        FakePrintDialog.made.append(self)

    def exec(self) -> QDialog.DialogCode:
        if self.output is None:
            return QDialog.DialogCode.Rejected
        self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer.setOutputFileName(str(self.output))
        return QDialog.DialogCode.Accepted


@pytest.fixture
def store(tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    for first in ("Maria", "Omar"):
        session = IntakeSession(content)
        fill_demo_session(session, first, "Santos")
        session.confirm(True)
        store.submit(session.build_submission())
    yield store
    store.close()


@pytest.fixture
def make_queue(qtbot, store, content, tmp_path):
    FakePrintDialog.made.clear()
    actor = signed_in(store)

    def make(printers, output):
        screen = QueueScreen(
            store, content, content.strings("en"), actor, tmp_path / "exports",
            printers=lambda: printers,
            print_dialog=lambda printer, parent: FakePrintDialog(printer, parent,
                                                                 output=output))
        (tmp_path / "exports").mkdir(exist_ok=True)
        qtbot.addWidget(screen)
        screen.resize(1280, 800)
        screen.show()
        screen.reload()
        return screen, actor

    return make


def print_events(store, actor):
    return [e for e in store.audit_events(actor, 5000) if e.action == "print_pdf"]


def test_with_a_printer_the_print_dialog_prints_every_summary(qtbot, make_queue, store,
                                                              tmp_path):
    printed = tmp_path / "printed.pdf"
    screen, actor = make_queue(["a printer"], printed)
    tap(qtbot, screen.pdf_button)
    (dialog,) = FakePrintDialog.made
    assert isinstance(dialog.printer, QPrinter) and dialog.parent is screen
    assert printed.read_bytes().startswith(b"%PDF-")
    text = pdf_text(printed)
    assert "Santos, Maria" in text and "Santos, Omar" in text
    assert "Date of birth 1961-04-12" in text
    assert screen.result.text() == f"Sent 2 summaries to the printer {printed}."
    assert list((tmp_path / "exports").iterdir()) == []  # printed, not saved
    (event,) = print_events(store, actor)
    assert event.success and event.detail.startswith("2 summaries: All intakes")
    assert "Santos" not in event.detail  # ids and counts only


def test_a_cancelled_print_dialog_prints_and_records_nothing(qtbot, make_queue, store,
                                                            tmp_path):
    screen, actor = make_queue(["a printer"], None)
    tap(qtbot, screen.pdf_button)
    assert len(FakePrintDialog.made) == 1
    assert screen.result.text() == "Printing cancelled: nothing was printed."
    assert print_events(store, actor) == []


def test_without_a_printer_the_pdf_is_saved_and_the_message_says_why(qtbot, make_queue,
                                                                    store, tmp_path):
    screen, actor = make_queue([], tmp_path / "never.pdf")
    with qtbot.waitSignal(screen.export_finished, timeout=20_000) as written:
        tap(qtbot, screen.pdf_button)
    assert FakePrintDialog.made == []  # no dialog without a printer
    path = Path(written.args[0])
    assert path.parent == tmp_path / "exports" and "Santos, Omar" in pdf_text(path)
    assert screen.result.text() == ("No printer is set up on this computer, so the PDF was "
                                    f"saved instead. Saved to {path} (2)")
    events = [e for e in store.audit_events(actor, 5000) if e.action == "export_pdf"]
    assert len(events) == 1 and events[0].at <= dt.datetime.now()
