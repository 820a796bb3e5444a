"""HL7 v2 delivery over MLLP to a real receiver on loopback (tests/helpers/mllp_listener.py:
hl7apy's MLLP server, parsing and validating each message, answering with an ACK)."""

from __future__ import annotations

import datetime as dt

import pytest
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from kiosk.delivery.mllp import MllpClient, judge_ack
from kiosk.delivery.sender import Sender
from kiosk.delivery.settings import Hl7Destination
from kiosk.export.hl7_message import Hl7Header, control_id, escape, intake_message
from kiosk.intake.records import PatientIdentifier
from tests.helpers.delivery import PDF, Clock, submit
from tests.helpers.fhir_server import free_port
from tests.helpers.mllp_listener import MllpListener, ack
from tests.helpers.staff import signed_in

MRN = "https://clinic.example/fhir/sid/mrn"


@pytest.fixture
def listener():
    running = MllpListener().start()
    yield running
    running.stop()


def destination(port: int, message: str = "MDM^T02") -> Hl7Destination:
    return Hl7Destination("127.0.0.1", port, message, tls=False, sending_facility="PAIN",
                          receiving_application="EHR", assigning_authority="PAINCLINIC",
                          timeout=10)


def sender_for(store, port: int, clock: Clock, message: str = "MDM^T02") -> Sender:
    return Sender(store, MllpClient(destination(port, message)), document=lambda intake: PDF,
                  now=clock, first_delay=10)


def test_an_intake_reaches_the_receiver_as_a_valid_mdm_t02_with_its_pdf(store, content,
                                                                        listener):
    clock = Clock()
    intake_id = submit(store, content, clock)
    assert sender_for(store, listener.port, clock).deliver_due() == 1
    staff = signed_in(store)
    delivery = store.outbox.delivery(intake_id, staff)
    detail = store.intake(intake_id, staff)
    assert delivery.state == "sent"
    assert delivery.location == f"HL7 message {control_id(detail)}"
    [filed] = listener.inbox.filed.values()
    assert filed.kind == "MDM^T02^MDM_T02" and filed.pdf == PDF
    message = filed.message
    assert message.msh.msh_10.to_er7() == control_id(detail)
    assert message.msh.msh_4.to_er7() == "PAIN" and message.msh.msh_5.to_er7() == "EHR"
    assert message.pid.pid_5.to_er7() == "Santos^Maria"
    assert message.pid.pid_7.to_er7() == detail.row.birth_date.strftime("%Y%m%d")
    assert message.pid.pid_3.to_er7().endswith("^^^INTAKE-KIOSK^PI")  # not matched
    assert message.txa.txa_12.to_er7() == f"{detail.uid}^INTAKE-KIOSK"
    flags = [s for s in filed.text.split("\r") if s.startswith("OBX|") and "|ST|" in s]
    assert len(flags) == len(detail.flags) > 0
    assert detail.flags[0].rule_id in flags[0]


def test_an_oru_r01_for_a_matched_patient_carries_the_clinics_id(store, content, listener):
    clock = Clock()
    intake_id = submit(store, content, clock,
                       patient_identifier=PatientIdentifier(MRN, "MRN-0042"),
                       appointment_id="A-1001")
    assert sender_for(store, listener.port, clock, "ORU^R01").deliver_due() == 1
    assert store.outbox.delivery(intake_id, signed_in(store)).state == "sent"
    [filed] = listener.inbox.filed.values()
    assert filed.kind == "ORU^R01^ORU_R01" and filed.pdf == PDF
    segments = {s.split("|")[0]: s.split("|") for s in filed.text.split("\r") if s}
    assert segments["PID"][3] == "MRN-0042^^^PAINCLINIC^MR"
    assert segments["OBR"][2] == "A-1001" and segments["OBR"][25] == "F"


def test_down_at_submit_then_up_delivers_exactly_once(store, content):
    clock = Clock()
    port = free_port()
    sender = sender_for(store, port, clock)
    intake_id = submit(store, content, clock)
    staff = signed_in(store)
    assert sender.deliver_due() == 1  # nobody listens
    delivery = store.outbox.delivery(intake_id, staff)
    assert delivery.state == "waiting" and delivery.reason == "no ACK: connection refused"
    assert delivery.next_attempt_at == clock() + dt.timedelta(seconds=10)

    listener = MllpListener(port).start()
    try:
        clock.later(10)
        assert sender.deliver_due() == 1
        assert store.outbox.delivery(intake_id, staff).state == "sent"
        clock.later(3600)
        assert sender.deliver_due() == 0  # sent is sent
        assert listener.inbox.received == [control_id(store.intake(intake_id, staff))]

        # staff resend: the same message control id, the receiver files nothing new
        store.outbox.resend(intake_id, staff, clock())
        assert sender.deliver_due() == 1
        assert store.outbox.delivery(intake_id, staff).state == "sent"
        assert len(listener.inbox.received) == 2 and len(listener.inbox.filed) == 1
    finally:
        listener.stop()


