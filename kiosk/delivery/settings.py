"""How the kiosk reaches the clinic's EHR, read from a JSON settings file the clinic writes.

```json
{
  "fhir": {"base_url": "https://ehr.clinic.example/fhir",
           "auth": {"type": "bearer", "token_file": "/etc/intake-kiosk/ehr.token"}},
  "patient_identifier_system": "https://clinic.example/fhir/sid/mrn",
  "appointments": {"csv_folder": "/var/lib/intake-kiosk/appointments"}
}
```

``"hl7": {"host": …, "port": 2575, "message": "MDM^T02" | "ORU^R01", …}`` delivers over
MLLP instead (then ``fhir``, if given, is only searched for appointments);
``"appointments"`` may also say ``"hl7_listen": {"port": N}`` (SIU messages) and
``"fhir_search": true``. ``auth`` is ``{"type": "none"}``, a bearer token (``token_file``,
read when sending, so a new token needs no restart; or ``$KIOSK_EHR_TOKEN``), or SMART
Backend Services
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
class Hl7Destination:
    """An HL7 v2 receiver over MLLP (an interface engine, the EHR's inbound port)."""

    host: str
    port: int
    message: str = "MDM^T02"  # MDM^T02 | ORU^R01
    tls: bool = True
    ca_file: Path | None = None
    sending_application: str = "INTAKE-KIOSK"
    sending_facility: str = ""
    receiving_application: str = ""
    receiving_facility: str = ""
    assigning_authority: str = ""  # PID-3's assigning authority for the clinic's ids
    timeout: float = 30.0  # seconds for the connection and for the ACK


@dataclass(frozen=True)
class Hl7Listener:
    """Where the kiosk listens for SIU appointment messages (MLLP)."""

    host: str = "127.0.0.1"
    port: int = 2575


@dataclass(frozen=True)
class EhrSettings:
    fhir: FhirDestination | None = None
    patient_identifier_system: str = ""
    appointments_folder: Path | None = None
    hl7: Hl7Destination | None = None
    appointments_hl7: Hl7Listener | None = None
    appointments_fhir_search: bool = False  # today's Appointments from the FHIR server
    fhir_search_minutes: float = 5.0

    @property
    def has_appointment_feed(self) -> bool:
        return bool(self.appointments_folder or self.appointments_hl7
                    or self.appointments_fhir_search)


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
    unknown = set(data) - {"fhir", "hl7", "patient_identifier_system", "appointments"}
    if unknown:
        raise SettingsError(source, "top level", f"unknown settings {sorted(unknown)}")
    fhir = _fhir(data["fhir"], source) if "fhir" in data else None
    hl7 = _hl7(data["hl7"], source) if "hl7" in data else None
    system = data.get("patient_identifier_system", "")
    if not isinstance(system, str) or (system and ":" not in system):
        raise SettingsError(source, "patient_identifier_system",
                            "expected the URI of the clinic's patient identifiers")
    folder, listener, search, minutes = None, None, False, 5.0
    if "appointments" in data:
        appointments = data["appointments"]
        expected = ('expected {"csv_folder": "DIR"}, {"hl7_listen": {"port": N}} and/or '
                    '{"fhir_search": true}')
        if not isinstance(appointments, dict) or not appointments or set(appointments) - {
                "csv_folder", "hl7_listen", "fhir_search", "fhir_search_minutes"}:
            raise SettingsError(source, "appointments", expected)
        if "csv_folder" in appointments:
            if not isinstance(appointments["csv_folder"], str):
                raise SettingsError(source, "appointments.csv_folder", "expected a folder")
            folder = Path(appointments["csv_folder"])
        if "hl7_listen" in appointments:
            listener = _listener(appointments["hl7_listen"], source)
        search = appointments.get("fhir_search", False)
        if not isinstance(search, bool):
            raise SettingsError(source, "appointments.fhir_search", "expected true or false")
        if search and fhir is None:
            raise SettingsError(source, "appointments.fhir_search",
                                "needs the fhir settings (the server to search)")
        minutes = appointments.get("fhir_search_minutes", 5)
        if not isinstance(minutes, int | float) or isinstance(minutes, bool) or minutes <= 0:
            raise SettingsError(source, "appointments.fhir_search_minutes",
                                "expected a positive number of minutes")
        if not system:
            raise SettingsError(source, "patient_identifier_system",
                                "required with appointments: the URI the clinic's patient "
                                "ids belong to")
    return EhrSettings(fhir, system, folder, hl7, listener, search, float(minutes))


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _port(value: Any, source: str, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 65536:
        raise SettingsError(source, where, "expected a port number (1-65535)")
    return value


def _hl7(data: Any, source: str) -> Hl7Destination:
    if not isinstance(data, dict) or not isinstance(data.get("host"), str) or not data["host"]:
        raise SettingsError(source, "hl7", 'expected {"host": "…", "port": 2575, '
                            '"message": "MDM^T02"}')
    texts = ("sending_application", "sending_facility", "receiving_application",
             "receiving_facility", "assigning_authority")
    unknown = set(data) - {"host", "port", "message", "tls", "ca_file", "timeout_seconds",
                           *texts}
    if unknown:
        raise SettingsError(source, "hl7", f"unknown settings {sorted(unknown)}")
    port = _port(data.get("port"), source, "hl7.port")
    message = data.get("message", "MDM^T02")
    if message not in ("MDM^T02", "ORU^R01"):
        raise SettingsError(source, "hl7.message", "expected MDM^T02 or ORU^R01")
    tls = data.get("tls", data["host"] not in LOOPBACK)
    if not isinstance(tls, bool):
        raise SettingsError(source, "hl7.tls", "expected true or false")
    ca_file = data.get("ca_file")
    if ca_file is not None and not isinstance(ca_file, str):
        raise SettingsError(source, "hl7.ca_file", "expected a file path")
    timeout = data.get("timeout_seconds", 30)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise SettingsError(source, "hl7.timeout_seconds", "expected a positive number")
    values = {}
    for key in texts:
        value = data.get(key, "")
        if not isinstance(value, str) or any(ch in value for ch in "|^~\\&\r\n"):
            raise SettingsError(source, f"hl7.{key}",
                                "expected text without HL7 delimiters (| ^ ~ \\ &)")
        values[key] = value
    return Hl7Destination(data["host"], port, message, tls,
                          Path(ca_file) if ca_file else None,
                          sending_application=values["sending_application"] or "INTAKE-KIOSK",
                          sending_facility=values["sending_facility"],
                          receiving_application=values["receiving_application"],
                          receiving_facility=values["receiving_facility"],
                          assigning_authority=values["assigning_authority"],
                          timeout=float(timeout))


def _listener(data: Any, source: str) -> Hl7Listener:
    if not isinstance(data, dict) or set(data) - {"host", "port"}:
        raise SettingsError(source, "appointments.hl7_listen",
                            'expected {"port": 2575} (and "host", 127.0.0.1 unless set)')
    host = data.get("host", "127.0.0.1")
    if not isinstance(host, str) or not host:
        raise SettingsError(source, "appointments.hl7_listen.host", "expected an address")
    return Hl7Listener(host, _port(data.get("port"), source, "appointments.hl7_listen.port"))


def _fhir(data: Any, source: str) -> FhirDestination:
    if not isinstance(data, dict) or not isinstance(data.get("base_url"), str):
        raise SettingsError(source, "fhir", 'expected {"base_url": "https://…", "auth": …}')
    base = data["base_url"].rstrip("/")
    parsed = urlparse(base)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(source, "fhir.base_url", "expected an http(s) URL")
    if parsed.scheme == "http" and parsed.hostname not in LOOPBACK:
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
