"""Test set-up: Qt offscreen, every test on its own data directory, content loaded once."""

from __future__ import annotations

import os

# Must be set before PySide6 is imported anywhere: without a display Qt would abort.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from kiosk.content.library import ContentLibrary, load_content  # noqa: E402


def _shared_questionnaires() -> Path:
    """The published questionnaires: $KIOSK_SHARED_QUESTIONNAIRES, else ../shared beside the
    clone, else the workplace's /work/shared (a clone elsewhere, such as a fresh one in /tmp)."""
    if os.environ.get("KIOSK_SHARED_QUESTIONNAIRES"):
        return Path(os.environ["KIOSK_SHARED_QUESTIONNAIRES"])
    beside = Path(__file__).resolve().parents[2] / "shared" / "questionnaires"
    workplace = Path("/work/shared/questionnaires")
    return beside if beside.is_dir() or not workplace.is_dir() else workplace


SHARED_QUESTIONNAIRES = _shared_questionnaires()


@pytest.fixture(autouse=True)
def _cheap_pin_hash(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Staff PINs hashed with argon2id at its lowest cost in this process: the kiosk's
    own cost is about 0.4 s a check (3 s on a loaded CI machine), paid by every staff
    sign-in the suite makes. Tests of the hash itself are marked ``real_pin_hash``; kiosk
    processes the tests start use the real cost."""
    if request.node.get_closest_marker("real_pin_hash"):
        return
    from argon2 import PasswordHasher

    monkeypatch.setattr("kiosk.staff.pin._hasher",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    monkeypatch.setattr("kiosk.storage.staff_accounts._decoy_hash", None)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real user data directory."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data_dir))
    # FHIRPath parse trees: a file per test, never the user's cache directory
    monkeypatch.setenv("KIOSK_EXPRESSION_CACHE", str(tmp_path / "fhirpath-parse.json"))
    return data_dir


@pytest.fixture(scope="session")
def content() -> ContentLibrary:
    return load_content()


@pytest.fixture
def shared_questionnaire():
    def path(name: str) -> Path:
        found = SHARED_QUESTIONNAIRES / name
        if not found.exists():
            pytest.fail(f"{found} is missing (set KIOSK_SHARED_QUESTIONNAIRES)")
        return found

    return path


POSTGRES_URL = os.environ.get("KIOSK_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """Keyword arguments for ``Store`` on each engine; PostgreSQL gets a fresh database.

    Without $KIOSK_TEST_POSTGRES_URL the PostgreSQL runs are skipped — except on CI, where
    .ci/run starts a private cluster and a missing URL is a failure.
    """
    if request.param == "sqlite":
        yield {"path": tmp_path / "kiosk.db"}
        return
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("KIOSK_TEST_POSTGRES_URL is not set on CI")
        pytest.skip("no PostgreSQL server here (set KIOSK_TEST_POSTGRES_URL)")
    import uuid

    import psycopg2

    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(POSTGRES_URL)
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {name}")
    yield {"url": f"{POSTGRES_URL.rsplit('/', 1)[0]}/{name}"}
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


@pytest.fixture(scope="session")
def _shared_fhir_server():
    """One test FHIR server for the session (its start, loading FHIR's definitions, takes
    about 6 s); started the first time a test asks for ``server``."""
    from tests.helpers.fhir_server import FhirServer

    shared = FhirServer()
    yield shared
    shared.stop()


@pytest.fixture
def server(_shared_fhir_server):
    """The test FHIR server (tests/fhir_server/server.mjs) on loopback, empty: nothing
    stored, counts at zero. Tests that stop, restart or configure a server start their own
    ``FhirServer``."""
    if not _shared_fhir_server.running():
        _shared_fhir_server.stop()
        _shared_fhir_server.start()
    return _shared_fhir_server.reset()
