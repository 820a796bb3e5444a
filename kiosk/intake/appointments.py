"""Today's appointments: who is expected, for which procedure, and finding the patient.

The clinic's schedule arrives as CSV files in a folder it writes to (:class:`CsvFolder`),
and/or from live feeds that another thread keeps up to date (:class:`LiveAppointments`:
HL7 v2 SIU messages, a FHIR ``Appointment`` search — see ``kiosk/delivery``), all matched
as one list (:class:`Schedule`). Each CSV row is one appointment::

    date,time,appointment_id,patient_id,last_name,first_name,birth_date,procedure,area
    2026-12-03,09:30,A-1001,MRN-0042,Núñez-Peña,María José,1961-04-12,medial-branch-block,neck

``procedure`` is the kiosk's procedure id (the clinic maps its own codes to these), ``area``
a code of the questionnaire's *procedure-area* question (``neck``, ``low-back``, …), or
empty. The folder is read again whenever a file in it changes (checked at each look-up: a
``stat`` per file, no thread). Rows that cannot be used are skipped and counted in the log,
by file and row number only.

Matching (:meth:`AppointmentBook.match`) needs the birth date exactly and the names as the
patient typed them, forgiving accents, case, hyphens, spaces and apostrophes ("Nunez Pena"
is "Núñez-Peña"), and a patient who gives one of two surnames or only the first of two
given names. It answers with one appointment or none: two candidates are none, so the
kiosk never picks — or shows — someone else.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import logging
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

COLUMNS = ("date", "time", "appointment_id", "patient_id", "last_name", "first_name",
           "birth_date", "procedure", "area")
NOT_MATCHED = "not-matched"  # an intake's appointment_id when a list was used, without match


@dataclass(frozen=True)
class Appointment:
    appointment_id: str
    patient_id: str
    last_name: str
    first_name: str
    birth_date: dt.date
    day: dt.date
    time: str
    procedure_id: str
    area: str = ""


_MARKS = str.maketrans({mark: " " for mark in "-‐‑–—_.,"} | {"'": "", "’": ""})


@functools.lru_cache(maxsize=4096)
def fold_words(text: str) -> tuple[str, ...]:
    """A name as words to compare: no accents, no case; hyphens, apostrophes and dots
    join or split nothing but are dropped, so "Núñez-Peña" is ("nunez", "pena")."""
    plain = text.casefold()
    if not plain.isascii():
        plain = "".join(ch for ch in unicodedata.normalize("NFKD", plain)
                        if not unicodedata.combining(ch))
    words = plain.translate(_MARKS).split()
    return tuple(word for word in (w if w.isalnum() else "".join(ch for ch in w if ch.isalnum())
                                   for w in words) if word)


class AppointmentBook:
    """One day's appointments, indexed by birth date (names are folded only for the few
    that share the patient's birth date, at the look-up)."""

    def __init__(self, appointments: Iterable[Appointment]) -> None:
        self.appointments = tuple(appointments)
        self._by_birth: dict[dt.date, list[Appointment]] = {}
        for appointment in self.appointments:
            self._by_birth.setdefault(appointment.birth_date, []).append(appointment)

    def __len__(self) -> int:
        return len(self.appointments)

    def candidates(self, birth: dt.date) -> list[Appointment]:
        """Every appointment for staff to choose from by hand: those with the patient's
        birth date first, then by time."""
        return sorted(self.appointments, key=lambda a: (a.birth_date != birth, a.time,
                                                        a.last_name, a.first_name))

    def match(self, first: str, last: str, birth: dt.date) -> Appointment | None:
        """The one appointment for this patient, or None (no one, or more than one)."""
        typed_last, typed_first = fold_words(last), fold_words(first)
        if not typed_last or not typed_first:
            return None
        candidates = [(fold_words(a.last_name), fold_words(a.first_name), a)
                      for a in self._by_birth.get(birth, ())]
        exact = [a for lw, fw, a in candidates
                 if "".join(lw) == "".join(typed_last) and "".join(fw) == "".join(typed_first)]
        if exact:
            return _one(exact)
        close = [a for lw, fw, a in candidates
                 if _same_words(lw, typed_last) and fw and fw[0] == typed_first[0]]
        return _one(close)


def _same_words(listed: tuple[str, ...], typed: tuple[str, ...]) -> bool:
    """Every typed surname is one of the listed ones, or the other way round."""
    return set(typed) <= set(listed) or set(listed) <= set(typed)


def _one(found: list[Appointment]) -> Appointment | None:
    patients = {(a.patient_id, a.appointment_id) for a in found}
    return found[0] if len(patients) == 1 else None


