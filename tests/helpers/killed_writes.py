"""A process that starts an export or a backup and stops at a chosen point of it, to be
SIGKILLed there (tests/test_killed_exports.py).

``python -m tests.helpers.killed_writes WHAT WHERE DATA_DIR TARGET [KEY]``: WHAT is
``csv``, ``csv-zip``, ``pdf``, ``json`` or ``backup``; WHERE is ``rows`` (half the CSV rows
written), ``fsync`` (every byte written, the file not yet renamed) or ``check`` (a backup
copied, not yet checked). The process prints ``READY`` there and waits to be killed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path


def stop_here() -> None:
    print("READY", flush=True)
    time.sleep(600)
    raise SystemExit("not killed")


def main(what: str, where: str, data_dir: Path, target: Path, key: str | None) -> None:
    from kiosk.content.library import load_content
    from kiosk.demo.answers import fill_demo_session
    from kiosk.intake.session import IntakeSession
    from kiosk.staff.access import COMMAND_LINE
    from kiosk.storage import QueueFilter, Store

    content = load_content()
    store = Store(data_dir / "kiosk.db", key=key)
    store.staff.create("Ada", "admin", "482913", COMMAND_LINE, dt.datetime.now())
    for number in range(4):
        session = IntakeSession(content)
        fill_demo_session(session, "Quintessa", f"Zebulonsky{number}")
        session.confirm(True)
        store.submit(session.build_submission())

    if where == "fsync":
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            real_fsync(fd)
            stop_here()

        os.fsync = fsync  # type: ignore[assignment] # this process is killed here
    if where == "check":
        import kiosk.storage.backups as backups

        backups.verify_copy = lambda *args: stop_here()  # type: ignore[assignment]

    password = "k7dm-2x9q-pt4w-mn3e-r8ab" if what.endswith("-zip") or key else None
    if what.startswith("csv"):
        from kiosk.export.csv_export import export_csv_file

        def intakes():
            for number, intake in enumerate(store.intakes_matching(QueueFilter(), COMMAND_LINE)):
                if where == "rows" and number == 2:
                    stop_here()
                yield intake

        export_csv_file(intakes(), content, target, password)
    elif what == "pdf":
        from PySide6.QtGui import QGuiApplication

        from kiosk.export.summary import summary_html
        from kiosk.ui.pdf_export import write_pdf

        app = QGuiApplication([])  # noqa: F841 - Qt's text layout needs one
        intake = store.intake(1, COMMAND_LINE)
        write_pdf(summary_html(intake, content), target, password=password)
    elif what == "json":
        from kiosk.export.fhir_record import fileable_response
        from kiosk.export.protected import save_export

        intake = store.intake(1, COMMAND_LINE)
        save_export(target, json.dumps(fileable_response(intake)).encode(), password)
    elif what == "backup":
        store.backup(target, COMMAND_LINE)
    raise SystemExit(f"{what} finished without stopping at {where}")


if __name__ == "__main__":
    what, where, data_dir, target = sys.argv[1:5]
    main(what, where, Path(data_dir), Path(target), sys.argv[5] if len(sys.argv) > 5 else None)
