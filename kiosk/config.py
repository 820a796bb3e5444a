"""Start-up settings: where data lives and how the window behaves."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "intake-kiosk"


def backups_beside(exports_dir: Path) -> Path:
    """Staff's *Back up* folder: ``DATA_DIR/backups``, beside ``DATA_DIR/exports``."""
    return exports_dir.parent / "backups"


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
    database_url: str | None = field(default=None, repr=False)  # None: DATA_DIR/kiosk.db
    # the PostgreSQL password from --database-password-file (None: the URL's own, or libpq's)
    database_password: str | None = field(default=None, repr=False)
    staff_only: bool = False  # the front-desk PC: staff mode only, no patient screens
    # Read aloud: a Qt TextToSpeech engine name ("speechd", "mock"), "off", or None for
    # $KIOSK_SPEECH_ENGINE, else the system's default engine.
    speech_engine: str | None = None
    # On-screen keyboard: "auto" (Qt Virtual Keyboard on a real display, else the kiosk's
    # own), "qt" or "kiosk".
    keyboard: str = "auto"
    # --ehr-settings: how the kiosk reaches the clinic's EHR and today's appointments
    # (kiosk.delivery.settings); None: neither (intakes stay on the kiosk, as exports).
    ehr_settings: Path | None = None
    # --value-sets: the clinic's ValueSet files and FHIR packages (kiosk.content.core_value_sets);
    # None: $KIOSK_VALUE_SETS, else FHIR's core value sets only.
    value_sets: Path | None = None
    # --check-start: quit (exit 0) once the first screen is shown, to check an installation.
    check_start: bool = False

    @property
    def database_path(self) -> Path:
        return self.data_dir / "kiosk.db"

    def store_arguments(self) -> dict:
        """What :class:`kiosk.storage.Store` needs to open the configured database."""
        if self.database_url and not self.database_url.startswith("sqlite:///"):
            if self.database_password is not None:
                return {"url": self.database_url, "password": self.database_password}
            return {"url": self.database_url}
        path = Path(self.database_url[len("sqlite:///"):]) if self.database_url else None
        return {"path": path or self.database_path, "key": self.db_key}

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"

    @property
    def backups_dir(self) -> Path:
        return backups_beside(self.exports_dir)

    @property
    def log_path(self) -> Path:
        return self.data_dir / "kiosk.log"
