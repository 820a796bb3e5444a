"""How the kiosk reaches the clinic's EHR, read from a JSON settings file the clinic writes.

```json
{
  "fhir": {"base_url": "https://ehr.clinic.example/fhir",
           "auth": {"type": "bearer", "token_file": "/etc/intake-kiosk/ehr.token"}},
  "patient_identifier_system": "https://clinic.example/fhir/sid/mrn",
  "appointments": {"csv_folder": "/var/lib/intake-kiosk/appointments"}
}
```

``auth`` is ``{"type": "none"}``, a bearer token (``token_file``, read when sending, so a
new token needs no restart; or ``$KIOSK_EHR_TOKEN``), or SMART Backend Services
(``{"type": "smart-backend", "token_url": …, "client_id": …, "private_key_file": …
(PEM, RSA for RS384), "kid": …, "scope": "system/*.write"}``). Every problem is a
:class:`SettingsError` naming the file, the place and what was expected.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from kiosk.errors import ContentError


class SettingsError(ContentError):
    """The EHR settings file cannot be used (file, place, problem)."""


@dataclass(frozen=True)
class FhirAuth:
    type: str = "none"  # none | bearer | smart-backend
    token_file: Path | None = None
    token_url: str = ""
    client_id: str = ""
    private_key_file: Path | None = None
    kid: str = ""
    scope: str = "system/*.write"

    def bearer_token(self) -> str:
        """The bearer token: ``$KIOSK_EHR_TOKEN``, else the token file's first line."""
        if self.type != "bearer":
            raise ValueError("not a bearer-token setting")
        token = os.environ.get("KIOSK_EHR_TOKEN", "")
        if not token and self.token_file is not None:
            try:
                token = self.token_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise OSError(f"cannot read the EHR token file {self.token_file}: "
                              f"{exc.strerror or exc}") from None
        if not token:
            raise OSError("no EHR token: set KIOSK_EHR_TOKEN or auth.token_file")
        return token


@dataclass(frozen=True)
class FhirDestination:
    base_url: str
    auth: FhirAuth = FhirAuth()
    timeout: float = 30.0  # seconds for one request


@dataclass(frozen=True)
class EhrSettings:
    fhir: FhirDestination | None = None
    patient_identifier_system: str = ""
    appointments_folder: Path | None = None


def load_settings(path: Path) -> EhrSettings:
    source = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(source, "file", f"cannot be read: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise SettingsError(source, "file", f"is not JSON: {exc}") from None
    return parse_settings(data, source)


def parse_settings(data: Any, source: str) -> EhrSettings:
    if not isinstance(data, dict):
        raise SettingsError(source, "top level", "expected an object")
    unknown = set(data) - {"fhir", "patient_identifier_system", "appointments"}
    if unknown:
        raise SettingsError(source, "top level", f"unknown settings {sorted(unknown)}")
    fhir = _fhir(data["fhir"], source) if "fhir" in data else None
    system = data.get("patient_identifier_system", "")
    if not isinstance(system, str) or (system and ":" not in system):
        raise SettingsError(source, "patient_identifier_system",
                            "expected the URI of the clinic's patient identifiers")
    folder = None
    if "appointments" in data:
        appointments = data["appointments"]
        if not isinstance(appointments, dict) or not isinstance(
                appointments.get("csv_folder"), str):
            raise SettingsError(source, "appointments", 'expected {"csv_folder": "DIR"}')
        folder = Path(appointments["csv_folder"])
        if not system:
            raise SettingsError(source, "patient_identifier_system",
                                "required with appointments: the URI the clinic's patient "
                                "ids belong to")
    return EhrSettings(fhir, system, folder)


def _fhir(data: Any, source: str) -> FhirDestination:
    if not isinstance(data, dict) or not isinstance(data.get("base_url"), str):
        raise SettingsError(source, "fhir", 'expected {"base_url": "https://…", "auth": …}')
    base = data["base_url"].rstrip("/")
    parsed = urlparse(base)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(source, "fhir.base_url", "expected an http(s) URL")
    if parsed.scheme == "http" and parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SettingsError(source, "fhir.base_url",
                            "patient data goes over https only (http only on loopback)")
    timeout = data.get("timeout_seconds", 30)
    if not isinstance(timeout, int | float) or timeout <= 0:
        raise SettingsError(source, "fhir.timeout_seconds", "expected a positive number")
    return FhirDestination(base, _auth(data.get("auth", {"type": "none"}), source),
                           float(timeout))


def _auth(data: Any, source: str) -> FhirAuth:
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "none":
        return FhirAuth()
    if kind == "bearer":
        token_file = data.get("token_file")
        if token_file is not None and not isinstance(token_file, str):
            raise SettingsError(source, "fhir.auth.token_file", "expected a file path")
        return FhirAuth("bearer", token_file=Path(token_file) if token_file else None)
    if kind == "smart-backend":
        for key in ("token_url", "client_id", "private_key_file"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise SettingsError(source, f"fhir.auth.{key}", "required for smart-backend")
        return FhirAuth("smart-backend", token_url=data["token_url"],
                        client_id=data["client_id"],
                        private_key_file=Path(data["private_key_file"]),
                        kid=str(data.get("kid", "")),
                        scope=str(data.get("scope", "system/*.write")))
    raise SettingsError(source, "fhir.auth.type", "expected none, bearer or smart-backend")
