"""User-interface text, looked up by key in per-language catalogues (``content/strings``).

Adding a language is adding a file: ``content/strings/<code>.json`` with the same keys.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.content.errors import ContentError


@dataclass(frozen=True)
class Catalogue:
    language: str
    language_name: str  # the language's name in itself, as shown on the Welcome screen
    strings: Mapping[str, str]
    fallback: Catalogue | None = None
    keyboard_locale: str = "en_US"  # Qt Virtual Keyboard's layout for this language
    keyboard_extra_row: str = ""  # the kiosk keyboard's last row (accented letters)

    def __call__(self, key: str, **values: object) -> str:
        text = self.strings.get(key)
        if text is None:
            if self.fallback is not None:
                return self.fallback(key, **values)
            raise KeyError(f"no text for {key!r}")
        return text.format(**values) if values else text


def parse_catalogue(data: object, source: str, fallback: Catalogue | None = None) -> Catalogue:
    if not isinstance(data, dict):
        raise ContentError(source, "top level", "expected an object")
    language = data.get("language")
    name = data.get("language_name")
    strings = data.get("strings")
    if not isinstance(language, str) or not isinstance(name, str):
        raise ContentError(source, "top level", "'language' and 'language_name' are required")
    if not isinstance(strings, dict):
        raise ContentError(source, "strings", "expected an object of key: text")
    for key, text in strings.items():
        if not isinstance(text, str) or not text.strip():
            raise ContentError(source, f"strings.{key}", "empty or not text")
    keyboard = data.get("keyboard", {})
    if not isinstance(keyboard, dict) or not all(
            isinstance(keyboard.get(k, ""), str) for k in ("qt_locale", "extra_row")):
        raise ContentError(source, "keyboard",
                           "expected an object with text 'qt_locale' and 'extra_row'")
    extra = keyboard.get("extra_row", fallback.keyboard_extra_row if fallback else "")
    if len(extra) > 12:
        raise ContentError(source, "keyboard.extra_row", "at most 12 letters fit in a row")
    return Catalogue(language, name, dict(strings), fallback,
                     keyboard.get("qt_locale", "en_US"), extra)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def check_against(catalogue: Catalogue, reference: Mapping[str, str], source: str) -> None:
    """Refuse, at load, what would otherwise fail only when a screen shows it: a key the
    kiosk uses missing from English (the language every other one falls back to), and a text
    whose placeholders the kiosk does not fill ("{nme}") or cannot parse ("{")."""
    if catalogue.fallback is None:
        missing = sorted(set(reference) - set(catalogue.strings))
        if missing:
            shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more"
                                             if len(missing) > 8 else "")
            raise ContentError(source, "strings", f"missing {len(missing)} text(s) the kiosk "
                                                  f"shows: {shown}")
    for key, text in catalogue.strings.items():
        try:
            fields = _fields(text)
        except ValueError as exc:
            raise ContentError(source, f"strings.{key}", f"unreadable braces ({exc}); "
                                                         "write {{ and }} for a brace") from None
        if key not in reference:
            continue
        unknown = sorted(fields - _fields(reference[key]))
        if unknown:
            known = sorted(_fields(reference[key]))
            raise ContentError(source, f"strings.{key}",
                               f"unknown placeholder(s) {unknown}; this text can use "
                               f"{known or 'none'}")
