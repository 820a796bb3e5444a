"""Checking what the kiosk sends out as FHIR: fhir.resources' R4B models, and HL7's R4 JSON
schema with FHIR's StructureDefinitions through the Node tools in tests/fhir_server/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

FHIR_SERVER_DIR = Path(__file__).resolve().parents[1] / "fhir_server"


def node_tools() -> Path:
    """tests/fhir_server with its npm packages installed (``make test-setup`` runs ``npm ci``)."""
    if shutil.which("node") is None:
        pytest.fail("Node.js is not installed: the FHIR tests need it (scripts/system_packages.sh)")
    if not (FHIR_SERVER_DIR / "node_modules" / "@medplum" / "fhir-router").is_dir():
        pytest.fail("tests/fhir_server has no node_modules: run `make test-setup` (npm ci there)")
    return FHIR_SERVER_DIR


def r4b(resource: dict[str, Any]) -> Any:
    """The resource parsed (and so validated) by fhir.resources' R4B model of its type."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def schema_problems(resources: list[dict[str, Any]], tmp_path: Path) -> dict[str, list[str]]:
    """Problems HL7's R4 JSON schema and FHIR's StructureDefinitions find, by file name."""
    tools = node_tools()
    files = []
    for number, resource in enumerate(resources):
        path = tmp_path / f"resource-{number}-{resource['resourceType']}.json"
        path.write_text(json.dumps(resource), encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(["node", str(tools / "validate.mjs"), *files], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.stdout.strip(), result.stderr
    return {Path(name).name: found for name, found in json.loads(result.stdout).items()}


def assert_valid(resources: list[dict[str, Any]], tmp_path: Path) -> None:
    for resource in resources:
        r4b(resource)
    problems = {name: found for name, found in schema_problems(resources, tmp_path).items()
                if found}
    assert problems == {}
