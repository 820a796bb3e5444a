"""SMART Backend Services sign-in (HL7 SMART App Launch, "Backend Services"): the kiosk
proves who it is with a JWT signed by its private key and gets a short-lived access token.

The clinic registers the kiosk with its authorization server (client id, and the public key
or a JWKS URL) and gives the kiosk the private key file (PEM; RSA signs RS384, EC P-384
signs ES384). Each token request carries a new assertion: ``iss`` = ``sub`` = the client id,
``aud`` = the token URL, ``exp`` five minutes on, a random ``jti``. The token is kept until a
minute before it expires, and dropped when the FHIR server answers 401.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from kiosk.delivery.settings import FhirAuth

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_SECONDS = 300  # the most SMART allows
EARLY_SECONDS = 60  # a token is renewed this long before it expires


class SmartBackendAuth:
    def __init__(self, auth: FhirAuth, timeout: float = 30.0,
                 clock: Callable[[], float] = time.time) -> None:
        if auth.type != "smart-backend" or auth.private_key_file is None:
            raise ValueError("not a SMART Backend Services setting")
        self.auth = auth
        self.timeout = timeout
        self.clock = clock
        self._lock = threading.Lock()
        self._token = ""
        self._expires = 0.0

    def _key(self) -> tuple[object, str]:
        assert self.auth.private_key_file is not None
        try:
            pem = self.auth.private_key_file.read_bytes()
        except OSError as exc:
            raise OSError(f"cannot read the EHR private key {self.auth.private_key_file}: "
                          f"{exc.strerror or exc}") from None
        try:
            key = load_pem_private_key(pem, password=None)
        except (ValueError, TypeError):
            raise OSError(f"the EHR private key {self.auth.private_key_file} is not an "
                          "unencrypted PEM private key") from None
        if isinstance(key, rsa.RSAPrivateKey):
            return key, "RS384"
        if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp384r1":
            return key, "ES384"
        raise OSError("the EHR private key must be RSA (RS384) or EC P-384 (ES384)")

    def assertion(self) -> str:
        """A new signed client assertion."""
        key, algorithm = self._key()
        now = int(self.clock())
        claims = {"iss": self.auth.client_id, "sub": self.auth.client_id,
                  "aud": self.auth.token_url, "exp": now + ASSERTION_SECONDS,
                  "iat": now, "jti": str(uuid.uuid4())}
        headers = {"typ": "JWT", **({"kid": self.auth.kid} if self.auth.kid else {})}
        return jwt.encode(claims, key, algorithm=algorithm, headers=headers)  # type: ignore[arg-type]

    def token(self) -> str:
        """An access token, asked for when there is none or it is about to expire."""
        with self._lock:
            if self._token and self.clock() < self._expires - EARLY_SECONDS:
                return self._token
            form = urllib.parse.urlencode({
                "grant_type": "client_credentials", "scope": self.auth.scope,
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": self.assertion()}).encode("ascii")
            request = urllib.request.Request(
                self.auth.token_url, data=form, method="POST",
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Accept": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                    body = json.loads(reply.read().decode("utf-8"))
            except urllib.error.HTTPError as error:
                raise OSError(f"the EHR's authorization server refused the kiosk: HTTP "
                              f"{error.code}{_oauth_error(error)}") from None
            except (OSError, ValueError) as exc:
                raise OSError("the EHR's authorization server could not be reached: "
                              f"{type(exc).__name__}") from None
            token = body.get("access_token") if isinstance(body, dict) else None
            if not isinstance(token, str) or not token:
                raise OSError("the EHR's authorization server gave no access token")
            self._token = token
            self._expires = self.clock() + float(body.get("expires_in") or 300)
            return token

    def forget(self) -> None:
        """The FHIR server refused the token: ask for a new one next time."""
        with self._lock:
            self._token, self._expires = "", 0.0


def _oauth_error(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read().decode("utf-8"))
    except (OSError, ValueError):
        return ""
    if not isinstance(body, dict):
        return ""
    words = " ".join(str(body.get(k, "")) for k in ("error", "error_description")).strip()
    return f": {words[:200]}" if words else ""
