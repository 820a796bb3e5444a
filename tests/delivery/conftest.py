"""The delivery tests' store: a real SQLite file with delivery switched on."""

from __future__ import annotations

import pytest

from kiosk.storage import Store


@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "kiosk.db")
    opened.deliver = True
    yield opened
    opened.close()
