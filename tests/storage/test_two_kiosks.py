"""Two kiosks submitting at the same time into one shared database (SQLite file or
PostgreSQL): every intake arrives whole."""

import json
import subprocess
import sys
from pathlib import Path

from kiosk.storage import Store

ROOT = Path(__file__).resolve().parents[2]
KIOSK = '''
import json, sys
from kiosk.content.library import load_content
from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
target, name, count = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = Store(**target)
content = load_content()
print("ready", flush=True)
sys.stdin.readline()  # both kiosks start submitting together
for n in range(count):
    session = IntakeSession(content)
    fill_demo_session(session, first=name, last=f"{name}-{n}")
    session.confirm(True)
    store.submit(session.build_submission())
store.close()
print("done", flush=True)
'''


def test_two_kiosks_submit_at_once(database):
    Store(**database).close()  # schema in place, as after the first kiosk's start
    target = {k: str(v) for k, v in database.items()}
    kiosks = [subprocess.Popen([sys.executable, "-c", KIOSK, json.dumps(target), name, "25"],
                               cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True) for name in ("East", "West")]
    for kiosk in kiosks:
        assert kiosk.stdout.readline().strip() == "ready"
    for kiosk in kiosks:
        kiosk.stdin.write("go\n")
        kiosk.stdin.flush()
    for kiosk in kiosks:
        assert kiosk.stdout.readline().strip() == "done"
        assert kiosk.wait(timeout=60) == 0
    store = Store(**database)
    rows = store.queue_page(limit=100)
    assert len(rows) == 50 == store.count_intakes()
    assert {r.last_name for r in rows} == {f"{k}-{n}" for k in ("East", "West")
                                           for n in range(25)}
    flags = store.db.execute_sql("SELECT count(*) FROM intakeflag").fetchone()[0]
    assert flags == sum(r.flag_count for r in rows)
    store.close()