def test_no_ack_after_the_receiver_filed_it_is_sent_again_and_filed_once(store, content,
                                                                        listener):
    clock = Clock()
    intake_id = submit(store, content, clock)
    sender = sender_for(store, listener.port, clock)
    listener.inbox.drop_ack_once = True  # files the message, then closes without an ACK
    assert sender.deliver_due() == 1
    staff = signed_in(store)
    delivery = store.outbox.delivery(intake_id, staff)
    assert delivery.state == "waiting"
    assert delivery.reason == "no ACK: the receiver closed the connection without one"
    assert len(listener.inbox.filed) == 1
    clock.later(10)
    assert sender.deliver_due() == 1
    assert store.outbox.delivery(intake_id, staff).state == "sent"
    assert len(listener.inbox.received) == 2 and len(listener.inbox.filed) == 1


@pytest.mark.parametrize("code", ["AE", "AR"])
def test_a_refusal_fails_with_the_receivers_reason_until_staff_resend(store, content,
                                                                      listener, code):
    clock = Clock()
    intake_id = submit(store, content, clock)
    sender = sender_for(store, listener.port, clock)
    listener.inbox.refuse = (code, "Unknown patient class")
    assert sender.deliver_due() == 1
    staff = signed_in(store)
    delivery = store.outbox.delivery(intake_id, staff)
    assert delivery.state == "failed"
    assert delivery.reason == f"{code}: Unknown patient class; Unknown patient class (PV1-2)"
    clock.later(86_400)
    assert sender.deliver_due() == 0  # not retried by itself
    listener.inbox.refuse = None
    store.outbox.resend(intake_id, staff, clock())
    assert sender.deliver_due() == 1
    assert store.outbox.delivery(intake_id, staff).state == "sent"


def test_an_ack_for_another_message_or_no_hl7_is_no_ack():
    assert judge_ack(ack("OTHER", "AA").encode(), "MINE").kind == "retry"
    assert judge_ack(b"\x0bHTTP/1.1 400 Bad Request\r\x1c\r", "MINE").kind == "retry"
    assert judge_ack(b"garbage", "MINE").reason == "no ACK: the answer is not MLLP-framed"
    assert judge_ack(ack("MINE", "AA").encode(), "MINE").kind == "sent"


def test_hl7_delimiters_in_a_name_are_escaped_and_read_back(store, content):
    intake_id = submit(store, content, last_name="O|Brien^&Co", first_name="Ann~\\Marie")
    detail = store.intake(intake_id, signed_in(store))
    text = intake_message(detail, PDF, "MDM^T02", Hl7Header(), dt.datetime.now().astimezone())
    parsed = parse_message(text, validation_level=VALIDATION_LEVEL.TOLERANT, find_groups=True)
    parsed.validate()
    assert parsed.pid.pid_5.to_er7() == "O\\F\\Brien\\S\\\\T\\Co^Ann\\R\\\\E\\Marie"
    assert escape("a|b") == "a\\F\\b"


def test_a_match_by_hand_names_the_patient_by_the_clinics_id_in_what_is_sent(store, content,
                                                                             listener):
    from kiosk.storage import StorageError

    clock = Clock()
    intake_id = submit(store, content, clock)
    staff = signed_in(store, role="front_desk")
    store.match_appointment(intake_id, staff, PatientIdentifier(MRN, "MRN-0042"), "A-1001",
                            clock())
    assert sender_for(store, listener.port, clock, "ORU^R01").deliver_due() == 1
    [filed] = listener.inbox.filed.values()
    segments = {s.split("|")[0]: s.split("|") for s in filed.text.split("\r") if s}
    assert segments["PID"][3] == "MRN-0042^^^PAINCLINIC^MR"
    assert segments["OBR"][2] == "A-1001"
    [line] = [a for a in store.audit_events(staff) if a.action == "appointment_matched"]
    assert (line.actor, line.intake_id) == ("Kim", intake_id)
    with pytest.raises(StorageError):
        store.match_appointment(intake_id + 99, staff, PatientIdentifier(MRN, "X"), "A-1",
                                clock())
