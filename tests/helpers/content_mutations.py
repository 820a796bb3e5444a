"""Mutations of the shipped content files, for the content fuzz test: wrong types, deleted
keys, bad encodings, deep nesting. Deterministic (seeded), so a failure names its case."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "kiosk" / "content"
WRONG_VALUES: list[Any] = [None, True, False, 0, -1, 1.5, "", "x", [], {}, ["x"], {"x": 1},
                           "warfarine", 10**30]


@dataclass(frozen=True)
class Mutation:
    file: str  # relative to the content folder
    what: str  # for the test's id and message

    def __str__(self) -> str:
        return f"{self.file}: {self.what}"


def content_files() -> list[str]:
    return sorted(str(p.relative_to(CONTENT)) for p in CONTENT.rglob("*.json"))


def copy_content(into: Path) -> Path:
    shutil.copytree(CONTENT, into, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return into


def _paths(data: Any, path: tuple = ()) -> Iterator[tuple]:
    """Every place in ``data`` (as a tuple of keys and indexes)."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for n in range(depth):
        value = [value] if n % 2 else {"x": value}
    return value


def mutations(seed: int = 11, per_file: int = 24) -> list[tuple[Mutation, bytes]]:
    """(mutation, the mutated file's bytes): for every content file, structural mutations
    at random places, and each encoding and nesting fault once."""
    rng = random.Random(seed)
    cases: list[tuple[Mutation, bytes]] = []
    for name in content_files():
        original = (CONTENT / name).read_bytes()
        data = json.loads(original)
        places = [p for p in _paths(data) if p]
        text = original.decode("utf-8")
        accented = next((i for i, ch in enumerate(text) if ord(ch) > 127), None)
        latin1 = (text.encode("latin-1", errors="replace") if accented is not None
                  else text.replace('"', '"\u00e9', 1).encode("latin-1"))
        cases += [
            (Mutation(name, "saved as Latin-1"), latin1),
            (Mutation(name, "cut off half way"), original[: len(original) // 2]),
            (Mutation(name, "empty file"), b""),
            (Mutation(name, "a stray 0xff byte"), original[:40] + b"\xff" + original[40:]),
            (Mutation(name, "a list, not an object"), b"[]"),
            (Mutation(name, "nested 500 deep at the top"),
             json.dumps({**data, "deep": _nested(500)} if isinstance(data, dict)
                        else _nested(500)).encode()),
            (Mutation(name, "nested 100000 deep"), b"[" * 100_000 + b"]" * 100_000),
        ]
        for _ in range(per_file):
            place = rng.choice(places)
            mutated = json.loads(original)
            parent = _get(mutated, place[:-1])
            kind = rng.choice(["delete", "wrong", "wrong", "listed", "deep"])
            if kind == "delete":
                if isinstance(parent, dict):
                    del parent[place[-1]]
                else:
                    parent.pop(place[-1])
                what = f"deleted {'/'.join(map(str, place))}"
            elif kind == "listed":  # a value given as a list of itself
                parent[place[-1]] = [parent[place[-1]]]
                what = f"{'/'.join(map(str, place))} as a list"
            elif kind == "deep":
                parent[place[-1]] = _nested(500)
                what = f"{'/'.join(map(str, place))} nested 500 deep"
            else:
                value = rng.choice(WRONG_VALUES)
                parent[place[-1]] = value
                what = f"{'/'.join(map(str, place))} = {value!r}"
            cases.append((Mutation(name, what),
                          json.dumps(mutated, ensure_ascii=False).encode("utf-8")))
    return cases
