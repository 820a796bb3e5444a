"""Test set-up: Qt offscreen, every test on its own data directory, content loaded once."""

from __future__ import annotations

import os

# Must be set before PySide6 is imported anywhere: without a display Qt would abort.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from kiosk.content_library import ContentLibrary, load_content  # noqa: E402

SHARED_QUESTIONNAIRES = Path(
    os.environ.get(
        "KIOSK_SHARED_QUESTIONNAIRES",
        Path(__file__).resolve().parents[2] / "shared" / "questionnaires",
    )
)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real user data directory."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture(scope="session")
def content() -> ContentLibrary:
    return load_content()


@pytest.fixture
def shared_questionnaire():
    def path(name: str) -> Path:
        found = SHARED_QUESTIONNAIRES / name
        if not found.exists():
            pytest.fail(f"{found} is missing (set KIOSK_SHARED_QUESTIONNAIRES)")
        return found

    return path
