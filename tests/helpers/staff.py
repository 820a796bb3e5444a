"""Staff accounts for tests: a real account, signed in the real way."""

from __future__ import annotations

import datetime as dt

from kiosk.staff.access import COMMAND_LINE, StaffActor
from kiosk.storage import Store

PIN = "482913"


def signed_in(store: Store, name: str = "Kim", role: str = "admin",
              pin: str = PIN) -> StaffActor:
    """Create (or re-create) ``name`` from the command line and sign in as them."""
    store.staff.create(name, role, pin, COMMAND_LINE, dt.datetime.now())
    result = store.staff.sign_in(name, pin, dt.datetime.now())
    assert result.ok and result.actor is not None
    return result.actor