class CsvFolder:
    """The schedule as CSV files in ``folder``; :meth:`book` is today's appointments.
    ``identifier_system``: the URI of the clinic's patient ids (what an EHR files under)."""

    def __init__(self, folder: Path, identifier_system: str) -> None:
        self.folder = Path(folder)
        self.identifier_system = identifier_system
        self._seen: tuple[tuple[str, int, int], ...] | None = None
        self._rows: list[Appointment] = []
        self._books: dict[dt.date, AppointmentBook] = {}

    def book(self, today: dt.date) -> AppointmentBook:
        state = self._state()
        if state != self._seen:
            self._rows = [a for path in sorted(self.folder.glob("*.csv"))
                          for a in read_csv(path)]
            self._seen = state
            self._books = {}
        if today not in self._books:
            self._books[today] = AppointmentBook(a for a in self._rows if a.day == today)
        return self._books[today]

    def match(self, first: str, last: str, birth: dt.date,
              today: dt.date) -> Appointment | None:
        return self.book(today).match(first, last, birth)

    def _state(self) -> tuple[tuple[str, int, int], ...]:
        try:
            files = sorted(self.folder.glob("*.csv"))
            return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        except OSError:
            return ()


class AppointmentSource(Protocol):
    """What check-in asks of today's list (a :class:`CsvFolder`, a :class:`Schedule`)."""

    identifier_system: str

    def match(self, first: str, last: str, birth: dt.date,
              today: dt.date) -> Appointment | None: ...

    def book(self, today: dt.date) -> AppointmentBook: ...


class LiveAppointments:
    """Appointments a feed keeps up to date from its own thread (HL7 v2 SIU messages, a
    FHIR ``Appointment`` search), held in memory. ``version`` moves on every change, so a
    :class:`Schedule` knows when to index again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[str, Appointment] = {}
        self.version = 0

    def put(self, appointment: Appointment) -> None:
        """A new appointment, or a changed one (same appointment id)."""
        with self._lock:
            self._by_id[appointment.appointment_id] = appointment
            self.version += 1

    def remove(self, appointment_id: str) -> bool:
        """A cancelled or deleted appointment; False: it was not on the list."""
        with self._lock:
            found = self._by_id.pop(appointment_id, None) is not None
            self.version += 1
            return found

    def replace_day(self, day: dt.date, appointments: Iterable[Appointment]) -> None:
        """The whole list for ``day`` (a search's answer): the day's others go."""
        with self._lock:
            self._by_id = {key: a for key, a in self._by_id.items() if a.day != day}
            self._by_id.update((a.appointment_id, a) for a in appointments if a.day == day)
            self.version += 1

    def on(self, day: dt.date) -> list[Appointment]:
        with self._lock:
            return [a for a in self._by_id.values() if a.day == day]

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_id)


class Schedule:
    """Today's list from every feed the clinic set up: the CSV folder and the live feeds,
    matched as one (an appointment in two feeds is one candidate, not two)."""

    def __init__(self, identifier_system: str, folder: CsvFolder | None = None,
                 feeds: Sequence[LiveAppointments] = ()) -> None:
        self.identifier_system = identifier_system
        self.folder = folder
        self.feeds = tuple(feeds)
        self._key: tuple[object, ...] | None = None
        self._book = AppointmentBook(())
        self._files: AppointmentBook | None = None

    def book(self, today: dt.date) -> AppointmentBook:
        from_files = self.folder.book(today) if self.folder is not None else None
        key = (today, *(feed.version for feed in self.feeds))
        if key != self._key or from_files is not self._files:  # the folder read again
            rows = list(from_files.appointments) if from_files is not None else []
            for feed in self.feeds:
                rows += feed.on(today)
            self._book = AppointmentBook(rows)
            self._key = key
            self._files = from_files
        return self._book

    def match(self, first: str, last: str, birth: dt.date,
              today: dt.date) -> Appointment | None:
        return self.book(today).match(first, last, birth)


def read_csv(path: Path) -> list[Appointment]:
    """The usable rows of one schedule file (UTF-8, with or without a byte-order mark)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [name.strip() for name in next(reader, [])]
            missing = [c for c in COLUMNS if c not in header
                       and c not in ("area", "time", "appointment_id")]
            if missing:
                log.warning("appointment file %s lacks columns %s: not read", path.name,
                            ", ".join(missing))
                return []
            where = {name: header.index(name) if name in header else -1 for name in COLUMNS}
            found, skipped = [], 0
            for row in reader:
                if not row:
                    continue
                appointment = _appointment(row, where)
                if appointment is None:
                    skipped += 1
                else:
                    found.append(appointment)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        log.warning("appointment file %s cannot be read: %s", path.name, type(exc).__name__)
        return []
    if skipped:
        log.warning("appointment file %s: %d rows skipped (a date, birth date, patient id, "
                    "name or procedure missing or malformed)", path.name, skipped)
    return found


def _appointment(row: list[str], where: dict[str, int]) -> Appointment | None:
    def text(key: str) -> str:
        index = where[key]
        return row[index].strip() if 0 <= index < len(row) else ""

    try:
        day = dt.date.fromisoformat(text("date"))
        birth = dt.date.fromisoformat(text("birth_date"))
    except ValueError:
        return None
    patient_id, last, first, procedure = (text("patient_id"), text("last_name"),
                                          text("first_name"), text("procedure"))
    if not (patient_id and last and first and procedure):
        return None
    return Appointment(text("appointment_id") or f"{patient_id}@{day}", patient_id, last,
                       first, birth, day, text("time"), procedure, text("area"))
