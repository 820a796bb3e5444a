"""Which answers each FHIRPath expression of a form can read (its dependencies).

An expression reads the answers it reaches by linkId (``%resource.item.where(linkId='a')``,
``repeat(item).where(linkId='a')``, ``descendants().where(linkId='a')``), plus what the
variables it uses read (``%age > 12`` reads what %age's expression reaches), transitively.
Any other way into the response (``%resource.item.first()``, ``descendants()`` without
a linkId, ``answers()``, a ``where`` with more than the linkId, a cycle of variables) cannot be
analysed, and the expression is taken to read everything (``None``). One that reads neither
(``today()``, ``%patient.birthDate``, an x-fhir-query variable) reads no answer.

A linkId that is only a step on the way to its children (``item.where(linkId='page')
.item.where(linkId='age')``) is not itself a dependency; an answer counts for the items it
is in, so an expression that reads a group whole (``item.where(linkId='page').answer``)
depends on every answer inside it (see :meth:`ExpressionDependencies.touched`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kiosk.questionnaire.extensions import CALCULATED_EXPRESSION
from kiosk.questionnaire.model import Item, Questionnaire

#: reads the answers of the quoted linkId (the step into the response and the where)
_LINK_STEP = re.compile(
    r"(?:\bitem|\brepeat\(\s*item\s*\)|\bdescendants\(\s*\)|\bchildren\(\s*\))\s*\.\s*"
    r"where\(\s*linkId\s*=\s*'((?:[^'\\]|\\.)*)'\s*\)(?=(\s*\.\s*item\b)|)")
#: left after the linkId steps are taken out: a way into the response we cannot follow
_UNANALYSABLE = re.compile(r"\bitem\b|\brepeat\(|\bdescendants\(|\bchildren\(|\banswers\(|"
                           r"%context\b")
#: the focus's own answer (an item-level variable or constraint reads its item)
_OWN_ANSWER = re.compile(r"(?:^|[^.\w%])answer\b")
_VARIABLE_USE = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)")

Deps = frozenset[str] | None  # the items (internal linkIds) read; None: anything


def named_expressions(questionnaire: Questionnaire) -> Iterator[tuple[str, dict[str, Any]]]:
    """(extension url, valueExpression) of every named expression, at any level."""
    for raw in [questionnaire.raw, *(item.raw for item in questionnaire.walk())]:
        extensions = raw.get("extension", []) if isinstance(raw, dict) else []
        for extension in extensions if isinstance(extensions, list) else []:
            expression = extension.get("valueExpression") if isinstance(extension, dict) \
                else None
            if isinstance(expression, dict) and isinstance(expression.get("name"), str):
                yield str(extension.get("url", "")), expression


def acts_as_variable(url: str) -> bool:
    """A ``variable`` extension, or a calculatedExpression with a name: SDC lets a named
    expression be used by that name in its item and below (LHC-Forms' named-expressions
    test form; the value is computed where the variables of that element are)."""
    return url.endswith("/variable") or url == CALCULATED_EXPRESSION


def variable_definitions(questionnaire: Questionnaire) -> dict[str, list[str]]:
    """Variable name -> the FHIRPath texts that define it (any level; "" when the kiosk
    does not evaluate it, e.g. an x-fhir-query)."""
    definitions: dict[str, list[str]] = {}
    for url, expression in named_expressions(questionnaire):
        if acts_as_variable(url):
            text = expression.get("expression")
            fhirpath = expression.get("language", "text/fhirpath") == "text/fhirpath"
            definitions.setdefault(expression["name"], []).append(
                text if fhirpath and isinstance(text, str) else "")
    return definitions


class ExpressionDependencies:
    """The dependencies of the expressions of one questionnaire."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self._by_fhir_id: dict[str, set[str]] = {}
        for item in questionnaire.walk():
            self._by_fhir_id.setdefault(item.fhir_link_id, set()).add(item.link_id)
        self._definitions = variable_definitions(questionnaire)
        #: variable name -> the items that define it (an item-level variable's focus)
        self._owners: dict[str, list[Item]] = {}
        for item in questionnaire.walk():
            for name in names_defined(item.raw):
                self._owners.setdefault(name, []).append(item)
        self._memo: dict[str, Deps] = {}
        self._of_memo: dict[tuple[str, tuple[str, ...]], Deps] = {}  # forms repeat texts
        self._visiting: set[str] = set()

    def of(self, text: str, owners: tuple[Item, ...] = ()) -> Deps:
        """What ``text`` reads; ``owners``: the items whose node is its focus (item-level
        variables and constraints), none when the focus is the response."""
        key = (text, tuple(owner.link_id for owner in owners))
        if key in self._of_memo:
            return self._of_memo[key]
        result = self._of(text, owners)
        if not self._visiting:  # inside a variable's walk a cycle may make it None
            self._of_memo[key] = result
        return result

    def _of(self, text: str, owners: tuple[Item, ...]) -> Deps:
        found: set[str] = set()
        for match in _LINK_STEP.finditer(text):
            if not match.group(2):  # a step into children is not read itself
                found |= self._by_fhir_id.get(match.group(1), set())
        rest = _LINK_STEP.sub("", text)
        rest = re.sub(r"'(?:[^'\\]|\\.)*'", "''", rest)  # words inside strings are not steps
        if _UNANALYSABLE.search(rest):
            return None
        if _OWN_ANSWER.search(rest):
            found |= {owner.link_id for owner in owners}
        for name in set(_VARIABLE_USE.findall(rest)):
            inner = self.of_variable(name)
            if inner is None:
                return None
            found |= inner
        return frozenset(found)

    def of_variable(self, name: str) -> Deps:
        """What variable ``name`` reads (every definition of that name, to be safe)."""
        if name not in self._definitions:
            return frozenset()  # %patient, %resource, %questionnaire ...
        if name in self._memo:
            return self._memo[name]
        if name in self._visiting:
            return None  # a cycle: assume the worst
        self._visiting.add(name)
        union: set[str] = set()
        result: Deps = None
        owners = tuple(self._owners.get(name, ()))
        for definition in self._definitions[name]:
            inner = self.of(definition, owners)
            if inner is None:
                break
            union |= inner
        else:
            result = frozenset(union)
        self._visiting.discard(name)
        self._memo[name] = result
        return result

    def touched(self, link_ids: Any) -> set[str]:
        """The items an answer to ``link_ids`` changes in the response: each and the
        groups (and questions) it is in."""
        found: set[str] = set()
        for link_id in link_ids:
            node: Item | None = self.questionnaire.item(link_id)
            while node is not None and node.link_id not in found:
                found.add(node.link_id)
                node = node.parent
        return found


def names_defined(raw: dict[str, Any]) -> list[str]:
    """The names of the variables one element defines."""
    names = []
    extensions = raw.get("extension", []) if isinstance(raw, dict) else []
    for extension in extensions if isinstance(extensions, list) else []:
        expression = extension.get("valueExpression") if isinstance(extension, dict) else None
        if (isinstance(expression, dict) and isinstance(expression.get("name"), str)
                and acts_as_variable(str(extension.get("url", "")))):
            names.append(expression["name"])
    return names
