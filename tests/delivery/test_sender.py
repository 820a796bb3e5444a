"""Store and forward to a real FHIR server on loopback (tests/fhir_server/server.mjs:
Medplum's FHIR router, validating every resource it receives, bearer token required)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.delivery.fhir_client import FhirClient, judge
from kiosk.delivery.sender import LEASE_SECONDS, Sender
from kiosk.delivery.settings import FhirAuth, FhirDestination
from tests.helpers.delivery import PDF, Clock, submit
from tests.helpers.fhir_server import TOKEN, FhirServer, free_port, token_file
from tests.helpers.staff import signed_in

ROOT = Path(__file__).resolve().parents[2]


def destination(base_url: str, tmp_path: Path, token: str = TOKEN) -> FhirDestination:
    return FhirDestination(base_url, FhirAuth("bearer", token_file=token_file(tmp_path, token)),
                           timeout=10)


def test_submitting_queues_the_intake_in_its_own_transaction(store, content):
    intake_id = submit(store, content)
    delivery = store.outbox.delivery(intake_id, signed_in(store))
    assert delivery is not None and delivery.state == "waiting" and delivery.attempts == 0
    store.deliver = False
    other = submit(store, content)
    assert store.outbox.delivery(other, signed_in(store)) is None  # delivery off: no row
    assert store.outbox.counts() == {"waiting": 1, "sent": 0, "failed": 0}


def test_down_at_submit_then_up_delivers_exactly_once(store, content, tmp_path):
    clock = Clock()
    port = free_port()
    sender = Sender(store, FhirClient(destination(f"http://127.0.0.1:{port}", tmp_path)),
                    document=lambda intake: PDF, now=clock, first_delay=10)
    intake_id = submit(store, content, clock)
    staff = signed_in(store)

    assert sender.deliver_due() == 1  # the server is down
    delivery = store.outbox.delivery(intake_id, staff)
    assert delivery.state == "waiting" and delivery.attempts == 1
    assert "connection refused" in delivery.reason
    assert delivery.next_attempt_at == clock() + dt.timedelta(seconds=10)
    assert sender.deliver_due() == 0  # not yet due
    clock.later(10)
    assert sender.deliver_due() == 1
    delivery = store.outbox.delivery(intake_id, staff)
    assert delivery.attempts == 2
    assert delivery.next_attempt_at == clock() + dt.timedelta(seconds=20)  # doubled

    server = FhirServer(port).start()
    try:
        clock.later(20)
        assert sender.deliver_due() == 1
        delivery = store.outbox.delivery(intake_id, staff)
        assert delivery.state == "sent" and delivery.reason == ""
        assert delivery.location.startswith("QuestionnaireResponse/")
        clock.later(3600)
        assert sender.deliver_due() == 0  # sent is sent

        detail = store.intake(intake_id, staff)
        stored = server.stats()["stored"]
        assert stored == {"Patient": 1, "QuestionnaireResponse": 1, "DocumentReference": 1,
                          "Flag": len(detail.flags)}
        [response] = server.search("QuestionnaireResponse",
                                   identifier=f"urn:ietf:rfc:3986|urn:uuid:{detail.uid}")
        [patient] = server.search("Patient")
        assert response["subject"]["reference"] == f"Patient/{patient['id']}"
        assert patient["name"][0]["family"] == "Santos"
        assert delivery.location.split("/")[1] == response["id"]

        # staff resend: the server's conditional create files nothing new
        store.outbox.resend(intake_id, staff, clock())
        assert sender.deliver_due() == 1
        assert store.outbox.delivery(intake_id, staff).state == "sent"
        assert server.stats()["stored"] == stored
    finally:
        server.stop()


KIOSK_KILLED_MID_SEND = """
import sys
from kiosk.delivery.fhir_client import FhirClient
from kiosk.delivery.sender import LEASE_SECONDS, Sender
from kiosk.delivery.settings import FhirAuth, FhirDestination
from kiosk.storage import Store
from pathlib import Path
store = Store(Path(sys.argv[1]))
destination = FhirDestination(sys.argv[2], FhirAuth("bearer", token_file=Path(sys.argv[3])))
print("sending", flush=True)
Sender(store, FhirClient(destination)).deliver_due()
print("acknowledged", flush=True)  # never reached: killed while the server holds its answer
"""


def test_a_kill_between_send_and_acknowledgement_makes_no_duplicate(store, content, server,
                                                                     tmp_path):
    intake_id = submit(store, content)
    server.post("/_test/hold", {"ms": 60_000})  # file the transaction, then hold the answer
    kiosk = subprocess.Popen(
        [sys.executable, "-c", KIOSK_KILLED_MID_SEND, str(store.path), server.base_url,
         str(token_file(tmp_path))], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert kiosk.stdout is not None and kiosk.stdout.readline().strip() == "sending"
        deadline = time.monotonic() + 60
        while server.stats()["transactions"] < 1:  # the server has filed it
            assert time.monotonic() < deadline, "the kiosk never sent"
            time.sleep(0.05)
        os.kill(kiosk.pid, signal.SIGKILL)
        kiosk.wait(10)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait(10)
        kiosk.stdout.close()
    staff = signed_in(store)
    assert server.stats()["stored"]["QuestionnaireResponse"] == 1
    assert store.outbox.delivery(intake_id, staff).state == "waiting"  # no ack reached us

    restarted = Clock()
    restarted.at = dt.datetime.now() + dt.timedelta(seconds=LEASE_SECONDS + 1)
    sender = Sender(store, FhirClient(destination(server.base_url, tmp_path)), now=restarted)
    assert sender.deliver_due() == 1  # sent again once the dead kiosk's claim ran out ...
    assert store.outbox.delivery(intake_id, staff).state == "sent"
    stats = server.stats()
    assert stats["transactions"] == 2
    assert stats["stored"]["QuestionnaireResponse"] == 1  # ... and filed once
    assert stats["stored"]["Patient"] == 1


def test_only_one_kiosk_on_a_shared_database_takes_a_delivery(store, content):
    intake_id = submit(store, content)
    now = dt.datetime.now() + dt.timedelta(seconds=1)
    assert store.outbox.claim(intake_id, now, LEASE_SECONDS)
    assert not store.outbox.claim(intake_id, now, LEASE_SECONDS)  # the other kiosk
    assert store.outbox.due(now) == []
    later = now + dt.timedelta(seconds=LEASE_SECONDS)
    assert store.outbox.claim(intake_id, later, LEASE_SECONDS)  # the claimer died


def test_a_refusal_from_the_server_fails_with_its_reason(store, content, server, tmp_path):
    clock = Clock()
    # a stored answer an EHR must refuse: FHIR strings are never empty
    broken = {"resourceType": "QuestionnaireResponse", "status": "completed",
              "authored": "2026-12-03T09:00:00+00:00",
              "item": [{"linkId": "contrast-reaction", "answer": [{"valueString": ""}]}]}
    intake_id = submit(store, content, clock, response=broken)
    sender = Sender(store, FhirClient(destination(server.base_url, tmp_path)), now=clock)
    assert sender.deliver_due() == 1
    staff = signed_in(store)
    delivery = store.outbox.delivery(intake_id, staff)
    assert delivery.state == "failed"
    assert delivery.reason.startswith("HTTP 400: ")
    assert "valueString" in delivery.reason  # the server's own words say where
    clock.later(86_400)
    assert sender.deliver_due() == 0  # not retried by itself
    assert server.stats()["stored"]["QuestionnaireResponse"] == 0

    store.outbox.resend(intake_id, staff, clock())
    assert store.outbox.delivery(intake_id, staff).state == "waiting"
    assert "ehr_resend" in [line.action for line in store.audit_events(staff)]


def test_a_wrong_token_fails_with_the_servers_reason(store, content, server, tmp_path):
    intake_id = submit(store, content)
    sender = Sender(store, FhirClient(destination(server.base_url, tmp_path, token="wrong")))
    sender.deliver_due()
    delivery = store.outbox.delivery(intake_id, signed_in(store))
    assert delivery.state == "failed"
    assert delivery.reason == "HTTP 401: a valid bearer token is required"
    assert server.stats()["stored"]["QuestionnaireResponse"] == 0


def test_the_background_thread_delivers_what_is_submitted(store, content, server, tmp_path):
    sender = Sender(store, FhirClient(destination(server.base_url, tmp_path)))
    sender.start()
    try:
        intake_id = submit(store, content)
        sender.wake()
        staff = signed_in(store)
        deadline = time.monotonic() + 30
        while store.outbox.delivery(intake_id, staff).state != "sent":
            assert time.monotonic() < deadline, store.outbox.delivery(intake_id, staff)
            time.sleep(0.05)
    finally:
        sender.stop()
    assert server.stats()["stored"]["QuestionnaireResponse"] == 1


@pytest.mark.parametrize(("status", "kind"), [(500, "retry"), (503, "retry"), (429, "retry"),
                                              (408, "retry"), (400, "failed"), (404, "failed"),
                                              (422, "failed")])
def test_which_answers_are_tried_again(status, kind):
    outcome = judge(status, b'{"resourceType": "OperationOutcome", "issue": '
                            b'[{"severity": "error", "code": "x", "diagnostics": "why"}]}')
    assert (outcome.kind, outcome.reason) == (kind, f"HTTP {status}: why")
