"""A real HL7 v2 receiver on loopback for tests: hl7apy's MLLP server (its own framing and
routing by MSH-9), which parses every message with hl7apy, checks its structure against
HL7 v2.5 (``Message.validate``), decodes the embedded PDF, files each message control id
once and answers with an ACK: AA, or the AE/AR the test asks for (with its reason).

A message that does not parse or validate is answered AR with hl7apy's words. (hl7apy's
server closes the connection without an answer when a handler raises: ``drop_ack_once``.)
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
from dataclasses import dataclass, field

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Message
from hl7apy.exceptions import HL7apyException
from hl7apy.mllp import AbstractErrorHandler, AbstractHandler, MLLPServer
from hl7apy.parser import parse_message

from tests.helpers.fhir_server import free_port


@dataclass
class Filed:
    """One message the receiver filed (its first copy)."""

    control_id: str
    kind: str
    message: Message
    pdf: bytes
    text: str


@dataclass
class Inbox:
    filed: dict[str, Filed] = field(default_factory=dict)
    received: list[str] = field(default_factory=list)  # control ids, duplicates included
    refuse: tuple[str, str] | None = None  # ("AE", "reason"): answer this instead of AA
    drop_ack_once: bool = False  # file the next message, then close with no ACK
    lock: threading.Lock = field(default_factory=threading.Lock)


def ack(control_id: str, code: str, text: str = "") -> str:
    at = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    segments = [f"MSH|^~\\&|EHR|CLINIC|INTAKE-KIOSK||{at}||ACK^T02^ACK|A{control_id[:19]}|P|2.5",
                f"MSA|{code}|{control_id}" + (f"|{text}" if text else "")]
    if code != "AA":
        # ERR-2 where, ERR-3 the error code, ERR-4 severity, ERR-8 the user message
        segments.append(f"ERR||PV1^1^2|207^Application internal error^HL70357|E||||"
                        f"{text} (PV1-2)")
    return "\x0b" + "\r".join(segments) + "\r\x1c\r"


def _control_id(text: str) -> str:
    fields = text.split("\r", 1)[0].split("|")
    return fields[9] if len(fields) > 9 else ""


class _Receive(AbstractHandler):
    def __init__(self, message: str, inbox: Inbox) -> None:
        super().__init__(message)
        self.inbox = inbox

    def reply(self) -> str:
        text = self.incoming_message
        control_id = _control_id(text)
        try:
            parsed = parse_message(text, validation_level=VALIDATION_LEVEL.TOLERANT,
                                   find_groups=True)
            parsed.validate()
            pdf = _embedded_pdf(parsed)
        except (HL7apyException, ValueError) as exc:
            return ack(control_id, "AR", f"invalid message: {exc}"[:200].replace("|", " "))
        with self.inbox.lock:
            self.inbox.received.append(control_id)
            if self.inbox.refuse is not None:
                return ack(control_id, *self.inbox.refuse)
            if control_id not in self.inbox.filed:
                kind = parsed.msh.msh_9.to_er7()
                self.inbox.filed[control_id] = Filed(control_id, kind, parsed, pdf, text)
            if self.inbox.drop_ack_once:
                self.inbox.drop_ack_once = False
                raise ConnectionAbortedError("filed, and the connection lost before the ACK")
        return ack(control_id, "AA")


class _Refuse(AbstractErrorHandler):
    def reply(self) -> str:
        if isinstance(self.exc, ConnectionAbortedError):
            raise self.exc  # the server then closes the connection without an answer
        return ack(_control_id(self.incoming_message), "AR", str(self.exc)[:200])


def _embedded_pdf(parsed: Message) -> bytes:
    for segment in parsed.to_er7().split("\r"):
        fields = segment.split("|")
        if fields[0] == "OBX" and len(fields) > 5 and fields[2] == "ED":
            parts = fields[5].split("^")
            if parts[1:4] != ["AP", "PDF", "Base64"]:
                raise ValueError("the ED is not ^AP^PDF^Base64^")
            pdf = base64.b64decode(parts[4], validate=True)
            if not pdf.startswith(b"%PDF"):
                raise ValueError("the embedded document is not a PDF")
            return pdf
    raise ValueError("no OBX of type ED with the summary")


class MllpListener:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self.server: MLLPServer | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> MllpListener:
        handlers = {"MDM^T02^MDM_T02": (_Receive, self.inbox),
                    "ORU^R01^ORU_R01": (_Receive, self.inbox),
                    "ERR": (_Refuse,)}
        self.server = MLLPServer("127.0.0.1", self.port, handlers, timeout=10)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.thread is not None:
            self.thread.join(5)
            self.thread = None
