"""Started as a fresh process by the start-up benchmark: prints when Welcome accepts taps."""

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from kiosk.config import KioskConfig
    from kiosk.ui.app import build_window
    from kiosk.ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(app)
    with tempfile.TemporaryDirectory() as data:
        window = build_window(KioskConfig(data_dir=Path(data)))
        window.show()
        app.processEvents()  # shown, laid out, painted, event loop ready for the first tap
        window.welcome.start.repaint()
        print(f"ready {time.perf_counter():.6f}", flush=True)
        status = Path("/proc/self/status").read_text()
        rss = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
        print(f"rss_kb {rss}", flush=True)
        window.store.close()


if __name__ == "__main__":
    main()
