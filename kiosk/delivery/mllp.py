"""Send an intake to an HL7 v2 receiver over MLLP and say what came of it.

One connection per message (TLS unless the settings say otherwise): the message framed as
MLLP wants (``0x0b`` … ``0x1c 0x0d``), then the receiver's acknowledgement read back and
parsed with ``hl7apy``. What happened is an :class:`Outcome` as for FHIR:

- ``sent``: ``MSA-1`` is ``AA`` (or ``CA``) for this message's control id;
- ``failed``: ``AE``/``AR`` (``CE``/``CR``): the receiver refused it and says why (``MSA-3``,
  ``ERR``'s words) — until staff resend;
- ``retry``: no ACK — refused connection, timeout, the connection closed without one, an
  answer that is no ACK or is for another message.

The message control id is the same in every attempt (:func:`kiosk.export.hl7_message.
control_id`), so a receiver that files a message and loses the connection before its ACK
reaches the kiosk sees the retry as a duplicate. Reasons never hold what was sent.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from collections.abc import Callable

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.exceptions import HL7apyException
from hl7apy.parser import parse_message

from kiosk.delivery.fhir_client import Outcome
from kiosk.delivery.settings import Hl7Destination
from kiosk.export.hl7_message import Hl7Header, control_id, intake_message
from kiosk.storage import IntakeDetail

START, END = b"\x0b", b"\x1c\x0d"
LONGEST_ACK = 1_000_000  # bytes: an answer longer than this is not an ACK


def frame(message: str) -> bytes:
    return START + message.encode("utf-8") + END


class MllpClient:
    def __init__(self, destination: Hl7Destination,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone()
                 ) -> None:
        self.destination = destination
        self.now = now
        self.header = Hl7Header(destination.sending_application, destination.sending_facility,
                                destination.receiving_application,
                                destination.receiving_facility,
                                destination.assigning_authority)

    def deliver(self, intake: IntakeDetail, pdf: bytes | None) -> Outcome:
        """Send the intake as the configured message kind; the PDF is its content."""
        if pdf is None:
            return Outcome("retry", "the PDF summary could not be made")
        message = intake_message(intake, pdf, self.destination.message, self.header,
                                 self.now())
        return self.send(message, control_id(intake))

    def send(self, message: str, expected_id: str) -> Outcome:
        try:
            answer = self._exchange(frame(message))
        except ssl.SSLError as exc:
            return Outcome("retry", f"no ACK: TLS failed ({exc.reason or type(exc).__name__})")
        except OSError as exc:
            return Outcome("retry", f"no ACK: {_why(exc)}")
        return judge_ack(answer, expected_id)

    def _exchange(self, data: bytes) -> bytes:
        where = (self.destination.host, self.destination.port)
        with socket.create_connection(where, timeout=self.destination.timeout) as raw:
            connection: socket.socket = raw
            if self.destination.tls:
                context = ssl.create_default_context(
                    cafile=str(self.destination.ca_file) if self.destination.ca_file else None)
                connection = context.wrap_socket(raw, server_hostname=self.destination.host)
            connection.sendall(data)
            answer = b""
            while END not in answer and len(answer) < LONGEST_ACK:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                answer += chunk
            return answer


def judge_ack(answer: bytes, expected_id: str) -> Outcome:
    """What the receiver's answer (MLLP-framed bytes) means for the intake."""
    if not answer:
        return Outcome("retry", "no ACK: the receiver closed the connection without one")
    start, end = answer.find(START), answer.find(END)
    if start < 0 or end < start:
        return Outcome("retry", "no ACK: the answer is not MLLP-framed")
    text = answer[start + 1:end].decode("utf-8", errors="replace")
    try:
        ack = parse_message(text.replace("\n", "\r"), validation_level=VALIDATION_LEVEL.TOLERANT)
        code = ack.msa.msa_1.to_er7()
        about = ack.msa.msa_2.to_er7()
        words = ack.msa.msa_3.to_er7() if ack.msa.msa_3 else ""
        errors = [_error_words(seg) for seg in ack.children if seg.name == "ERR"]
    except (HL7apyException, AttributeError, IndexError, ValueError):
        return Outcome("retry", "no ACK: the answer is not an HL7 acknowledgement")
    if about != expected_id:
        return Outcome("retry", "no ACK: the acknowledgement is for another message")
    if code in ("AA", "CA"):
        return Outcome("sent", location=f"HL7 message {expected_id}")
    if code in ("AE", "AR", "CE", "CR"):
        said = list(dict.fromkeys(w for w in [words, *errors] if w))  # once each, in order
        reason = "; ".join(said) or "no reason given"
        return Outcome("failed", f"{code}: {reason}"[:400])
    return Outcome("retry", f"no ACK: unknown acknowledgement code {code[:8]!r}")


def _error_words(segment: object) -> str:
    """ERR-8 (user message) or ERR-3's text (v2.5), or ERR-1's text (v2.3)."""
    for field in ("err_8", "err_3", "err_1"):
        try:
            value = getattr(segment, field).to_er7()
        except (HL7apyException, AttributeError):
            continue
        if value:
            return value.replace("^", " ").strip()
    return ""


def _why(exc: OSError) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "no answer in time"
    if isinstance(exc, socket.gaierror):
        return "the receiver's name is not known"
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return "the connection was closed"
    return exc.strerror or type(exc).__name__
