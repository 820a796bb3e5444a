"""A real FHIR server on loopback for tests: tests/fhir_server/server.mjs (Medplum's FHIR
router in memory, validating everything it receives), started and stopped by its pid."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from tests.helpers.fhir import node_tools

TOKEN = "test-token-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class FhirServer:
    def __init__(self, port: int | None = None, token: str = TOKEN,
                 smart: dict[str, str] | None = None) -> None:
        """``smart``: CLIENT_ID and PUBLIC_KEY_FILE (and TOKEN_SECONDS) for its token URL."""
        self.port = port or free_port()
        self.token = token
        self.smart = smart or {}
        self.process: subprocess.Popen[str] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FhirServer:
        tools = node_tools()
        env = {**os.environ, "PORT": str(self.port), "TOKEN": self.token, **self.smart}
        self.process = subprocess.Popen(["node", str(tools / "server.mjs")], cwd=tools, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # "listening PORT" once it accepts requests
        if not line.startswith("listening"):
            self.stop()
            raise RuntimeError(f"the test FHIR server did not start: {line!r}")
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
            self.process = None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def reset(self) -> FhirServer:
        """Empty, as if just started (tests share one server, tests/conftest.py)."""
        self.post("/_test/reset", {})
        return self

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/auth/token"

    def get(self, path: str) -> Any:
        request = urllib.request.Request(self.base_url + path,
                                         headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())

    def post(self, path: str, body: Any) -> Any:
        request = urllib.request.Request(self.base_url + path, data=json.dumps(body).encode(),
                                         method="POST")
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())

    def stats(self) -> dict[str, Any]:
        return self.get("/_test/stats")

    def search(self, resource_type: str, **params: str) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode(params)
        bundle = self.get(f"/{resource_type}?{query}" if query else f"/{resource_type}")
        return [entry["resource"] for entry in bundle.get("entry", [])]


def token_file(folder: Path, token: str = TOKEN) -> Path:
    path = folder / "ehr.token"
    path.write_text(token + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path
