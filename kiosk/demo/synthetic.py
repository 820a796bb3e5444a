"""Synthetic intakes for demos and the scale benchmarks: ``python -m kiosk.demo --intakes N``.

Patients are made up (names from short lists, no real person), but each one is a real pass
through an :class:`IntakeSession` with varied answers: the procedure, blood thinners,
allergies, sedation plans, understanding checks… so the flags are what the real rules give.
A few dozen such patients are then repeated with other names and times, like a clinic's
weekdays, to reach N quickly. Older intakes are marked reviewed, the last two days are not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import struct
import sys
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

from kiosk.content.library import ContentLibrary, load_content
from kiosk.intake.records import SubmittedIntake
from kiosk.intake.session import IntakeSession
from kiosk.questionnaire import Coding, Quantity
from kiosk.storage.name_search import name_key

FIRST_NAMES = ("Maria", "James", "Ana", "Li", "Omar", "Grace", "Ivan", "Zoe", "Raj", "Eve",
               "José", "Fatima", "Tom", "Aiko", "Samuel", "Lucía", "Noah", "Priya")
LAST_NAMES = ("Santos", "Smith", "Lopez", "Chen", "Haddad", "Okafor", "Petrov", "Kim",
              "Núñez", "Brown", "Garcia", "Nguyen", "Cohen", "Silva", "Walker", "Díaz")
STAFF = ("Kim", "Ada", "Luis")
SLOTS_PER_DAY = 32  # one intake every 15 minutes, 8:00 to 16:00, on weekdays


def signature_png(rng: random.Random, width: int = 600, height: int = 180) -> bytes:
    """A made-up scrawl as a PNG about the size of a real one from the pad (a few KB): the
    scale figures should read rows as heavy as a clinic's."""
    ink = bytearray(b"\xff" * (width * height))
    x, y, heading = 30.0, height / 2, 0.0
    for _ in range(5000):  # loops drifting right, like handwriting
        heading += rng.uniform(-0.5, 0.5)
        x = max(8.0, x + math.cos(heading) * 2 + 0.6)
        y = max(8.0, min(height - 8.0, y + math.sin(heading) * 2))
        if x > width - 30:
            break
        for ox in (-1, 0, 1):
            for oy in (-1, 0, 1):
                ink[int(y + oy) * width + int(x + ox)] = 0
    rows = b"".join(b"\x00" + bytes(ink[r * width:(r + 1) * width]) for r in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def random_patient(session: IntakeSession, rng: random.Random) -> None:
    """Check in and answer like a plausible patient (the packaged questionnaire)."""
    content = session.content
    form = content.questionnaire

    def code(link_id: str, *codes: str) -> list[Coding]:
        item = form.item(link_id)
        values = [item.option_for_code(c) for c in codes]
        assert all(values), (link_id, codes)
        return [v.value for v in values if v is not None and isinstance(v.value, Coding)]

    def chance(share: float) -> bool:
        return rng.random() < share

    procedure = rng.choice(content.procedures)
    session.set_name(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
    session.set_birth(rng.randint(1935, 2004), rng.randint(1, 12), rng.randint(1, 28))
    session.choose_procedure(procedure.id)
    session.set_language("es" if chance(0.2) else "en")
    for check in session.checks():
        wrong = [o.id for o in check.options if o.id != check.correct] + ["unsure"]
        session.answer_check(check.id, check.correct if chance(0.85) else rng.choice(wrong))
    session.answer("procedure-area", code("procedure-area", rng.choice(
        ["neck", "mid-back", "low-back", "low-back", "buttock-hip", "leg", "unsure"])))
    thinner = rng.random()
    session.answer("blood-thinners", code("blood-thinners", "none") if thinner < 0.7 else
                   code("blood-thinners", "unsure") if thinner < 0.75 else
                   code("blood-thinners", rng.choice(["warfarin", "apixaban", "clopidogrel",
                                                      "aspirin", "rivaroxaban", "nsaid"])))
    if session.answers.is_enabled("blood-thinner-last-dose"):  # no extra draw: same patients
        doses = ["today", "yesterday", "2to3d", "4to7d", "gt7d", "dont-remember"]
        session.answer("blood-thinner-last-dose",
                       code("blood-thinner-last-dose", doses[int(thinner * 1000) % len(doses)]))
    session.answer("supplements", code("supplements", "none") if chance(0.8)
                   else code("supplements", rng.choice(["fish-oil", "turmeric", "ginkgo"])))
    session.answer("bleeding", [chance(0.05)])
    allergy = rng.random()
    if allergy < 0.75:
        session.answer("allergies", code("allergies", "none"))
    elif allergy < 0.85:
        session.answer("allergies", code("allergies", "contrast"))
        session.answer("contrast-reaction-what", code("contrast-reaction-what", rng.choice(
            ["hives", "hives", "breathing", "dont-remember"])))
        session.answer("contrast-reaction-when", code("contrast-reaction-when", rng.choice(
            ["lt1y", "1to5y", "gt5y", "dont-remember"])))
    else:
        kind = rng.choice(["latex", "local-anesthetic", "other"])
        session.answer("allergies", code("allergies", kind))
        if kind == "other":
            session.answer("allergies-other", [rng.choice(["Penicillin", "Sulfa", "Codeine"])])
    session.answer("fever-infection", [chance(0.03)])
    session.answer("antibiotics", [chance(0.08)])
    session.answer("recent-illness", [chance(0.1)])
    diabetes = chance(0.2)
    session.answer("diabetes", [diabetes])
    if diabetes:
        glp1 = chance(0.25)
        session.answer("glp1", [glp1])
        session.answer("diabetes-medicines", code("diabetes-medicines", "metformin"))
        session.answer("blood-sugar-today", code("blood-sugar-today", "70to180"))
        if glp1:
            session.answer("glp1-last-dose", code("glp1-last-dose", "2to7d"))
            session.answer("glp1-stomach", [False])
    for link_id in ("skin-problem", "immune", "kidney-liver", "heart-failure",
                    "recent-steroid-shot", "site-surgery"):
        session.answer(link_id, [False])
    session.answer("pregnancy", code("pregnancy", rng.choice(
        ["no", "not-applicable", "not-applicable", "no", "unsure"] if chance(0.5)
        else ["not-applicable"])))
    if session.answers.is_enabled("last-period"):  # may be pregnant: asked (no rng draw)
        session.answer("last-period", code("last-period", "lt4w"))
    session.answer("devices", code("devices", "none") if chance(0.9) else code(
        "devices", rng.choice(["pacemaker", "spinal-cord-stimulator", "pump"])))
    session.answer("glaucoma", [chance(0.05)])
    if chance(0.6):
        units = form.item("weight").units
        unit = units[0] if units else None
        session.answer("weight", [Quantity(rng.randint(110, 260), unit.display if unit else "",
                                           unit.system if unit else "",
                                           unit.code if unit else "")])
    sedation = {"usual": "yes", "sometimes": rng.choice(["yes", "no", "unsure"]),
                "no": "no"}[procedure.sedation]
    session.answer("sedation-planned", code("sedation-planned", sedation))
    if sedation != "no":
        session.answer("last-food", code("last-food", "gt8h" if chance(0.85) else "2to6h"))
        session.answer("last-drink", code("last-drink", rng.choice(["2to6h", "gt8h"])))
        session.answer("driver", [chance(0.92)])
        session.answer("last-drink-kind", code("last-drink-kind", "clear"))
        session.answer("adult-24h", [True])
        for link_id in ("sleep-apnea", "sedation-problems", "sedating-medicines"):
            session.answer(link_id, [False])
    session.answer("pain-now", [rng.randint(2, 9)])
    if chance(0.6):
        for link_id in ("peg-average", "peg-enjoyment", "peg-activity"):
            session.answer(link_id, [rng.randint(2, 9)])
    session.sign(signature_png(rng))
    session.confirm(True)


def sample_patients(content: ContentLibrary, count: int, seed: int = 7
                    ) -> list[SubmittedIntake]:
    rng = random.Random(seed)
    samples = []
    for _ in range(count):
        session = IntakeSession(content)
        random_patient(session, rng)
        samples.append(session.build_submission())
    return samples


def clinic_times(count: int, last: dt.datetime) -> list[dt.datetime]:
    """``count`` submission times on weekdays, every 15 minutes from 8:00, newest ``last``."""
    times: list[dt.datetime] = []
    day = last.date()
    while len(times) < count:
        if day.weekday() < 5:
            start = dt.datetime.combine(day, dt.time(8, 0))
            for slot in range(SLOTS_PER_DAY - 1, -1, -1):
                moment = start + dt.timedelta(minutes=15 * slot)
                if moment <= last and len(times) < count:
                    times.append(moment)
        day -= dt.timedelta(days=1)
    return times[::-1]  # oldest first


def fill_demo_intakes(store, content: ContentLibrary, count: int, seed: int = 7,
                      now: dt.datetime | None = None, samples: int = 60) -> int:
    """Insert ``count`` synthetic intakes (with flags, understanding results and a
    signature) in bulk; returns how many. Times run up to ``now``."""
    Intake, IntakeFlag = store.models.Intake, store.models.IntakeFlag  # bulk, for speed

    rng = random.Random(seed)
    templates = sample_patients(content, min(samples, count), seed)
    encoded = [(t, json.dumps(t.response, ensure_ascii=False),
                json.dumps([r.to_json() for r in t.understanding], ensure_ascii=False))
               for t in templates]
    now = (now or dt.datetime.now()).replace(second=0, microsecond=0)
    times = clinic_times(count, now)
    unreviewed_from = now - dt.timedelta(days=2)
    with store.db.atomic():
        first_id = (Intake.select(Intake.id).order_by(Intake.id.desc()).scalar() or 0) + 1
        for batch_start in range(0, count, 1000):
            rows, flags = [], []
            for n in range(batch_start, min(count, batch_start + 1000)):
                template, response, understanding = encoded[n % len(encoded)]
                at = times[n]
                reviewed = at < unreviewed_from
                rows.append({
                    "uid": f"demo-{seed}-{first_id + n}", "submitted_at": at,
                    "first_name": (first := rng.choice(FIRST_NAMES)),
                    "last_name": (last := rng.choice(LAST_NAMES)),
                    "first_key": name_key(first), "last_key": name_key(last),
                    "birth_date": template.birth_date, "procedure_id": template.procedure_id,
                    "language": template.language,
                    "questionnaire_url": template.questionnaire_url,
                    "questionnaire_version": template.questionnaire_version,
                    "response_json": response, "flag_count": len(template.flags),
                    "high_flag_count": sum(f.severity == "high" for f in template.flags),
                    "flag_labels": "; ".join(f.label for f in template.flags),
                    "reviewed_at": at + dt.timedelta(hours=1) if reviewed else None,
                    "reviewed_by": rng.choice(STAFF) if reviewed else None,
                    "signature_png": template.signature_png,
                    "signature_kind": "drawn" if template.signature_png else "",
                    "understanding_json": understanding,
                })
                flags += [{"intake": first_id + n, "rule_id": f.rule_id, "severity": f.severity,
                           "label": f.label, "text": f.text, "position": i}
                          for i, f in enumerate(template.flags)]
            Intake.insert_many(rows).execute()
            for i in range(0, len(flags), 2000):
                IntakeFlag.insert_many(flags[i:i + 2000]).execute()
    return count


def main(argv: Sequence[str] | None = None) -> int:
    from kiosk.config import default_data_dir
    from kiosk.storage import Store
    from kiosk.storage.keys import DatabaseKeyError, load_key

    parser = argparse.ArgumentParser(
        prog="python -m kiosk.demo",
        description="Fill a kiosk database with synthetic intakes (made-up patients).")
    parser.add_argument("--intakes", type=int, required=True, metavar="N")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where kiosk.db is (default: as the kiosk, or $KIOSK_DATA_DIR)")
    parser.add_argument("--key-file", type=Path, default=None,
                        help="the database key, for an encrypted database")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.intakes < 1:
        parser.error("--intakes must be at least 1")
    try:
        key = load_key(args.key_file)
    except DatabaseKeyError as exc:
        print(f"Cannot open the database: {exc}.", file=sys.stderr)
        return 2
    data_dir = args.data_dir or default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    store = Store(data_dir / "kiosk.db", key=key)
    try:
        fill_demo_intakes(store, load_content(), args.intakes, args.seed)
        total = store.count_intakes()
    finally:
        store.close()
    print(f"Added {args.intakes:,} synthetic intakes to {data_dir / 'kiosk.db'} "
          f"({total:,} in all) in {time.perf_counter() - began:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
