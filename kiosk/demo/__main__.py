"""``python -m kiosk.demo --intakes N``: fill a kiosk database with synthetic intakes."""

import sys

from kiosk.demo.synthetic import main

sys.exit(main())
