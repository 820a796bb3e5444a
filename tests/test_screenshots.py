"""``make screenshots-real``: the screens in a real X window with Qt Virtual Keyboard in the
picture (issue 12: the offscreen pictures never showed the real keyboard)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent
if not shutil.which("Xvfb") and os.environ.get("CI") != "true":
    pytest.skip("Xvfb is not installed (.ci/run installs it)", allow_module_level=True)


def dark_share(image: QImage, top: int, bottom: int) -> float:
    """The share of sampled pixels in rows ``top``..``bottom`` that are dark."""
    dark = total = 0
    for y in range(top, bottom, 8):
        for x in range(0, image.width(), 8):
            total += 1
            dark += image.pixelColor(x, y).lightness() < 60
    return dark / total


def test_the_real_window_pictures_show_qt_virtual_keyboard_under_the_field(tmp_path):
    out = tmp_path / "shots"
    done = subprocess.run(
        ["scripts/screenshots_real_window.sh", str(out), "03-checkin-keyboard"],
        cwd=ROOT, env={**os.environ, "PYTHON": sys.executable},
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    # every variant (language, text size, theme), each a later window in the same process:
    # only the first showed the keyboard (each new window was mapped over its window)
    for orientation, (width, height) in {"landscape": (1280, 800),
                                         "portrait": (800, 1280)}.items():
        for variant in ("en", "es", "en-large", "es-large", "en-contrast",
                        "es-large-contrast"):
            picture = QImage(str(out / f"03-checkin-keyboard-{orientation}-{variant}.png"))
            assert (picture.width(), picture.height()) == (width, height)
            if "contrast" not in variant:  # the light kiosk theme above the keyboard
                assert dark_share(picture, 0, height // 3) < 0.1, variant
            # Qt Virtual Keyboard's dark keys along the bottom, with its light key labels
            assert dark_share(picture, height - 300, height - 10) > 0.5, variant
            assert light_share(picture, height - 300, height - 10) > 0.01, variant


def light_share(image: QImage, top: int, bottom: int) -> float:
    """The share of sampled pixels in rows ``top``..``bottom`` that are light."""
    light = total = 0
    for y in range(top, bottom, 2):
        for x in range(0, image.width(), 2):
            total += 1
            light += image.pixelColor(x, y).lightness() > 200
    return light / total
