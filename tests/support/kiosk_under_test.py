"""The kiosk as the process tests start: ``python -m tests.support.kiosk_under_test ARGS``.

The same start as ``main.py`` (:mod:`kiosk.command_line`), plus the test hooks the
environment asks for: the script driver (``KIOSK_TEST_SCRIPT``, the crash tests) and the
probe (``KIOSK_TEST_PROBE``, the real-window test). They live here, under ``tests/``, so
the installed kiosk cannot start them: no environment variable makes the product write
what is on screen anywhere (tests/test_packaging.py checks this on the installed wheel).
"""

from __future__ import annotations

import sys

from kiosk import command_line as kiosk_main
from tests.support.probe import attach_probe
from tests.support.script_driver import attach_script_driver


def _attach(window):
    return attach_script_driver(window), attach_probe(window)


if __name__ == "__main__":
    sys.exit(kiosk_main.main(sys.argv[1:], on_window=_attach))
