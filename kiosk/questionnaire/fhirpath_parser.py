"""FHIRPath read into fhirpathpy's parse trees without ANTLR.

fhirpathpy parses with an ANTLR 4 parser in pure Python: 1–10 ms an expression, and its
lexer builds its state machine at import (~30 ms). The 808-item health check has 374
expressions, so a form new to the kiosk spent most of a second on parsing before its
first page. This module reads the same grammar (fhirpathpy's ``FHIRPath.g4``, FHIRPath
N1) by recursive descent with precedence climbing, in a few hundredths of a millisecond
an expression, and builds exactly the tree fhirpathpy's ``ASTPathListener`` builds: the
same node types, the same ``terminalNodeText``, the same ``text`` where the listener
keeps one. fhirpathpy's evaluator cannot tell the difference.

It reads only what it is sure of. Anything else — a character outside the grammar, an
expression that does not end where it should (ANTLR stops early and keeps the head), an
error ANTLR would recover from, a qualified type name — raises :class:`NotFast`, and the
caller gives the text to fhirpathpy's own parser, which then decides as it always did.
``tests/questionnaire/test_fhirpath_parser.py`` compares both parsers on every expression
of the published forms and on generated ones.
"""

from __future__ import annotations

import re
from typing import Any

Node = dict[str, Any]


class NotFast(Exception):
    """The text is left to fhirpathpy's own parser."""


# Token kinds: the literal's own text for keywords and punctuation, or one of these.
STRING, NUMBER, DATETIME, TIME, IDENTIFIER, DELIMITED = (
    "STRING", "NUMBER", "DATETIME", "TIME", "IDENTIFIER", "DELIMITED")

_PRECISIONS = frozenset(("year", "month", "week", "day", "hour", "minute", "second",
                         "millisecond"))
_PLURALS = frozenset(word + "s" for word in _PRECISIONS)
_KEYWORDS = frozenset(("div", "mod", "is", "as", "in", "contains", "and", "or", "xor",
                       "implies", "true", "false")) | _PRECISIONS | _PLURALS
_IDENTIFIER_WORDS = frozenset((IDENTIFIER, DELIMITED, "as", "is", "contains", "in"))

_ESCAPE = r"\\(?:[`'\\/fnrt]|u[0-9a-fA-F]{4})"
_TIME_FORMAT = r"[0-9]{2}(?::[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
_TOKEN = re.compile(
    r"(?P<skip>[ \r\n\t]+|/\*.*?\*/|//[^\r\n]*)"
    rf"|(?P<{TIME}>@T{_TIME_FORMAT})"
    rf"|(?P<{DATETIME}>@[0-9]{{4}}(?:-[0-9]{{2}}(?:-[0-9]{{2}}(?:T{_TIME_FORMAT})?)?)?Z?)"
    rf"|(?P<{IDENTIFIER}>[A-Za-z_][A-Za-z0-9_]*)"
    rf"|(?P<{DELIMITED}>`(?:{_ESCAPE}|[^\\`])*`)"
    rf"|(?P<{STRING}>'(?:{_ESCAPE}|[^'])*')"
    rf"|(?P<{NUMBER}>[0-9]+(?:\.[0-9]+)?)"
    r"|(?P<special>\$(?:this|index|total)(?![A-Za-z0-9_]))"
    r"|(?P<punctuation><=|>=|!=|!~|[.\[\]()+\-*/&|<>=~,%{}])",
    re.DOTALL,
)


