"""Start-up settings: where data lives and how the window behaves."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "intake-kiosk"


def default_data_dir() -> Path:
    override = os.environ.get("KIOSK_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class KioskConfig:
    data_dir: Path
    fullscreen: bool = False
    idle_seconds: float | None = None  # None: the clinic's setting in content/clinic.json
    warning_seconds: float | None = None
    width: int = 1280
    height: int = 800
    db_key: str | None = field(default=None, repr=False)  # None: unencrypted demo database

    @property
    def database_path(self) -> Path:
        return self.data_dir / "kiosk.db"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "kiosk.log"
