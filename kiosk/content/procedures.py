"""Procedure explanations and metadata, read from ``content/procedures/*.json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.content.errors import ContentError

BLEEDING_TIERS = ("low", "intermediate", "high")
USAGE = ("usual", "sometimes", "no")
UNKNOWN_AREA = "unsure"
# The values each metadata field can take (what flag rules may test; None: any text).
METADATA_VALUES: dict[str, set[object] | None] = {
    "id": None,
    "bleeding_tier": set(BLEEDING_TIERS),
    "steroid": set(USAGE),
    "contrast": set(USAGE),
    "sedation": set(USAGE),
    "radiofrequency": {True, False},
    "spinal": {True, False},
    "stimulation": {True, False},
    "fluoroscopy": set(USAGE),
}
# What each explanation page is about: understanding checks point at a page by its topic.
PAGE_TOPICS = ("what", "safe", "common", "rare", "ready", "after", "benefits")


@dataclass(frozen=True)
class Page:
    heading: str
    paragraphs: tuple[str, ...]
    topic: str = ""


@dataclass(frozen=True)
class ProcedureText:
    title: str
    card: str
    pages: tuple[Page, ...]

    def page_about(self, topic: str) -> int | None:
        """The index of the page on ``topic``, if the file names one."""
        return next((i for i, page in enumerate(self.pages) if page.topic == topic), None)


@dataclass(frozen=True)
class Procedure:
    id: str
    bleeding_tier: str
    steroid: str
    contrast: str
    sedation: str
    radiofrequency: bool
    spinal: bool
    sources: tuple[str, ...]
    reviewed_by: str
    reviewed_on: str | None
    texts: dict[str, ProcedureText]
    # Where the tier depends on the body area (cervical medial branch blocks are
    # "intermediate", lumbar ones "low"): area code (from the questionnaire's
    # ``procedure-area`` answer) -> tier.
    bleeding_tier_by_area: dict[str, str] = field(default_factory=dict)
    # An electrical stimulation lead is placed (a stimulator trial): implanted devices
    # matter as they do with radiofrequency.
    stimulation: bool = False
    # Whether X-ray guidance (fluoroscopy) is used: "usual", "sometimes" or "no" (a trigger
    # point injection uses none) — it decides what a possible pregnancy means.
    fluoroscopy: str = "usual"

    @property
    def clinically_reviewed(self) -> bool:
        """Whether the file's review block names who reviewed it and when (until then
        staff see "content not yet clinically reviewed", issue 13.13)."""
        return bool(self.reviewed_on and self.reviewed_by.strip())

    def text(self, language: str, fallback: str = "en") -> ProcedureText:
        return self.texts.get(language) or self.texts[fallback]

    def tier_for(self, area: str | None) -> str:
        """The bleeding-risk tier at ``area``; the highest possible one when the area
        is not known (the patient was not sure, or did not say)."""
        if not self.bleeding_tier_by_area:
            return self.bleeding_tier
        if area in self.bleeding_tier_by_area:
            return self.bleeding_tier_by_area[area]
        if area and area != UNKNOWN_AREA:
            return self.bleeding_tier
        tiers = [self.bleeding_tier, *self.bleeding_tier_by_area.values()]
        return max(tiers, key=BLEEDING_TIERS.index)

    def metadata(self, area: str | None = None) -> dict[str, Any]:
        """The fields flag rules may test, for a procedure at ``area``."""
        return {
            "id": self.id,
            "bleeding_tier": self.tier_for(area),
            "steroid": self.steroid,
            "contrast": self.contrast,
            "sedation": self.sedation,
            "radiofrequency": self.radiofrequency,
            "spinal": self.spinal,
            "stimulation": self.stimulation,
            "fluoroscopy": self.fluoroscopy,
        }


def parse_procedure(data: Any, source: str) -> Procedure:
    def need(mapping: Any, key: str, where: str, kind: type | tuple[type, ...]) -> Any:
        if not isinstance(mapping, dict) or key not in mapping:
            raise ContentError(source, where, f"{key!r} is missing")
        value = mapping[key]
        if not isinstance(value, kind):
            raise ContentError(source, f"{where}.{key}", f"expected {kind}, got {value!r}")
        return value

    proc_id = need(data, "id", "top level", str)
    meta = need(data, "metadata", "top level", dict)
    tier = need(meta, "bleeding_tier", "metadata", str)
    if tier not in BLEEDING_TIERS:
        raise ContentError(source, "metadata.bleeding_tier", f"expected one of {BLEEDING_TIERS}")
    for key in ("steroid", "contrast", "sedation", "fluoroscopy"):
        if need(meta, key, "metadata", str) not in USAGE:
            raise ContentError(source, f"metadata.{key}", f"expected one of {USAGE}")
    by_area = meta.get("bleeding_tier_by_area", {})
    if not isinstance(by_area, dict) or any(t not in BLEEDING_TIERS for t in by_area.values()):
        raise ContentError(source, "metadata.bleeding_tier_by_area",
                           f"expected an object of area: one of {BLEEDING_TIERS}")
    for key in ("radiofrequency", "spinal", "stimulation"):
        if not isinstance(meta.get(key, False), bool):
            raise ContentError(source, f"metadata.{key}", "expected true or false")
    sources = need(data, "sources", "top level", list)
    if not sources or not all(isinstance(s, str) and s.strip() for s in sources):
        raise ContentError(source, "sources", "name at least one source, each as text")
    review = need(data, "review", "top level", dict)
    if not isinstance(review.get("reviewed_by", ""), str) or not isinstance(
            review.get("reviewed_on"), (str, type(None))):
        raise ContentError(source, "review", "reviewed_by and reviewed_on are text")
    texts: dict[str, ProcedureText] = {}
    for language, text in need(data, "text", "top level", dict).items():
        where = f"text.{language}"
        pages = []
        for i, page in enumerate(need(text, "pages", where, list)):
            heading = need(page, "heading", f"{where}.pages[{i}]", str)
            paragraphs = need(page, "paragraphs", f"{where}.pages[{i}]", list)
            if not heading.strip() or not paragraphs or not all(
                isinstance(p, str) and p.strip() for p in paragraphs
            ):
                raise ContentError(source, f"{where}.pages[{i}]", "empty heading or paragraph")
            topic = page.get("topic", "")
            if topic and topic not in PAGE_TOPICS:
                raise ContentError(source, f"{where}.pages[{i}].topic",
                                   f"expected one of {PAGE_TOPICS}")
            pages.append(Page(heading, tuple(paragraphs), topic))
        if not pages:
            raise ContentError(source, f"{where}.pages", "needs at least one page")
        texts[language] = ProcedureText(
            title=need(text, "title", where, str),
            card=need(text, "card", where, str),
            pages=tuple(pages),
        )
    if "en" not in texts:
        raise ContentError(source, "text", "English text ('en') is required")
    return Procedure(
        id=proc_id,
        bleeding_tier=tier,
        steroid=meta["steroid"],
        contrast=meta["contrast"],
        sedation=meta["sedation"],
        radiofrequency=meta.get("radiofrequency", False),
        spinal=meta.get("spinal", False),
        sources=tuple(str(s) for s in sources),
        reviewed_by=review.get("reviewed_by", ""),
        reviewed_on=review.get("reviewed_on"),
        texts=texts,
        bleeding_tier_by_area={str(k): str(v) for k, v in by_area.items()},
        stimulation=meta.get("stimulation", False),
        fluoroscopy=meta["fluoroscopy"],
    )