def tokens(text: str) -> list[tuple[str, str]]:
    """``(kind, text)`` of each token ANTLR's lexer would give, whitespace and comments
    left out; raises :class:`NotFast` where the lexer would fail or could differ."""
    found: list[tuple[str, str]] = []
    position, end = 0, len(text)
    match = _TOKEN.match
    while position < end:
        token = match(text, position)
        if token is None:
            raise NotFast("a character outside the grammar")
        kind = token.lastgroup or "skip"
        value = token.group()
        position = token.end()
        if kind == "skip":
            continue
        if kind == IDENTIFIER:
            if value in _KEYWORDS:
                kind = value
        elif kind == STRING and "'" in value[1:-1]:
            raise NotFast("a quote escaped in a string: ANTLR's longest match decides")
        elif kind in ("special", "punctuation"):
            kind = value
        elif kind == DATETIME and position < end and text[position] in "-T:+":
            raise NotFast("a date or time that stops early")  # ANTLR backs off differently
        elif kind == TIME and position < end and text[position] in ":.+-":
            raise NotFast("a time that stops early")
        found.append((kind, value))
    return found


def parse(text: str) -> Node:
    """fhirpathpy's parse tree of ``text`` (``fhirpathpy.parser.parse``'s result)."""
    return {"children": [_Parser(tokens(text)).whole()]}


def _node(kind: str, terminals: list[str], children: list[Node] | None = None,
          text: str | None = None) -> Node:
    node: Node = {"type": kind, "terminalNodeText": terminals}
    if text is not None:
        node["text"] = text
    if children:
        node["children"] = children
    return node


# operator -> (node type, precedence): ANTLR numbers the 14 alternatives of ``expression``
# from the bottom (implies 1 … invocation 13); a loop step needs a precedence >= the
# caller's, and a left-associative operator reads its right side one higher.
_BINARY = {
    **dict.fromkeys(("*", "/", "div", "mod"), ("MultiplicativeExpression", 10)),
    **dict.fromkeys(("+", "-", "&"), ("AdditiveExpression", 9)),
    "|": ("UnionExpression", 8),
    **dict.fromkeys(("<=", "<", ">", ">="), ("InequalityExpression", 7)),
    **dict.fromkeys(("=", "~", "!=", "!~"), ("EqualityExpression", 5)),
    **dict.fromkeys(("in", "contains"), ("MembershipExpression", 4)),
    "and": ("AndExpression", 3),
    **dict.fromkeys(("or", "xor"), ("OrExpression", 2)),
    "implies": ("ImpliesExpression", 1),
}
_INVOCATION, _INDEXER, _POLARITY, _TYPE = 13, 12, 11, 6
_SPECIAL = {"$this": "ThisInvocation", "$index": "IndexInvocation",
            "$total": "TotalInvocation"}
_LITERALS = {STRING: "StringLiteral", DATETIME: "DateTimeLiteral", TIME: "TimeLiteral",
             "true": "BooleanLiteral", "false": "BooleanLiteral"}
_MAX_DEPTH = 100  # deeper goes to ANTLR (~4 frames a level here; ANTLR decides)


