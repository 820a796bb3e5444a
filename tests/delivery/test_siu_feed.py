"""Today's appointments as HL7 v2 SIU messages sent to the kiosk's MLLP listener (on
loopback), matched like the CSV list."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.delivery.mllp import MllpClient
from kiosk.delivery.settings import Hl7Destination, Hl7Listener
from kiosk.delivery.siu import SiuListener, read_siu
from kiosk.intake.appointments import CsvFolder, LiveAppointments, Schedule

MRN = "https://clinic.example/fhir/sid/mrn"
TODAY = dt.date(2026, 12, 3)


def siu(event: str = "S12", control: str = "MSG-1", appointment: str = "A-2001",
        start: str = "202612030930", pid: str = "MRN-0042^^^PAINCLINIC^MR",
        name: str = "Núñez-Peña^María José", born: str = "19610412",
        service: str = "medial-branch-block^Medial branch block^L^neck") -> str:
    return "\r".join([
        f"MSH|^~\\&|SCHED|PAINCLINIC|INTAKE-KIOSK|PAINCLINIC|20261202170000||SIU^{event}^SIU_S12|"
        f"{control}|P|2.5",
        f"SCH|{appointment}-P|{appointment}|||||||30|min|^^30^{start}",
        f"PID|1||{pid}||{name}||{born}",
        "RGS|1",
        f"AIS|1||{service}|{start}",
    ]) + "\r"


@pytest.fixture
def feed():
    live = LiveAppointments()
    listener = SiuListener(Hl7Listener("127.0.0.1", 0), live).start()
    yield live, MllpClient(Hl7Destination("127.0.0.1", listener.port, tls=False, timeout=10))
    listener.stop()


def test_an_s12_puts_the_appointment_on_todays_list(feed):
    live, kiosk_port = feed
    schedule = Schedule(MRN, feeds=[live])
    assert schedule.match("Maria", "Nunez", dt.date(1961, 4, 12), TODAY) is None
    outcome = kiosk_port.send(siu(), "MSG-1")
    assert outcome.kind == "sent"  # the kiosk answered AA for this message
    found = schedule.match("Maria", "Nunez", dt.date(1961, 4, 12), TODAY)
    assert found is not None
    assert (found.appointment_id, found.patient_id, found.procedure_id, found.area,
            found.time) == ("A-2001", "MRN-0042", "medial-branch-block", "neck", "09:30")
    assert schedule.match("Maria", "Nunez", dt.date(1961, 4, 12), TODAY
                          + dt.timedelta(days=1)) is None  # today's only


def test_a_reschedule_replaces_and_a_cancellation_takes_it_off(feed):
    live, kiosk_port = feed
    schedule = Schedule(MRN, feeds=[live])
    assert kiosk_port.send(siu(), "MSG-1").kind == "sent"
    assert kiosk_port.send(siu("S13", "MSG-2", start="202612041100"), "MSG-2").kind == "sent"
    assert len(live) == 1
    assert schedule.match("María José", "Núñez-Peña", dt.date(1961, 4, 12), TODAY) is None
    moved = schedule.match("María José", "Núñez-Peña", dt.date(1961, 4, 12),
                           dt.date(2026, 12, 4))
    assert moved is not None and moved.time == "11:00"
    assert kiosk_port.send(siu("S15", "MSG-3", start="202612041100"), "MSG-3").kind == "sent"
    assert len(live) == 0


def test_a_message_without_what_matching_needs_is_answered_ae_with_what_is_missing(feed):
    live, kiosk_port = feed
    outcome = kiosk_port.send(siu(control="MSG-9", born="", service=""), "MSG-9")
    assert outcome.kind == "failed"
    assert outcome.reason == "AE: missing PID-7 birth date, AIS-3 procedure"
    assert len(live) == 0
    other = kiosk_port.send(siu("S26", "MSG-10"), "MSG-10")  # a no-show: not used
    assert other.kind == "failed" and other.reason.startswith("AR: ")


def test_the_csv_folder_and_the_siu_feed_are_one_list(tmp_path, feed):
    live, kiosk_port = feed
    folder = tmp_path / "appointments"
    folder.mkdir()
    (folder / "day.csv").write_text(
        "date,time,appointment_id,patient_id,last_name,first_name,birth_date,procedure,area\n"
        "2026-12-03,09:30,A-2001,MRN-0042,Núñez-Peña,María José,1961-04-12,"
        "medial-branch-block,neck\n", encoding="utf-8")
    schedule = Schedule(MRN, CsvFolder(folder, MRN), [live])
    assert schedule.match("Maria", "Nunez", dt.date(1961, 4, 12), TODAY) is not None
    kiosk_port.send(siu(), "MSG-1")  # the same appointment from both feeds: one candidate
    assert schedule.match("Maria", "Nunez", dt.date(1961, 4, 12), TODAY) is not None
    kiosk_port.send(siu(control="MSG-2", appointment="A-2002", pid="MRN-0043"), "MSG-2")
    # two patients with the same name and birth date: neither is picked
    assert schedule.match("Maria", "Nunez", dt.date(1961, 4, 12), TODAY) is None


def test_read_siu_takes_the_mr_identifier_and_unescapes_names():
    event, appointment = read_siu(siu(pid="X9^^^OTHER^PI~MRN-7^^^PAINCLINIC^MR",
                                      name="O\\S\\Brien^Ann"))
    assert event == "S12"
    assert appointment.patient_id == "MRN-7" and appointment.last_name == "O^Brien"


def test_a_listener_without_its_port_leaves_the_other_feeds_working(tmp_path, feed):
    from kiosk.delivery.feeds import start_feeds
    from kiosk.delivery.settings import parse_settings

    busy = feed[1].destination.port  # the fixture's listener holds it
    folder = tmp_path / "appointments"
    folder.mkdir()
    (folder / "day.csv").write_text(
        "date,time,appointment_id,patient_id,last_name,first_name,birth_date,procedure,area\n"
        f"{dt.date.today()},09:30,A-1,MRN-1,Okafor,Chidi,1970-01-02,medial-branch-block,\n",
        encoding="utf-8")
    settings = parse_settings({"patient_identifier_system": MRN, "appointments": {
        "csv_folder": str(folder), "hl7_listen": {"port": busy}}}, "ehr.json")
    schedule, running = start_feeds(settings)
    try:
        assert running.listener is None
        assert running.problems[0].startswith(f"the SIU listener cannot listen on "
                                              f"127.0.0.1:{busy}: ")
        assert schedule.match("Chidi", "Okafor", dt.date(1970, 1, 2), dt.date.today())
    finally:
        running.stop()
