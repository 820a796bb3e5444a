"""How storage keeps times: local wall-clock times without offset, to the second."""

from __future__ import annotations

import datetime as dt


def naive_local(moment: dt.datetime) -> dt.datetime:
    """Stored times are local wall-clock times without offset (what staff read)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0)
