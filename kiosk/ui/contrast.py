"""WCAG contrast of the stylesheets' colours: every text colour on the background it is
drawn over, resolved from the sheet the way the kiosk's widgets use it.

Plain Python over the stylesheet text (no Qt): a test checks both themes with it. The
resolution is the kiosk's own, not a general CSS engine: a rule's selector is a type, an
object name and at most one state (``:checked``, ``[checked="true"]``); a widget with no
background of its own is drawn over the one it sits on (a label in a card, in a button, or
the screen).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_NAMED = {"white": "#ffffff", "black": "#000000"}

#: Labels drawn inside a button: their background is the button's, in the same state.
CONTAINERS = {
    "QLabel#ChoiceText": "QPushButton#Choice",
    "QLabel#CardTitle": "QPushButton#Card",
    "QLabel#CardText": "QPushButton#Card",
    "QLabel#CheckMark": "QPushButton#Choice",
    "QLabel#RowQuestion": "QPushButton#ReviewRow",
    "QLabel#RowAnswer": "QPushButton#ReviewRow",
    "QLabel#RowAction": "QPushButton#ReviewRow",
}
#: Widget types that draw text in the ``color`` of their rule.
TEXT_TYPES = ("QLabel", "QPushButton", "QLineEdit", "QComboBox", "QProgressBar",
              "QTableView", "QTextBrowser")
SCREEN = "#Screen"  # what a widget without a background of its own sits on


def rules(sheet: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, properties) for every selector of every rule, in the sheet's order."""
    found = []
    for selectors, body in _RULE.findall(_COMMENT.sub("", sheet)):
        props = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                props[name.strip()] = value.strip()
        for selector in selectors.split(","):
            found.append((" ".join(selector.split()), props))
    return found


def colour(value: str | None) -> str | None:
    """The #rrggbb in a colour or background value, or None (transparent, rgba, none)."""
    if not value:
        return None
    value = value.strip().lower()
    if value in _NAMED:
        return _NAMED[value]
    match = _HEX.search(value)
    if match is None or "rgba" in value:
        return None
    digits = match.group(1)
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _state(selector: str) -> tuple[str, str]:
    """("QPushButton#Choice", ":checked") from ``QPushButton#Choice:checked``; a
    ``[checked="true"]`` property counts as the ``:checked`` state."""
    base = re.sub(r"::[\w-]+$", "", selector)
    if base.endswith('[checked="true"]'):
        return base[: -len('[checked="true"]')], ":checked"
    match = re.match(r"^(.*?)((?::[\w-]+)|(?:\[[^\]]+\]))$", base)
    return (match.group(1), match.group(2)) if match else (base, "")


class Resolved:
    """The properties a selector ends up with, from the rules that apply to it."""

    def __init__(self, sheet: str) -> None:
        self.rules = rules(sheet)

    def props(self, selector: str) -> dict[str, str]:
        base, state = _state(selector)
        kind = base.split("#")[0] or "QWidget"
        chain = ["QWidget", kind, base] + ([base + state] if state else [])
        if state == ":checked":
            chain.append(base + '[checked="true"]')
        merged: dict[str, str] = {}
        for link in dict.fromkeys(chain):  # least specific first; later rules win within
            for rule_selector, props in self.rules:
                if rule_selector == link:
                    merged.update(props)
        return merged

    def own(self, selector: str) -> dict[str, str]:
        """The properties the rules for exactly ``selector`` set (a sub-control)."""
        merged: dict[str, str] = {}
        for rule_selector, props in self.rules:
            if rule_selector == selector:
                merged.update(props)
        return merged

    def text_colour(self, selector: str) -> str:
        return colour(self.props(selector).get("color")) or "#000000"

    def background(self, selector: str) -> str:
        own = colour(self.props(selector).get("background"))
        if own is not None:
            return own
        base, state = _state(selector)
        container = CONTAINERS.get(base)
        if container is not None:
            return self.background(container + state)
        if selector == SCREEN:
            return "#ffffff"
        return self.background(SCREEN)


@dataclass(frozen=True)
class Pair:
    selector: str
    text: str
    background: str
    ratio: float

    def __str__(self) -> str:
        return f"{self.selector}: {self.text} on {self.background} = {self.ratio:.2f}:1"


def text_pairs(sheet: str) -> list[Pair]:
    """Every text colour the sheet sets, on what it is drawn over. Disabled controls are
    left out (WCAG exempts them) and so is ``:pressed`` (a moment under the finger)."""
    resolved = Resolved(sheet)
    selectors: dict[str, None] = {}
    for selector, _ in resolved.rules:
        kind = selector.split("#")[0].split(":")[0].split("[")[0]
        if kind in TEXT_TYPES and ":disabled" not in selector and ":pressed" not in selector:
            selectors[selector.replace("::chunk", "")] = None
    for inner, outer in CONTAINERS.items():  # each state of the container it sits in
        for selector, _ in resolved.rules:
            if _state(selector)[0] == outer and _state(selector)[1] == ":checked":
                selectors[inner + ":checked"] = None
    pairs = []
    for selector in selectors:
        text = resolved.text_colour(selector)
        backgrounds = [resolved.background(selector)]
        if selector.startswith("QProgressBar"):  # the label over the fill, too
            chunk = colour(resolved.own("QProgressBar::chunk").get("background"))
            backgrounds += [chunk] if chunk else []
        for background in backgrounds:
            pairs.append(Pair(selector, text, background, contrast(text, background)))
    return pairs


def chosen_fill_contrast(sheet: str, selector: str) -> float:
    """How far a chosen answer's fill stands from an unchosen one's (non-text contrast)."""
    resolved = Resolved(sheet)
    return contrast(resolved.background(selector + ":checked"), resolved.background(selector))
