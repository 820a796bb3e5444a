"""The review queue screen: submitted intakes newest first, filters, CSV and PDF export
(printing and the PDF file: queue_print)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import backups_beside
from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.export.csv_export import export_csv_file
from kiosk.export.protected import export_path, new_password
from kiosk.questionnaire.load_report import format_report
from kiosk.staff.access import StaffActor
from kiosk.storage import QueueFilter, StorageError, Store
from kiosk.ui.overlay import Overlay
from kiosk.ui.staff import queue_print
from kiosk.ui.staff.export_notice import show_export_done, show_plain
from kiosk.ui.staff.queue_filters import QueueFilterBar
from kiosk.ui.staff.queue_model import QueueModel
from kiosk.ui.staff.queue_print import (
    PDF_BATCH,
    print_through_dialog,
    say_no_printer,
    summaries_pdf_writer,
)
from kiosk.ui.staff.queue_table import QueueTable
from kiosk.ui.staff.storage_guard import remove_unfinished, report, storage_action
from kiosk.ui.theme import kinetic
from kiosk.ui.touch import button, label

QUEUE_MIN_ROWS = 3  # rows the list always shows, scrolling the screen if need be
# Column widths in digits of the table's font (they grow with the text size): time,
# patient, birth date, procedure, status; the flags take the rest (at least FLAGS_LEAST).
WIDE_COLUMNS = (10, 15, 10, 17, 11)
FLAGS_LEAST = 16
BIRTH_COLUMN, FLAGS_COLUMN = 2, 5
# Narrow (portrait): patient (birth date under the name), flags, status, procedure, time.
NARROW_ORDER = (1, 5, 4, 3, 0, 2)
NARROW_COLUMNS = {1: 15, 5: 16, 4: 10, 3: 15, 0: 10}


class BackgroundExport(QThread):
    """Runs ``work`` (returns a count) on a worker thread (a QThread: the PDF writer needs
    Qt's event dispatcher there); ``done(count, reason)`` arrives on the thread that
    started it, count None when it failed. The worker's database connection is closed
    when it ends."""

    done = Signal(object, str)
    # Kept here until each has finished: a QThread destroyed while it runs aborts the
    # process (staff may sign out, and the queue screen go, during an export).
    running: set[BackgroundExport] = set()

    def __init__(self, store: Store, work: Callable[[], int]) -> None:
        super().__init__()
        self.store = store
        self.work = work
        BackgroundExport.running.add(self)
        self.finished.connect(self._forget)  # a method: called on the GUI thread

    def _forget(self) -> None:
        self.wait()
        BackgroundExport.running.discard(self)

    def run(self) -> None:  # on the worker thread
        try:
            count, reason = self.work(), ""
        except (OSError, StorageError) as exc:
            count = None
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        finally:
            self.store.close()  # this thread's connection only (peewee keeps one each)
        self.done.emit(count, reason)


class QueueScreen(QWidget):
    open_requested = Signal(int)  # intake id
    sign_out_requested = Signal()
    interrupted_requested = Signal()
    audit_requested = Signal()
    admin_requested = Signal()
    export_finished = Signal(str)  # the file written

    def __init__(self, store: Store, content: ContentLibrary, t: Catalogue, actor: StaffActor,
                 exports_dir: Path,
                 printers: Callable[[], Sequence[object]] | None = None,
                 print_dialog: Callable[[QPrinter, QWidget], QDialog] = QPrintDialog) -> None:
        """``printers`` lists the printers there are (none: Print PDF writes a file) and
        ``print_dialog`` makes the dialog that sets one up (tests give their own)."""
        super().__init__()
        self.setObjectName("Screen")
        self.printers = printers or (lambda: queue_print.available_printers())  # when asked
        self.print_dialog = print_dialog
        self._saved_for_lack_of_printer = False
        self.store = store
        self.content = content
        self.t = t
        self.actor = actor
        self.staff_name = actor.name
        self.exports_dir = exports_dir

        top = QHBoxLayout()
        top.addWidget(label(t("queue_heading"), "Heading"))
        top.addStretch(1)
        top.addWidget(label(actor.name, "Muted", wrap=False))
        self.sign_out = button(t("staff_sign_out"))
        self.sign_out.clicked.connect(self.sign_out_requested)
        top.addWidget(self.sign_out)
        # a row under the header (it fits 800 px in portrait), two rows when the buttons'
        # words do not fit one (portrait at the largest text)
        tools = QVBoxLayout()
        self.tool_rows = (QHBoxLayout(), QHBoxLayout())
        for row in self.tool_rows:
            tools.addLayout(row)
        self.interrupted_button = button(t("interrupted_button", count=0))
        self.interrupted_button.clicked.connect(self.interrupted_requested)
        self.audit_button = button(t("audit_button"))
        self.audit_button.clicked.connect(self.audit_requested)
        self.admin_button = button(t("accounts_button"))
        self.admin_button.clicked.connect(self.admin_requested)
        self.form_button = button(t("form_report"))
        self.form_button.clicked.connect(self.on_form_report)
        self.backup_button = button(t("backup_now"))
        self.backup_button.clicked.connect(self.on_backup)
        self.tools = (self.interrupted_button, self.audit_button, self.admin_button,
                      self.form_button, self.backup_button)
        for tool in self.tools:
            tool.setObjectName("Tool")
        self._tools_on_first_row = -1
        self._fit_tools(10_000)
        self.report: Overlay | None = None
        self._exporting: BackgroundExport | None = None
        self._pending: tuple[str, dt.datetime, str, Path, str | None] | None = None

        self.count = label("", "Muted")
        self.ehr_summary = label("", "Muted")  # deliveries to the EHR still to go
        self.ehr_summary.hide()
        self.storage_problem = label("", "Banner")
        self.storage_problem.hide()
        self.filters = QueueFilterBar(content, t)
        self.filters.changed.connect(self.show_matches)
        self.clear_filters = button(t("filter_clear"), "Quiet")
        self.clear_filters.clicked.connect(self.filters.clear)
        self.model = QueueModel(store, content, t, on_storage_error=lambda exc: report(
            self, "staff_action_read_queue", exc))
        self.table = QueueTable()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.column_shape: tuple[bool, int] | None = None
        self.table.resized.connect(self._fit_columns)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        kinetic(self.table)
        self.table.opened.connect(self.on_row_tapped)  # a tap, Return, Space, or AT's action
        self.table.setAccessibleName(t("queue_heading"))

        export_row = QHBoxLayout()
        self.export_button = button(t("queue_export_csv"), "Primary")
        self.export_button.clicked.connect(self.on_export_csv)
        self.pdf_button = button(t("queue_export_pdf", count=PDF_BATCH))
        self.pdf_button.clicked.connect(self.on_export_pdf)
        export_row.addWidget(self.export_button)
        export_row.addWidget(self.pdf_button)
        export_row.addStretch(1)
        self.result = label("", "Notice")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()

        # The screen scrolls when its parts do not fit the window (landscape at the largest
        # text): nothing is squeezed below its height, and the list keeps a few rows.
        self.table.setMinimumHeight(QUEUE_MIN_ROWS * 64 + 56)
        body = QWidget()
        body.setObjectName("Screen")
        self.page = QScrollArea()
        self.page.setWidgetResizable(True)
        self.page.setFrameShape(QFrame.Shape.NoFrame)
        self.page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page.setWidget(body)
        kinetic(self.page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.addLayout(top)
        layout.addLayout(tools)
        layout.addWidget(self.storage_problem)
        layout.addWidget(self.filters)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count, 1)
        count_row.addWidget(self.ehr_summary)
        count_row.addWidget(self.clear_filters)
        layout.addLayout(count_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(export_row)
        layout.addWidget(self.result)

    def _fit_tools(self, width: int) -> None:
        """As many tool buttons on the first row as fit ``width`` whole, the rest below."""
        spacing = max(0, self.tool_rows[0].spacing())
        used, first = 0, 0
        for tool in self.tools:
            used += tool.sizeHint().width() + (spacing if first else 0)
            if used > width:
                break
            first += 1
        first = max(1, first)
        if first == self._tools_on_first_row:
            return
        self._tools_on_first_row = first
        for row in self.tool_rows:
            while row.count():
                row.takeAt(0)
        for number, tool in enumerate(self.tools):
            self.tool_rows[0 if number < first else 1].addWidget(tool)
        for row in self.tool_rows:
            row.addStretch(1)

    def _fit_columns(self, force: bool = False) -> None:
        """Every column side by side when they fit; else (portrait, or the largest text)
        the birth date goes under the name and the flags come right after it, so staff
        always see whether an intake is flagged (12.9) — what is left scrolls sideways.
        Widths follow the table's font and are never narrower than a column's title."""
        digit = self.table.fontMetrics().horizontalAdvance("0")
        wide = self._column_widths(dict(enumerate(WIDE_COLUMNS)), digit)
        narrow = sum(wide.values()) + FLAGS_LEAST * digit > self.table.viewport().width()
        shape = (narrow, digit)
        if shape == self.column_shape and not force:
            return
        self.column_shape = shape
        self.model.set_birth_under_name(narrow)
        header = self.table.horizontalHeader()
        order = NARROW_ORDER if narrow else tuple(range(len(QueueModel.COLUMNS)))
        for position, logical in enumerate(order):
            header.moveSection(header.visualIndex(logical), position)
        self.table.setColumnHidden(BIRTH_COLUMN, narrow)
        widths = self._column_widths(NARROW_COLUMNS, digit) if narrow else wide
        for logical, width in widths.items():
            self.table.setColumnWidth(logical, width)
        lines = 3 if narrow else 2  # the name, wrapped, and the birth date under it
        self.table.verticalHeader().setDefaultSectionSize(
            max(64, lines * self.table.fontMetrics().lineSpacing() + 16))

    def _column_widths(self, chars: dict[int, int], digit: int) -> dict[int, int]:
        title_font = QFont(self.table.horizontalHeader().font())
        title_font.setBold(True)
        titles = QFontMetrics(title_font)
        return {logical: max(count * digit, titles.horizontalAdvance(
                    self.model.headerData(logical, Qt.Orientation.Horizontal))) + 24
                for logical, count in chars.items()}

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        margins = self.page.widget().layout().contentsMargins()
        scroll_bar = self.page.verticalScrollBar().sizeHint().width()
        self._fit_tools(event.size().width() - margins.left() - margins.right() - scroll_bar)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)  # another text size: other widths
        if event.type() in (event.Type.StyleChange, event.Type.FontChange) \
                and hasattr(self, "page"):
            self._tools_on_first_row = -1
            self._fit_columns(force=True)
            self._fit_tools(self.width() - 64 - self.page.verticalScrollBar().sizeHint().width())

    @storage_action("staff_action_read_queue")
    def reload(self) -> None:
        """Everything on the screen afresh (on opening, and back from an intake)."""
        if self.store.last_error:
            self.storage_problem.setText(self.t("storage_problem", cause=self.store.last_error))
        self.storage_problem.setVisible(bool(self.store.last_error))
        waiting = self.store.count_drafts()
        self.interrupted_button.setText(self.t("interrupted_button", count=waiting))
        self.interrupted_button.setProperty("attention", bool(waiting))
        self.interrupted_button.style().unpolish(self.interrupted_button)
        self.interrupted_button.style().polish(self.interrupted_button)
        deliveries = self.store.outbox.counts()
        self.ehr_summary.setVisible(self.store.deliver or any(deliveries.values()))
        self.ehr_summary.setText(self.t("queue_ehr_summary", waiting=deliveries["waiting"],
                                        failed=deliveries["failed"]))
        self.show_matches()

    @storage_action("staff_action_read_queue")
    def show_matches(self) -> None:
        """The intakes the filters select, and how many (on every change of a filter)."""
        where = self.filters.current()
        filtered = where != QueueFilter()
        self.model.reload(where)
        self.table.scrollToTop()  # a new filter starts at its newest rows
        total = self.store.count_intakes()
        if filtered:
            shown = self.store.count_intakes(where)
            self.count.setText(self.t("queue_count_filtered", shown=f"{shown:,}",
                                      count=f"{total:,}"))
        else:
            shown = total
            self.count.setText(
                self.t("queue_count", count=f"{total:,}") if total else self.t("queue_empty"))
        self.clear_filters.setVisible(filtered)
        self.export_button.setText(self.t("queue_export_csv_count", count=f"{shown:,}"))
        self.export_button.setEnabled(shown > 0)
        self.pdf_button.setEnabled(shown > 0)

    @storage_action("staff_action_backup")
    def on_backup(self) -> None:
        """A consistent copy of the database now, into DATA_DIR/backups (audited)."""
        now = dt.datetime.now()
        path = backups_beside(self.exports_dir) / f"kiosk-{now:%Y%m%d-%H%M%S}.db"
        try:
            self.store.backup(path, self.actor)
        except (StorageError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            show_plain(self.result, self.t("export_failed", reason=reason))
            self.result.show()
            return
        try:
            self.store.audit(self.staff_name, "backup", now, detail=path.name)
        except StorageError:
            remove_unfinished(path, existed_before=False)  # audited, or not kept
            show_plain(self.result, self.t("export_failed",
                                           reason=self.t("export_not_audited")))
            self.result.show()
            raise  # and the banner says why
        show_plain(self.result, self.t("export_done", path=str(path)))
        self.result.show()

    def on_form_report(self) -> None:
        """What the kiosk does not do as written in its questionnaire (the load report)."""
        questionnaire = self.content.questionnaire
        self.report = Overlay(self.window(), self.t("form_report"))
        text = QTextBrowser()
        text.setPlainText(format_report(questionnaire))
        text.setMinimumSize(640, 320)
        self.report.content.addWidget(text)
        close = self.report.add_button(self.t("close"), "Primary")
        close.clicked.connect(self.report.hide)
        self.report.open()

    def on_row_tapped(self, index) -> None:
        self.open_requested.emit(self.model.data(index, Qt.ItemDataRole.UserRole))

    def on_export_csv(self) -> None:
        """Every intake the filters show, oldest first."""
        self._export("export_csv", "intakes", "csv", "intakes",
                     lambda path, password: export_csv_file(
                         self.store.intakes_matching(self.filters.current(), self.actor,
                                                     signatures=False),
                         self.content, path, password))

    def on_export_pdf(self) -> None:
        """The summaries of the newest intakes the filters show (up to PDF_BATCH), each
        starting a page: through the system's print dialog when there is a printer, else
        in one printable PDF file (and the message says why). See queue_print."""
        if self.printers():
            self._print()
            return
        self._saved_for_lack_of_printer = True
        self._export("export_pdf", "summaries", "pdf", "summaries", summaries_pdf_writer(
            self.store, self.actor, self.content, self.filters.current()))

    @storage_action("staff_action_print")
    def _print(self) -> None:
        print_through_dialog(self, self.print_dialog, self.store, self.actor, self.content,
                             self.t, self.filters.current(), self.filters.describe(),
                             self._say)

    def _say(self, text: str) -> None:
        show_plain(self.result, text)
        self.result.show()

    def _export(self, action: str, stem: str, suffix: str, noun: str,
                write: Callable[[Path, str | None], int]) -> None:
        """Write an export file in a worker thread (10,000 intakes take a second or more:
        the screen stays responsive), then say where it went, or why not, and audit it.
        On a kiosk holding patient data it is encrypted with a new password (shown once)."""
        now = dt.datetime.now()
        path = self.exports_dir / f"{stem}-{now:%Y%m%d-%H%M%S}.{suffix}"
        password = new_password() if self.store.protects_exports else None
        where = self.filters.describe()
        for widget in (self.export_button, self.pdf_button):
            widget.setEnabled(False)
        show_plain(self.result, self.t("exporting"))
        self.result.show()

        self._pending = (action, now, f"{noun}: {where}", export_path(path, password), password)
        self._exporting = BackgroundExport(self.store, lambda: write(path, password))
        # a method of this widget: Qt queues the call to the screen's (the GUI) thread
        self._exporting.done.connect(self._on_export_done)
        self._exporting.start()

    def _on_export_done(self, count: int | None, reason: str) -> None:
        action, at, what, path, password = self._pending
        if self._exporting is not None:
            self._exporting.wait()  # done is its last word: it is ending now
        self._exporting = None
        self.show_matches()  # the buttons again, as the filters allow
        if count is None:
            show_plain(self.result, self.t("export_failed", reason=reason))
            return
        try:
            self.store.audit(self.staff_name, action, at, detail=f"{count} {what}")
        except StorageError as exc:
            remove_unfinished(path, existed_before=False)  # every export is audited, or not kept
            show_plain(self.result, self.t("export_failed",
                                           reason=self.t("export_not_audited")))
            report(self, "staff_action_export", exc)
            return
        show_export_done(self.result, self.t, path, password, count)
        if action == "export_pdf" and self._saved_for_lack_of_printer:
            self._saved_for_lack_of_printer = False
            say_no_printer(self.result, self.t, password)
        self.export_finished.emit(str(path))
