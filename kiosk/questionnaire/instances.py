"""Repeating groups: which instance of each repeating group an answer belongs to.

A *path* holds one index for each repeating group around an item, outermost first; a
repeating group's own index is part of its path. Items outside any repeating group have
the empty path ``()``. An answer is stored under ``(linkId, path)``.
"""

from __future__ import annotations

from collections.abc import Iterator

from kiosk.questionnaire.model import Item, Questionnaire

Path = tuple[int, ...]
Key = tuple[str, Path]
_OUTSIDE: tuple[Path, ...] = ((),)  # the one path of an item outside repeating groups


class RepeatLayout:
    """The repeating-group chain of every item and the number of instances of each group."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.chain: dict[str, tuple[str, ...]] = {}
        for item in questionnaire.walk():
            parent_chain = self.chain[item.parent.link_id] if item.parent is not None else ()
            own = (item.link_id,) if is_repeating_group(item) else ()
            self.chain[item.link_id] = parent_chain + own
        self.counts: dict[tuple[str, Path], int] = {}  # (group, path of its parent) -> count

    def count(self, group: str, parent_path: Path) -> int:
        return self.counts.get((group, parent_path), 1)

    def paths(self, item: Item) -> Iterator[Path]:
        """Every path at which ``item`` exists now."""
        chain = self.chain[item.link_id]
        if not chain:  # most items: no generators (asked ~30,000 times a form start)
            return iter(_OUTSIDE)
        return self._expand(chain, ())

    def _expand(self, chain: tuple[str, ...], prefix: Path) -> Iterator[Path]:
        if not chain:
            yield prefix
            return
        for index in range(self.count(chain[0], prefix)):
            yield from self._expand(chain[1:], prefix + (index,))

    def parent_path(self, item: Item, path: Path) -> Path:
        return path[:-1] if is_repeating_group(item) else path

    def source_paths(self, target: Item, path: Path, source: Item) -> list[Path]:
        """Where to read ``source``'s answers for ``target`` at ``path``: the same instance
        of every repeating group they share; every instance of the groups they do not."""
        mine, theirs = self.chain[target.link_id], self.chain[source.link_id]
        shared = 0
        while shared < min(len(mine), len(theirs)) and mine[shared] == theirs[shared]:
            shared += 1
        prefix = path[:shared]
        if len(theirs) == shared:
            return [prefix]
        return list(self._expand(theirs[shared:], prefix))

    def add(self, group: Item, parent_path: Path) -> Path:
        """A new instance of ``group`` under ``parent_path``; returns its path."""
        count = self.count(group.link_id, parent_path)
        self.counts[(group.link_id, parent_path)] = count + 1
        return parent_path + (count,)

    def remove(self, group: Item, path: Path) -> None:
        parent_path = path[:-1]
        count = self.count(group.link_id, parent_path)
        if count <= 1:
            return
        self.counts[(group.link_id, parent_path)] = count - 1
        # counts of groups nested in later instances move down by one
        depth = len(path) - 1
        moved = {}
        for name, inner in self.counts:
            if len(inner) > depth and inner[:depth] == parent_path and inner[depth] > path[-1]:
                renumbered = inner[:depth] + (inner[depth] - 1,) + inner[depth + 1:]
                moved[(name, inner)] = (name, renumbered)
        for old, new in moved.items():
            self.counts[new] = self.counts.pop(old)


def is_repeating_group(item: Item) -> bool:
    return item.type == "group" and item.repeats


def shift_key(key: Key, depth: int, prefix: Path, removed: int) -> Key | None:
    """Renumber an answer key after instance ``prefix + (removed,)`` went away (None: it did)."""
    link_id, path = key
    if len(path) <= depth or path[:depth] != prefix:
        return key
    if path[depth] == removed:
        return None
    if path[depth] > removed:
        return link_id, path[:depth] + (path[depth] - 1,) + path[depth + 1:]
    return key
