"""The day-of-procedure summary for staff: one line per safety topic, at the top of each
intake (issue 13, 'What to build').

Each line says "needs attention" or "nothing reported" and what the patient said — never
advice or hold times. Whether a line needs attention follows the flags the intake raised
(the clinic's own rules in ``flag_rules.json`` hold every threshold), so the summary and the
flag list cannot disagree; the line's words come from the stored answers and the
procedure's facts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from kiosk.content.catalogue import Catalogue
from kiosk.content.procedures import UNKNOWN_AREA, Procedure
from kiosk.intake.flags import AREA_LINK_ID

# topic -> the flag rules that make its line "needs attention"
TOPIC_RULES: dict[str, tuple[str, ...]] = {
    "bleeding": ("bleeding-disorder", "anticoagulant-high-tier", "nsaid-high-tier",
                 "supplements-high-tier"),
    "thinners": ("anticoagulant", "anticoagulant-unsure", "blood-thinner-self-stop",
                 "blood-thinner-check-unsure", "nsaid", "nsaid-high-tier", "supplements",
                 "supplements-high-tier"),
    "sedation": ("sedation-no-driver", "sedation-no-adult", "sedation-usual-declined",
                 "sedation-food", "sedation-drink", "sedation-drink-not-clear",
                 "glp1-sedation", "glp1-stomach", "sleep-apnea", "sedation-problems",
                 "sedating-medicines"),
    "allergies": ("allergy-contrast", "contrast-reaction-severe", "allergy-local-anesthetic",
                  "allergy-latex", "allergy-steroid", "allergy-skin-cleaner",
                  "allergy-antibiotic-stimulation", "allergy-antibiotic", "allergy-tape",
                  "allergy-other"),
    "devices": ("device-radiofrequency", "device-stimulation"),
    "pregnancy": ("pregnancy", "pregnancy-no-xray", "last-period-late", "last-period"),
    "infection": ("infection", "skin-problem", "recent-antibiotics", "recent-illness",
                  "immune"),
    "diabetes": ("diabetes-steroid", "blood-sugar-today"),
}
TOPICS = tuple(TOPIC_RULES)
_NOT_ANSWERS = {"none", "not-applicable"}  # answers that mean "nothing to report"
_OTHER_BLEEDING = {"nsaid"}  # on the blood-thinner question, but not a blood thinner


@dataclass(frozen=True)
class SummaryLine:
    topic: str
    attention: bool
    label: str
    status: str  # "Needs attention" / "Nothing reported", in the catalogue's language
    detail: str


@dataclass(frozen=True)
class _Answer:
    key: object  # the code of a coding, else the value itself
    text: str


def stored_answers(response: dict[str, Any]) -> dict[str, list[_Answer]]:
    """linkId -> the answers of a stored QuestionnaireResponse (nested items too)."""
    found: dict[str, list[_Answer]] = {}

    def walk(items: Iterable[dict[str, Any]]) -> None:
        for node in items:
            for answer in node.get("answer", []):
                for name, value in answer.items():
                    if name == "valueCoding":
                        found.setdefault(node["linkId"], []).append(_Answer(
                            value.get("code"), str(value.get("display") or value.get("code"))))
                    elif name.startswith("value"):
                        found.setdefault(node["linkId"], []).append(_Answer(value, str(value)))
                walk(answer.get("item", []))
            walk(node.get("item", []))

    walk(response.get("item", []))
    return found


def day_of_summary(response: dict[str, Any], procedure: Procedure, raised: Collection[str],
                   t: Catalogue) -> list[SummaryLine]:
    """The summary's lines for an intake: its stored ``response``, its ``procedure`` and the
    ids of the flag rules it ``raised``, in ``t``'s language."""
    answers = stored_answers(response)
    none = t("day_of_not_answered")

    def texts(link_id: str, skip: Collection[object] = _NOT_ANSWERS) -> list[str]:
        return [a.text for a in answers.get(link_id, ()) if a.key not in skip]

    def one(link_id: str) -> str:
        given = texts(link_id, ())
        return ", ".join(given) if given else none

    def yes_no(link_id: str) -> str:
        given = [a.key for a in answers.get(link_id, ())]
        if not given:
            return none
        return t("yes") if given[0] is True else t("no")

    def usage(value: str) -> str:
        return t(f"day_of_usage_{value}")

    area = next((a for a in answers.get(AREA_LINK_ID, ())), None)
    area_known = area is not None and area.key != UNKNOWN_AREA
    tier = procedure.tier_for(str(area.key) if area is not None else None)
    title = procedure.text("en").title
    details: dict[str, list[str]] = {topic: [] for topic in TOPICS}

    details["bleeding"].append(t(
        "day_of_bleeding_detail", tier=t(f"day_of_tier_{tier}"), procedure=title,
        area=area.text if area is not None and area_known else t("day_of_area_unknown")))
    if any(a.key is True for a in answers.get("bleeding", ())):
        details["bleeding"].append(t("day_of_bleeding_problem"))

    thinners = texts("blood-thinners", _NOT_ANSWERS | _OTHER_BLEEDING | {"other", "unsure"})
    thinners += texts("blood-thinners-other")
    if thinners:
        details["thinners"].append(t("day_of_thinners_taken", medicines=", ".join(thinners)))
        details["thinners"].append(t("day_of_last_dose", when=one("blood-thinner-last-dose")))
        if texts("blood-thinner-prescriber"):
            details["thinners"].append(t("day_of_prescriber",
                                         who=one("blood-thinner-prescriber")))
    elif any(a.key == "unsure" for a in answers.get("blood-thinners", ())):
        details["thinners"].append(t("day_of_thinners_unsure"))
    else:
        details["thinners"].append(t("day_of_thinners_none"))
    others = [a.text for a in answers.get("blood-thinners", ()) if a.key in _OTHER_BLEEDING]
    others += texts("supplements", _NOT_ANSWERS | {"other"}) + texts("supplements-other")
    if others:
        details["thinners"].append(t("day_of_other_bleeding", medicines=", ".join(others)))

    patient_plan = texts("sedation-planned", ())
    planned = procedure.sedation in ("usual", "sometimes") or any(
        a.key in ("yes", "unsure") for a in answers.get("sedation-planned", ()))
    details["sedation"].append(t("day_of_sedation_plan", procedure=usage(procedure.sedation),
                                 patient=", ".join(patient_plan) or none))
    if planned:
        details["sedation"].append(t("day_of_fasting", food=one("last-food"),
                                     drink=one("last-drink"), kind=one("last-drink-kind")))
        details["sedation"].append(t("day_of_driver", driver=yes_no("driver"),
                                     adult=yes_no("adult-24h")))
        if any(a.key is True for a in answers.get("glp1", ())):
            details["sedation"].append(t("day_of_glp1", when=one("glp1-last-dose")))
    else:
        details["sedation"].append(t("day_of_sedation_not_planned"))

    allergies = texts("allergies", _NOT_ANSWERS | {"other"}) + texts("allergies-other")
    details["allergies"].append(t("day_of_allergies_list", allergies=", ".join(allergies))
                                if allergies else t("day_of_allergies_none"))

    devices = texts("devices", _NOT_ANSWERS | {"other"}) + texts("devices-other")
    details["devices"].append(t("day_of_devices_list", devices=", ".join(devices))
                              if devices else t("day_of_devices_none"))
    details["devices"].append(t("day_of_devices_procedure"
                                if procedure.radiofrequency or procedure.stimulation
                                else "day_of_devices_no_energy"))

    details["pregnancy"].append(t("day_of_pregnancy_detail", answer=one("pregnancy"),
                                  fluoroscopy=usage(procedure.fluoroscopy)))
    if texts("last-period"):
        details["pregnancy"].append(t("day_of_last_period", when=one("last-period")))

    infection = [node_text for link_id in ("fever-infection", "skin-problem", "antibiotics",
                                           "recent-illness", "immune")
                 if any(a.key is True for a in answers.get(link_id, ()))
                 for node_text in [t(f"day_of_infection_{link_id}")]]
    details["infection"].append(t("day_of_infection_list", items="; ".join(infection))
                                if infection else t("day_of_infection_none"))

    if any(a.key is True for a in answers.get("diabetes", ())):
        details["diabetes"].append(t("day_of_diabetes_detail", steroid=usage(procedure.steroid),
                                     sugar=one("blood-sugar-today")))
    else:
        details["diabetes"].append(t("day_of_diabetes_none"))

    raised = set(raised)
    lines = []
    for topic in TOPICS:
        attention = any(rule in raised for rule in TOPIC_RULES[topic])
        lines.append(SummaryLine(
            topic, attention, t(f"day_of_{topic}"),
            t("day_of_attention" if attention else "day_of_nothing"),
            " ".join(details[topic])))
    return lines
