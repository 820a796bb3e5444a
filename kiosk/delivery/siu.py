"""Today's appointments from HL7 v2 SIU messages: what one message says, and the kiosk's
MLLP listener that keeps a :class:`~kiosk.intake.appointments.LiveAppointments` up to date.

A message is parsed with ``hl7apy`` (v2.3–2.5 as sent) and read as:

- the event (``MSH-9``): ``S12`` new, ``S13`` rescheduled, ``S14`` modified (the appointment
  put on the list, replacing one with the same id), ``S15`` cancelled, ``S17`` deleted
  (taken off); other events are acknowledged ``AR``;
- the appointment id: ``SCH-2`` (filler) or else ``SCH-1`` (placer);
- the start: ``AIS-4``, else ``TQ1-7``, else ``SCH-11``'s 4th component (``YYYYMMDD[HHMM]``);
- the patient: ``PID-3`` (the repetition of type ``MR``, else the first), ``PID-5``
  (family^given), ``PID-7`` (birth date);
- the procedure: ``AIS-3`` — its identifier is the kiosk's procedure id (the clinic's
  interface maps its codes to these), its alternate identifier (4th component) the area
  code (``neck``, ``low-back``, …) when known.

Each message is answered with an ACK: ``AA`` when used, ``AE`` with what is missing. The list
is kept in memory (a restarted kiosk has the day's list again when the clinic's interface
engine resends it, or from the other feeds). Nothing about a patient is logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.exceptions import HL7apyException
from hl7apy.mllp import AbstractErrorHandler, AbstractHandler, MLLPServer
from hl7apy.parser import parse_message

from kiosk.delivery.settings import Hl7Listener
from kiosk.intake.appointments import Appointment, LiveAppointments

log = logging.getLogger(__name__)

PUT_EVENTS = ("S12", "S13", "S14")
REMOVE_EVENTS = ("S15", "S17")
_UNESCAPES = (("\\F\\", "|"), ("\\S\\", "^"), ("\\T\\", "&"), ("\\R\\", "~"), ("\\E\\", "\\"))


class SiuProblem(ValueError):
    """A SIU message the kiosk cannot use (the words go back in the ACK, never to a log)."""


def _unescape(text: str) -> str:
    for escaped, plain in _UNESCAPES:
        text = text.replace(escaped, plain)
    return text


def _segments(text: str) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {}
    for line in text.replace("\n", "\r").split("\r"):
        if line.strip():
            fields = line.split("|")
            if fields[0] == "MSH":
                fields.insert(1, "|")  # MSH-1 is the field separator itself
            found.setdefault(fields[0], []).append(fields)
    return found


def _field(segments: dict[str, list[list[str]]], name: str, number: int) -> str:
    for fields in segments.get(name, ()):
        if len(fields) > number and fields[number]:
            return fields[number]
    return ""


def _component(field: str, number: int) -> str:
    parts = field.split("~", 1)[0].split("^")
    return _unescape(parts[number - 1].strip()) if len(parts) >= number else ""


def _moment(text: str) -> dt.datetime | None:
    digits = text.split("+")[0].split("-")[0].split(".")[0]
    for length, shape in ((14, "%Y%m%d%H%M%S"), (12, "%Y%m%d%H%M"), (8, "%Y%m%d")):
        if len(digits) >= length:
            try:
                return dt.datetime.strptime(digits[:length], shape)
            except ValueError:
                return None
    return None


def read_siu(text: str) -> tuple[str, Appointment | str]:
    """The event and what it says: an :class:`Appointment` to put on the list, or (for a
    cancellation) the id to take off. :class:`SiuProblem` when it cannot be used."""
    try:
        parse_message(text, validation_level=VALIDATION_LEVEL.TOLERANT)
    except HL7apyException as exc:
        raise SiuProblem(f"not an HL7 v2 message: {exc}") from None
    segments = _segments(text)
    kind = _field(segments, "MSH", 9)
    if _component(kind, 1) != "SIU":
        raise SiuProblem(f"not a SIU message ({_component(kind, 1) or 'no MSH-9'})")
    event = _component(kind, 2)
    appointment_id = (_component(_field(segments, "SCH", 2), 1)
                      or _component(_field(segments, "SCH", 1), 1))
    if not appointment_id:
        raise SiuProblem("no appointment id (SCH-2 or SCH-1)")
    if event in REMOVE_EVENTS:
        return event, appointment_id
    if event not in PUT_EVENTS:
        raise SiuProblem(f"event {event or '?'} is not used (S12-S15, S17 are)")
    start = (_moment(_component(_field(segments, "AIS", 4), 1))
             or _moment(_component(_field(segments, "TQ1", 7), 1))
             or _moment(_component(_field(segments, "SCH", 11), 4)))
    if start is None:
        raise SiuProblem("no start date and time (AIS-4, TQ1-7 or SCH-11.4)")
    patient_id = _patient_id(_field(segments, "PID", 3))
    name = _field(segments, "PID", 5)
    last, first = _component(name, 1), _component(name, 2)
    birth = _moment(_component(_field(segments, "PID", 7), 1))
    service = _field(segments, "AIS", 3)
    procedure, area = _component(service, 1), _component(service, 4)
    missing = [what for what, value in (("PID-3 patient id", patient_id),
                                        ("PID-5 family and given name", last and first),
                                        ("PID-7 birth date", birth),
                                        ("AIS-3 procedure", procedure)) if not value]
    if missing:
        raise SiuProblem("missing " + ", ".join(missing))
    assert birth is not None
    return event, Appointment(appointment_id, patient_id, last, first, birth.date(),
                              start.date(), start.strftime("%H:%M"), procedure, area)


def _patient_id(field: str) -> str:
    repetitions = [r for r in field.split("~") if r]
    for repetition in repetitions:
        parts = repetition.split("^")
        if len(parts) >= 5 and parts[4] == "MR":
            return _unescape(parts[0].strip())
    return _unescape(repetitions[0].split("^")[0].strip()) if repetitions else ""


def ack(message: str, code: str, text: str = "") -> str:
    """The MLLP-framed acknowledgement of ``message``."""
    segments = _segments(message)
    control_id = _field(segments, "MSH", 10)
    event = _component(_field(segments, "MSH", 9), 2)
    at = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    words = text.replace("|", " ").replace("^", " ").replace("\r", " ")[:200]
    lines = [f"MSH|^~\\&|INTAKE-KIOSK||{_field(segments, 'MSH', 3)}|"
             f"{_field(segments, 'MSH', 4)}|{at}||ACK^{event}^ACK|K{control_id[:19]}|P|2.5",
             f"MSA|{code}|{control_id}" + (f"|{words}" if words else "")]
    return "\x0b" + "\r".join(lines) + "\r\x1c\r"


class _Handler(AbstractHandler):
    def __init__(self, message: str, feed: LiveAppointments) -> None:
        super().__init__(message)
        self.feed = feed

    def reply(self) -> str:
        try:
            event, said = read_siu(self.incoming_message)
        except SiuProblem as exc:
            log.warning("a SIU message was refused (AE): it lacks what the kiosk needs")
            return ack(self.incoming_message, "AE", str(exc))
        if isinstance(said, Appointment):
            self.feed.put(said)
        else:
            self.feed.remove(said)
        log.info("SIU %s used; %d appointments held", event, len(self.feed))
        return ack(self.incoming_message, "AA")


class _Refuse(AbstractErrorHandler):
    def reply(self) -> str:
        return ack(self.incoming_message, "AR", str(self.exc))


class SiuListener:
    """The kiosk's MLLP port for SIU messages, on its own thread."""

    def __init__(self, where: Hl7Listener, feed: LiveAppointments) -> None:
        self.where = where
        self.feed = feed
        self.server: MLLPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SiuListener:
        """Listen (``OSError`` when the port cannot be had)."""
        handlers: dict[str, tuple[object, ...]] = {"ERR": (_Refuse,)}
        for event in PUT_EVENTS + REMOVE_EVENTS:
            for kind in (f"SIU^{event}", f"SIU^{event}^SIU_S12"):
                handlers[kind] = (_Handler, self.feed)
        self.server = MLLPServer(self.where.host, self.where.port, handlers, timeout=30)
        self._thread = threading.Thread(target=self.server.serve_forever, name="siu-listener",
                                        daemon=True)
        self._thread.start()
        log.info("listening for SIU appointment messages on %s:%d", self.where.host,
                 self.where.port)
        return self

    @property
    def port(self) -> int:
        return int(self.server.server_address[1]) if self.server is not None else 0

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
