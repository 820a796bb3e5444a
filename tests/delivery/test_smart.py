"""SMART Backend Services: the kiosk signs a JWT client assertion (RS384 with an RSA key,
ES384 with an EC P-384 key), gets an access token from the test server's token URL (which
checks the signature and the claims) and sends with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kiosk.delivery.fhir_client import FhirClient
from kiosk.delivery.sender import Sender
from kiosk.delivery.settings import FhirAuth, FhirDestination
from tests.helpers.delivery import submit
from tests.helpers.fhir_server import FhirServer
from tests.helpers.staff import signed_in

CLIENT = "intake-kiosk-1"


def key_pair(folder: Path, kind: str) -> tuple[Path, Path]:
    key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) if kind == "rsa"
           else ec.generate_private_key(ec.SECP384R1()))
    private = folder / f"{kind}-private.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public = folder / f"{kind}-public.pem"
    public.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


def smart_sender(store, server, private_key):
    auth = FhirAuth("smart-backend", token_url=server.token_url, client_id=CLIENT,
                    private_key_file=private_key, kid="kiosk-key-1")
    return Sender(store, FhirClient(FhirDestination(server.base_url, auth, timeout=10)))


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_the_kiosk_signs_in_and_delivers(store, content, tmp_path, kind):
    private, public = key_pair(tmp_path, kind)
    server = FhirServer(token="", smart={"CLIENT_ID": CLIENT,
                                         "PUBLIC_KEY_FILE": str(public)}).start()
    try:
        sender = smart_sender(store, server, private)
        first, second = submit(store, content), submit(store, content)
        assert sender.deliver_due() == 2
        staff = signed_in(store)
        assert [store.outbox.delivery(i, staff).state for i in (first, second)] == ["sent"] * 2
        stats = server.stats()
        assert stats["tokenRequests"] == 1  # one token for both
        assert stats["stored"]["QuestionnaireResponse"] == 2
    finally:
        server.stop()


def test_a_token_the_server_no_longer_knows_is_asked_for_again(store, content, tmp_path):
    private, public = key_pair(tmp_path, "rsa")
    smart = {"CLIENT_ID": CLIENT, "PUBLIC_KEY_FILE": str(public)}
    server = FhirServer(token="", smart=smart).start()
    sender = smart_sender(store, server, private)
    submit(store, content)
    assert sender.deliver_due() == 1
    server.stop()
    server = FhirServer(server.port, token="", smart=smart).start()  # restarted: tokens gone
    try:
        intake_id = submit(store, content)
        assert sender.deliver_due() == 1
        assert store.outbox.delivery(intake_id, signed_in(store)).state == "sent"
        assert server.stats()["tokenRequests"] == 1
    finally:
        server.stop()


def test_a_key_the_clinic_did_not_register_is_refused_with_the_reason(store, content,
                                                                      tmp_path):
    _private, public = key_pair(tmp_path, "rsa")
    other = tmp_path / "other"
    other.mkdir()
    wrong, _ = key_pair(other, "rsa")
    server = FhirServer(token="", smart={"CLIENT_ID": CLIENT,
                                         "PUBLIC_KEY_FILE": str(public)}).start()
    try:
        intake_id = submit(store, content)
        smart_sender(store, server, wrong).deliver_due()
        delivery = store.outbox.delivery(intake_id, signed_in(store))
        assert delivery.state == "waiting"  # tried again later: a key can be fixed
        assert delivery.reason == ("the EHR's authorization server refused the kiosk: "
                                   "HTTP 401: invalid_client the signature does not verify")
        assert server.stats()["stored"]["QuestionnaireResponse"] == 0
    finally:
        server.stop()
