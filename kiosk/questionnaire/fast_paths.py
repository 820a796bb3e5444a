"""The FHIRPath shapes published forms use most, evaluated straight from the response.

fhirpathpy walks the whole QuestionnaireResponse for every evaluation (about 3 ms on an
800-item form); most expressions of published forms only read one answer and compare it
(``%resource.repeat(item).where(linkId='x').answer.value = 'y'``, ``%age <= 12``,
``item.where(linkId='a').item.where(linkId='b').answer.value``). This module reads such an
expression — a small subset of FHIRPath: paths of ``item``, ``repeat(item)``,
``where(linkId='…')``, ``answer``, ``value``, ``empty()``, ``exists()``, ``answers()``
from the focus or a ``%variable``, literals, ``= != < <= > >=``, ``and``, ``or``,
parentheses and ``iif()`` on the focus (a branch outside the subset is unsure only when
taken) — and evaluates it on the response's own dicts, with an index of the
response's items by linkId built once per response.

It gives exactly what fhirpathpy gives (``tests/questionnaire/test_fast_paths.py`` runs
every expression of the corpus through both on random answers). Whatever it is not sure
of — a value type other than string, boolean, integer and Coding, a collection where
fhirpathpy expects one value, a variable that is not there — it answers :data:`UNSURE`,
and the caller evaluates the expression with fhirpathpy instead.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from decimal import Decimal
from typing import Any

UNSURE: Any = object()  # "evaluate this one with fhirpathpy"
Env = dict[str, Any]
Evaluate = Callable[[list[Any], Any, Env], Any]  # (focus, root, env) -> list or UNSURE

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^'\\]|\\.)*')
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<var>%[A-Za-z_][A-Za-z0-9_]*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|!=|=|<|>|\(|\)|\.|,)
)""", re.VERBOSE)
_STEPS = {"item", "answer", "value"}
_VALUE_KEYS = {"valueString": str, "valueBoolean": bool, "valueInteger": int,
               "valueCoding": dict}


class _Node:
    """An item of the response (a dict with linkId, answer, item) in a collection."""

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data


class _Answer:
    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data


class _NotHandled(Exception):
    """The text is outside the subset: fhirpathpy evaluates it."""


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    at = 0
    text = text.rstrip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            raise _NotHandled(text)
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        at = match.end()
    return found