class _Parser:
    def __init__(self, found: list[tuple[str, str]]) -> None:
        self.kinds = [kind for kind, _ in found] + ["<EOF>"]
        self.texts = [text for _, text in found] + [""]
        self.at = 0
        self.depth = 0

    def whole(self) -> Node:
        node = self.expression(0)
        if self.kinds[self.at] != "<EOF>":
            raise NotFast("text after the expression")  # ANTLR keeps the head only
        return node

    def text(self, start: int) -> str:
        return "".join(self.texts[start:self.at])

    def take(self, kind: str) -> str:
        if self.kinds[self.at] != kind:
            raise NotFast(f"{kind} expected")  # ANTLR would recover: its tree decides
        value = self.texts[self.at]
        self.at += 1
        return value

    def expression(self, precedence: int) -> Node:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise NotFast("nested too deeply")
        start = self.at
        kind = self.kinds[start]
        if kind in ("+", "-"):
            self.at += 1
            left = _node("PolarityExpression", [kind], [self.expression(_POLARITY)])
        else:
            term = self.term()
            left = _node("TermExpression", [], [term], self.text(start))
        kinds = self.kinds
        while True:
            kind = kinds[self.at]
            if kind == ".":
                if precedence > _INVOCATION:
                    break
                self.at += 1
                invocation = self.invocation()
                left = _node("InvocationExpression", ["."], [left, invocation],
                             self.text(start))
            elif kind == "[":
                if precedence > _INDEXER:
                    break
                self.at += 1
                index = self.expression(0)
                self.take("]")
                left = _node("IndexerExpression", ["[", "]"], [left, index])
            elif kind in ("is", "as"):
                if precedence > _TYPE:
                    break
                self.at += 1
                left = _node("TypeExpression", [kind], [left, self.type_specifier()])
            else:
                found = _BINARY.get(kind)
                if found is None or found[1] < precedence:
                    break
                self.at += 1
                right = self.expression(found[1] + 1)
                left = _node(found[0], [kind], [left, right])
        self.depth -= 1
        return left

    def term(self) -> Node:
        kind = self.kinds[self.at]
        start = self.at
        if kind == "(":
            self.at += 1
            inner = self.expression(0)
            self.take(")")
            return _node("ParenthesizedTerm", ["(", ")"], [inner])
        if kind == "%":
            self.at += 1
            following = self.kinds[self.at]
            if following == STRING:
                self.at += 1
                constant = _node("ExternalConstant", ["%", self.texts[self.at - 1]])
            else:
                constant = _node("ExternalConstant", ["%"], [self.identifier()])
            return _node("ExternalConstantTerm", [], [constant])
        literal = self.literal()
        if literal is not None:
            return _node("LiteralTerm", [], [literal], self.text(start))
        return _node("InvocationTerm", [], [self.invocation()])

    def literal(self) -> Node | None:
        kind = self.kinds[self.at]
        value = self.texts[self.at]
        literal = _LITERALS.get(kind)
        if literal is not None:
            self.at += 1
            return _node(literal, [value], text=value)
        if kind == "{":
            self.at += 1
            self.take("}")
            return _node("NullLiteral", ["{", "}"], text="{}")
        if kind != NUMBER:
            return None
        self.at += 1
        following = self.kinds[self.at]
        unit_text = self.texts[self.at]
        if following == STRING:
            unit = _node("Unit", [unit_text])
        elif following in _PRECISIONS:
            unit = _node("Unit", [], [_node("DateTimePrecision", [unit_text])])
        elif following in _PLURALS:
            unit = _node("Unit", [], [_node("PluralDateTimePrecision", [unit_text])])
        else:
            return _node("NumberLiteral", [value], text=value)
        self.at += 1
        return _node("QuantityLiteral", [], [_node("Quantity", [value], [unit])],
                     text=value + unit_text)

    def invocation(self) -> Node:
        kind = self.kinds[self.at]
        special = _SPECIAL.get(kind)
        if special is not None:
            self.at += 1
            return _node(special, [kind])
        identifier = self.identifier()
        if self.kinds[self.at] != "(":
            return _node("MemberInvocation", [], [identifier])
        self.at += 1
        children = [identifier]
        if self.kinds[self.at] != ")":
            parameters = [self.expression(0)]
            commas = []
            while self.kinds[self.at] == ",":
                self.at += 1
                commas.append(",")
                parameters.append(self.expression(0))
            children.append(_node("ParamList", commas, parameters))
        self.take(")")
        return _node("FunctionInvocation", [], [_node("Functn", ["(", ")"], children)])

    def identifier(self) -> Node:
        if self.kinds[self.at] not in _IDENTIFIER_WORDS:
            raise NotFast("an identifier expected")
        value = self.texts[self.at]
        self.at += 1
        return _node("Identifier", [value], text=value)

    def type_specifier(self) -> Node:
        start = self.at
        identifier = self.identifier()
        if self.kinds[self.at] == ".":
            raise NotFast("a qualified type name")  # ANTLR's choice, not ours to guess
        qualified = _node("QualifiedIdentifier", [], [identifier])
        return _node("TypeSpecifier", [], [qualified], self.text(start))
