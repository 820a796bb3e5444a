"""Intake Kiosk from a checkout: ``python main.py ARGS`` (installed: ``intake-kiosk ARGS``).

The command line itself lives in the package (:mod:`kiosk.command_line`) so that an
installed wheel has it too.
"""

import sys

from kiosk.command_line import main

if __name__ == "__main__":
    sys.exit(main())