class _Parser:
    """Recursive descent over the subset, FHIRPath's precedence: or < and < equality <
    comparison < path."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self, offset: int = 0) -> tuple[str, str]:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else ("end", "")

    def take(self, kind: str, text: str | None = None) -> str:
        found_kind, found = self.peek()
        if found_kind != kind or (text is not None and found != text):
            raise _NotHandled(f"expected {text or kind}")
        self.at += 1
        return found

    def whole(self) -> Evaluate:
        expression = self.disjunction()
        if self.peek()[0] != "end":
            raise _NotHandled("trailing text")
        return expression

    def disjunction(self) -> Evaluate:
        left = self.conjunction()
        while self.peek() == ("name", "or"):
            self.at += 1
            left = _logic(_or, left, self.conjunction())
        return left

    def conjunction(self) -> Evaluate:
        left = self.equality()
        while self.peek() == ("name", "and"):
            self.at += 1
            left = _logic(_and, left, self.equality())
        return left

    def equality(self) -> Evaluate:
        left = self.comparison()
        while self.peek()[0] == "op" and self.peek()[1] in ("=", "!="):
            op = self.take("op")
            left = _equality(left, self.comparison(), op == "!=")
        return left

    def comparison(self) -> Evaluate:
        left = self.term()
        while self.peek()[0] == "op" and self.peek()[1] in ("<", "<=", ">", ">="):
            op = self.take("op")
            left = _comparison(left, self.term(), op)
        return left

    def term(self) -> Evaluate:
        kind, text = self.peek()
        if (kind, text) == ("op", "("):
            self.at += 1
            inner = self.disjunction()
            self.take("op", ")")
            return self.steps(inner)
        if kind == "string":
            if "\\" in text:
                raise _NotHandled("escape in string")
            self.at += 1
            return _literal(text[1:-1])
        if kind == "number":
            self.at += 1
            number = Decimal(text)
            return _literal(int(number) if number == int(number) else number)
        if kind == "name" and text in ("true", "false") and self.peek(1) != ("op", "("):
            self.at += 1
            return _literal(text == "true")
        if kind == "var":
            self.at += 1
            return self.steps(_variable(text[1:]))
        if kind == "name":  # a path from the focus
            return self.steps(lambda focus, root, env: focus, first=True)
        raise _NotHandled(f"unexpected {text}")

    def steps(self, start: Evaluate, first: bool = False) -> Evaluate:
        path = start
        while first or self.peek() == ("op", "."):
            if not first:
                self.at += 1
            on_focus, first = first, False
            name = self.take("name")
            if self.peek() == ("op", "(") and name == "iif" and on_focus:
                self.at += 1
                path = self.iif()
            elif self.peek() == ("op", "("):
                self.at += 1
                path = self.function(path, name)
            elif name in _STEPS:
                path = _member(path, name)
            else:
                raise _NotHandled(f"member {name}")
        return path

    def iif(self) -> Evaluate:
        """``iif(condition, then[, otherwise])`` on the focus: the condition in the subset;
        a branch outside it is :data:`UNSURE` only when it is the one taken (the health
        check's ``iif(….answer.value.exists(), today())``: empty until answered)."""
        condition = self.disjunction()
        self.take("op", ",")
        then = self.branch()
        otherwise = None
        if self.peek() == ("op", ","):
            self.at += 1
            otherwise = self.branch()
        self.take("op", ")")
        return _iif(condition, then, otherwise)

    def branch(self) -> Evaluate:
        """An argument up to its ``,`` or ``)``; outside the subset, evaluated as UNSURE."""
        start = self.at
        try:
            found = self.disjunction()
            if self.peek() in (("op", ","), ("op", ")")):
                return found
        except _NotHandled:
            pass
        self.at, depth = start, 0
        while True:  # skip the argument's tokens (they were read by the tokenizer)
            kind, text = self.peek()
            if kind == "end":
                raise _NotHandled("unclosed iif")
            if kind == "op" and text in (",", ")") and depth == 0:
                return lambda focus, root, env: UNSURE
            if (kind, text) == ("op", "("):
                depth += 1
            elif (kind, text) == ("op", ")"):
                depth -= 1
            self.at += 1

    def function(self, path: Evaluate, name: str) -> Evaluate:
        if name in ("empty", "exists", "answers"):
            self.take("op", ")")
            if name == "answers":  # SDC: repeat(item).answer, as expressions.py has it
                return _member(_repeat_items(path), "answer")
            return _existence(path, name == "exists")
        if name == "repeat":
            self.take("name", "item")
            self.take("op", ")")
            return _repeat_items(path)
        if name == "where":
            self.take("name", "linkId")
            self.take("op", "=")
            wanted = self.take("string")
            self.take("op", ")")
            if "\\" in wanted:
                raise _NotHandled("escape in string")
            return _where_link_id(path, wanted[1:-1])
        raise _NotHandled(f"function {name}")


# -- the pieces --------------------------------------------------------------------------
def _literal(value: Any) -> Evaluate:
    return lambda focus, root, env: [value]


_RESOURCE_NODE: Any = None


def resource_node_class() -> Any:
    """fhirpathpy's ResourceNode class, imported once (an import statement in a function
    runs PySide6's import hook at every call: ~3,000 a form start)."""
    global _RESOURCE_NODE
    from fhirpathpy.engine.nodes import ResourceNode

    _RESOURCE_NODE = ResourceNode
    return ResourceNode


def _as_collection(value: Any) -> Any:
    """A variable's or the focus's value as a collection the subset can read, or UNSURE."""
    resource_node = _RESOURCE_NODE or resource_node_class()
    values = value if isinstance(value, list) else [value]
    found: list[Any] = []
    for entry in values:
        if isinstance(entry, resource_node):
            if entry.path != "QuestionnaireResponse.item" or not isinstance(entry.data, dict):
                return UNSURE
            found.append(_Node(entry.data))
        elif isinstance(entry, dict):
            if entry.get("resourceType") != "QuestionnaireResponse":
                return UNSURE
            found.append(_Node(entry))
        elif isinstance(entry, str | bool | int | Decimal):
            found.append(entry)
        else:
            return UNSURE
    return found


def _variable(name: str) -> Evaluate:
    def evaluate(focus: list[Any], root: Any, env: Env) -> Any:
        if name not in env:
            return UNSURE
        return _as_collection(env[name])
    return evaluate


def _member(path: Evaluate, name: str) -> Evaluate:
    def evaluate(focus: list[Any], root: Any, env: Env) -> Any:
        found = path(focus, root, env)
        if found is UNSURE:
            return UNSURE
        out: list[Any] = []
        for entry in found:
            if name == "item" and isinstance(entry, _Node):
                children = entry.data.get("item")
                if children is not None and not isinstance(children, list):
                    return UNSURE
                out.extend(_Node(child) for child in children or ())
            elif name == "answer" and isinstance(entry, _Node):
                answers = entry.data.get("answer")
                if answers is not None and not isinstance(answers, list):
                    return UNSURE
                out.extend(_Answer(answer) for answer in answers or ())
            elif name == "value" and isinstance(entry, _Answer):
                for key, value in entry.data.items():
                    if key.startswith("_"):
                        return UNSURE  # a primitive's extension: fhirpathpy's business
                    if not key.startswith("value"):
                        continue
                    wanted = _VALUE_KEYS.get(key)
                    if wanted is None or not isinstance(value, wanted) or (
                            wanted is int and isinstance(value, bool)):
                        return UNSURE
                    out.append(value)
            else:
                return UNSURE
        return out
    return evaluate


def _where_link_id(path: Evaluate, link_id: str) -> Evaluate:
    def evaluate(focus: list[Any], root: Any, env: Env) -> Any:
        found = path(focus, root, env)
        if found is UNSURE:
            return UNSURE
        out = []
        for entry in found:
            if not isinstance(entry, _Node):
                return UNSURE
            if entry.data.get("linkId") == link_id:
                out.append(entry)
        return out
    return evaluate


def _repeat_items(path: Evaluate) -> Evaluate:
    """``repeat(item)``: every item below, breadth first; answers' nested items are not
    reached (see :func:`_walk` for the items found twice)."""
    def evaluate(focus: list[Any], root: Any, env: Env) -> Any:
        found = path(focus, root, env)
        if found is UNSURE:
            return UNSURE
        if any(not isinstance(entry, _Node) for entry in found):
            return UNSURE
        if len(found) == 1:
            return _INDEX.below(found[0].data)
        return _walk([entry.data for entry in found])
    return evaluate


class _Index:
    """The items below one response item (:func:`_walk`), kept while that dict is the one
    asked about (the engine builds a new response for every change)."""

    def __init__(self) -> None:
        self.kept: dict[int, tuple[dict[str, Any], Any]] = {}

    def below(self, data: dict[str, Any]) -> Any:
        kept = self.kept.get(id(data))
        if kept is not None and kept[0] is data:
            return kept[1]
        found = _walk([data])
        if len(self.kept) >= 256:
            self.kept.clear()
        self.kept[id(data)] = (data, found)  # holding data keeps its id from being reused
        return found


_INDEX = _Index()


def _walk(start: list[dict[str, Any]]) -> Any:
    """fhirpathpy's repeat(item), step for step: a queue of items; the children of each
    that are not equal to an item found before (fhirpathpy keeps a set of them: siblings
    equal to each other are all kept, later copies of them are not) are found and queued."""
    out: list[_Node] = []
    queue = deque(start)
    seen: dict[Any, list[dict[str, Any]]] = {}  # by linkId: only those can be equal
    while queue:
        children = queue.popleft().get("item")
        if children is None:
            continue
        if not isinstance(children, list):
            return UNSURE
        fresh = []
        for child in children:
            if not isinstance(child, dict):
                return UNSURE
            same = seen.get(child.get("linkId"))
            if not same or not any(other == child for other in same):
                fresh.append(child)
        for child in fresh:
            seen.setdefault(child.get("linkId"), []).append(child)
            out.append(_Node(child))
            queue.append(child)
    return out


def _existence(path: Evaluate, exists: bool) -> Evaluate:
    def evaluate(focus: list[Any], root: Any, env: Env) -> Any:
        found = path(focus, root, env)
        if found is UNSURE:
            return UNSURE
        return [bool(found) if exists else not found]
    return evaluate


def _iif(condition: Evaluate, then: Evaluate, otherwise: Evaluate | None) -> Evaluate:
    def evaluate(focus: list[Any], root: Any, env: Env) -> Any:  # fhirpathpy's iif_macro
        found = condition(focus, root, env)
        if not _plain(found):
            return UNSURE
        if len(found) == 1 and found[0] == True:  # noqa: E712 - fhirpathpy's util.is_true
            return then(focus, root, env)
        return otherwise(focus, root, env) if otherwise is not None else []
    return evaluate


def _plain(found: Any) -> bool:
    return found is not UNSURE and not any(isinstance(v, _Node | _Answer) for v in found)


def _equality(left: Evaluate, right: Evaluate, negate: bool) -> Evaluate:
    def evaluate(focus: list[Any], root: Any, env: Env) -> Any:
        a, b = left(focus, root, env), right(focus, root, env)
        if not (_plain(a) and _plain(b)):
            return UNSURE
        if not a or not b:
            return []
        same = len(a) == len(b) and a[0] == b[0]
        return [same != negate]
    return evaluate


def _comparison(left: Evaluate, right: Evaluate, op: str) -> Evaluate:
    def evaluate(focus: list[Any], root: Any, env: Env) -> Any:
        a, b = left(focus, root, env), right(focus, root, env)
        if not (_plain(a) and _plain(b)):
            return UNSURE
        if not a or not b:
            return []
        if len(a) > 1 or len(b) > 1:
            return UNSURE
        x, y = a[0], b[0]
        numbers = all(isinstance(v, int | Decimal) and not isinstance(v, bool) for v in (x, y))
        if not numbers and not (isinstance(x, str) and isinstance(y, str)):
            return UNSURE
        if op == "<":
            return [x < y]
        if op == "<=":
            return [x <= y]
        if op == ">":
            return [x > y]
        return [x >= y]
    return evaluate


def _or(a: Any, b: Any) -> Any:  # fhirpathpy's logic.or_op
    if isinstance(b, list):
        return True if a is True else []
    if isinstance(a, list):
        return True if b is True else []
    return a or b


def _and(a: Any, b: Any) -> Any:  # fhirpathpy's logic.and_op
    if isinstance(b, list):
        return False if a is False else []
    if isinstance(a, list):
        return [] if b is True else False
    return a and b


def _logic(op: Callable[[Any, Any], Any], left: Evaluate, right: Evaluate) -> Evaluate:
    def evaluate(focus: list[Any], root: Any, env: Env) -> Any:
        sides = []
        for side in (left(focus, root, env), right(focus, root, env)):
            if side is UNSURE or len(side) > 1 or not _plain(side):
                return UNSURE
            if side and not isinstance(side[0], bool):
                return UNSURE
            sides.append(side[0] if side else [])
        result = op(sides[0], sides[1])
        return result if isinstance(result, list) else [result]
    return evaluate


# -- the entry point ---------------------------------------------------------------------
class FastPath:
    """One expression in the subset: call it with the focus and the variables."""

    def __init__(self, text: str, evaluate: Evaluate) -> None:
        self.text = text
        self._evaluate = evaluate

    def __call__(self, resource: Any, env: Env) -> Any:
        """The result fhirpathpy would give, or :data:`UNSURE`."""
        focus = _as_collection(resource)
        if focus is UNSURE:
            return UNSURE
        found = self._evaluate(focus, resource, env)
        if found is UNSURE or not _plain(found):
            return UNSURE
        return [dict(v) if isinstance(v, dict) else v for v in found]


_COMPILED: dict[str, FastPath | None] = {}  # forms repeat their conditions word for word
_COMPILED_LIMIT = 20_000


def compile_fast(text: str) -> FastPath | None:
    """The expression as a :class:`FastPath`, or None when it is not in the subset."""
    if text in _COMPILED:
        return _COMPILED[text]
    try:
        found: FastPath | None = FastPath(text, _Parser(text).whole())
    except (_NotHandled, RecursionError):
        found = None
    if len(_COMPILED) >= _COMPILED_LIMIT:
        _COMPILED.clear()
    _COMPILED[text] = found
    return found
