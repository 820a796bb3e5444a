"""POST a transaction Bundle to a FHIR R4 server and say what came of it.

Plain ``urllib`` (no dependency). What happened is one of three :class:`Outcome` kinds:
``sent`` (a 2xx transaction-response whose entries are all 2xx; ``location`` is where the
QuestionnaireResponse was filed), ``retry`` (the server could not be reached, timed out,
answered 408, 429 or 5xx: the same Bundle may go through later) or ``failed`` (another 4xx:
the server refused it, and says why). Reasons name the status and the server's own words
(OperationOutcome diagnostics), cut short; they never hold what the kiosk sent.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from kiosk.delivery.settings import FhirDestination
from kiosk.delivery.smart import SmartBackendAuth
from kiosk.export.fhir_bundle import intake_bundle
from kiosk.storage import IntakeDetail

FHIR_JSON = "application/fhir+json"
RETRY_STATUSES = {408, 425, 429}


@dataclass(frozen=True)
class Outcome:
    kind: str  # sent | retry | failed
    reason: str = ""
    location: str = ""


class FhirClient:
    def __init__(self, destination: FhirDestination) -> None:
        self.destination = destination
        self.smart = (SmartBackendAuth(destination.auth, destination.timeout)
                      if destination.auth.type == "smart-backend" else None)

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": f"{FHIR_JSON}; charset=utf-8", "Accept": FHIR_JSON}
        auth = self.destination.auth
        if auth.type == "bearer":
            headers["Authorization"] = f"Bearer {auth.bearer_token()}"
        elif self.smart is not None:
            headers["Authorization"] = f"Bearer {self.smart.token()}"
        return headers

    def deliver(self, intake: IntakeDetail, pdf: bytes | None) -> Outcome:
        """POST the intake's transaction Bundle (with the PDF summary when there is one)."""
        return self.post_transaction(intake_bundle(intake, pdf))

    def post_transaction(self, bundle: dict[str, Any]) -> Outcome:
        body = json.dumps(bundle, ensure_ascii=False).encode("utf-8")
        outcome = self._post(body)
        if outcome.reason.startswith("HTTP 401") and self.smart is not None:
            self.smart.forget()  # an access token that expired early, or was revoked
            outcome = self._post(body)
        return outcome

    def _post(self, body: bytes) -> Outcome:
        try:
            headers = self.headers()
        except OSError as exc:
            return Outcome("retry", str(exc))
        request = urllib.request.Request(self.destination.base_url, data=body,
                                         headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.destination.timeout) as reply:
                status, text = reply.status, reply.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, _read(error)
        except OSError as exc:  # URLError, a refused connection, a timeout
            return Outcome("retry", f"the EHR could not be reached: {_why(exc)}")
        return judge(status, text)


def judge(status: int, text: bytes) -> Outcome:
    """What a server's answer to a transaction means for the intake."""
    body = _json(text)
    if 200 <= status < 300:
        if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
            return Outcome("retry", f"HTTP {status} without a transaction-response Bundle")
        entries = body.get("entry") or []
        statuses = [str((e.get("response") or {}).get("status", "")) for e in entries]
        refused = [s for s in statuses if s[:1] != "2"]
        if refused:
            return Outcome("failed", f"HTTP {status}, but entries answered {', '.join(refused)}"
                           + _issues(entries))
        location = ""
        for entry in entries:
            where = str((entry.get("response") or {}).get("location", ""))
            if where.startswith("QuestionnaireResponse/") or "/QuestionnaireResponse/" in where:
                location = where
        return Outcome("sent", location=location)
    reason = f"HTTP {status}{_outcome_text(body)}"
    if status in RETRY_STATUSES or status >= 500:
        return Outcome("retry", reason)
    return Outcome("failed", reason)


def _issues(entries: list[Any]) -> str:
    texts = [_outcome_text((e.get("response") or {}).get("outcome")) for e in entries]
    return "".join(t for t in texts if t)


def _outcome_text(body: Any) -> str:
    if not isinstance(body, dict) or body.get("resourceType") != "OperationOutcome":
        return ""
    words = []
    for issue in body.get("issue") or []:
        text = issue.get("diagnostics") or (issue.get("details") or {}).get("text") or ""
        where = ", ".join(issue.get("expression") or [])
        if text:
            words.append(f"{text} ({where})" if where else text)
    return (": " + "; ".join(words))[:400] if words else ""


def _json(text: bytes) -> Any:
    try:
        return json.loads(text.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def _read(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except OSError:
        return b""


def _why(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return "no answer in time"
    if isinstance(reason, socket.gaierror):
        return "the server's name is not known"
    return getattr(reason, "strerror", None) or type(reason).__name__
