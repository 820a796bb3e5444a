"""Started as a fresh process by the memory benchmark: resident memory after start, and
its growth over many intakes in one process (a leak would show as steady growth).

Prints ``start KB``, ``warm KB`` (after the first WARMUP intakes: caches and Qt's lazy
allocations settled) and ``end KB`` (after COUNT more).
"""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WARMUP = 20


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main(count: int) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from kiosk.config import KioskConfig
    from kiosk.demo.answers import fill_demo_session
    from kiosk.intake.records import StepKind
    from kiosk.ui.app import build_window
    from kiosk.ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(app)

    def settle() -> None:
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()

    with tempfile.TemporaryDirectory() as data:
        window = build_window(KioskConfig(data_dir=Path(data), speech_engine="off"))
        window.show()
        settle()
        print(f"start {rss_kb()}", flush=True)
        for number in range(WARMUP + count):
            window.start_patient("es" if number % 5 == 0 else "en")
            flow = window.flow
            fill_demo_session(flow.service)
            window.writer.wait_idle()
            flow.show_step()
            while flow.session.current.kind is not StepKind.CONFIRM:
                flow.on_next_tapped()
                while flow.waiting:  # the next step shows once its write is on disk
                    app.processEvents()
                app.processEvents()
            flow.screen.confirm_button.click()
            while flow.submitted_id is None:
                app.processEvents()
            settle()
            window.end_patient()
            settle()
            if number + 1 == WARMUP:
                print(f"warm {rss_kb()}", flush=True)
        print(f"end {rss_kb()}", flush=True)
        window.shut_down()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
