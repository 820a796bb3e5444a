"""A printable summary of one intake, as HTML for Qt's rich-text engine (screen and PDF)."""

from __future__ import annotations

from html import escape

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.intake.appointments import NOT_MATCHED
from kiosk.intake.day_of import day_of_summary
from kiosk.questionnaire.response import answers_in_response
from kiosk.storage import IntakeDetail

SIGNATURE_RESOURCE = "signature.png"
_SEVERITY_COLOURS = {"high": "#b00020", "medium": "#8a5300", "low": "#37474f"}


def procedure_title(content: ContentLibrary, procedure_id: str) -> str:
    try:
        return content.procedure(procedure_id).text("en").title
    except KeyError:
        return procedure_id


def summary_html(intake: IntakeDetail, content: ContentLibrary, font_pt: int = 11,
                 signature_resource: str = SIGNATURE_RESOURCE) -> str:
    """Flags first, then every answer; all patient text escaped.

    ``font_pt`` is 11 for paper; the staff screen asks for larger text.
    """
    row = intake.row
    t = content.strings("en")
    parts = [
        f"<html><body style='font-family: sans-serif; font-size: {font_pt}pt;'>",
        f"<h2>{escape(t('summary_title'))}: {escape(row.last_name)}, {escape(row.first_name)}</h2>",
        "<table cellpadding='3'>",
    ]
    facts = [
        (t("label_birth_date"), row.birth_date.strftime("%Y-%m-%d")),
        (t("label_procedure"), procedure_title(content, row.procedure_id)),
        (t("label_submitted"), row.submitted_at.strftime("%Y-%m-%d %H:%M")),
        (t("label_status"), t("status_reviewed_by", who=row.reviewed_by,
                               when=row.reviewed_at.strftime("%Y-%m-%d %H:%M"))
         if row.reviewed_at else t("status_not_reviewed")),
        # the language the patient answered in: who to bring to talk it over (12.10)
        (t("label_language"), _language_name(content, row.language)),
        (t("label_questionnaire"), f"{intake.questionnaire_url} ({intake.questionnaire_version})"),
        (t("label_intake_id"), f"{row.id} / {intake.uid}"),
    ]
    if intake.appointment_id == NOT_MATCHED:
        facts.append((t("label_appointment"), t("appointment_not_matched")))
    elif intake.patient_identifier is not None:
        facts.append((t("label_appointment"), t(
            "appointment_matched", patient=intake.patient_identifier.value,
            appointment=intake.appointment_id)))
    for label, value in facts:
        parts.append(f"<tr><td><b>{escape(label)}</b></td><td>{escape(value)}</td></tr>")
    parts.append("</table>")
    parts.extend(_procedure_parts(intake, content, t))
    parts.append(f"<h3>{escape(t('summary_flags'))} ({len(intake.flags)})</h3>")
    if intake.flags:
        parts.append("<ul>")
        for flag in intake.flags:
            colour = _SEVERITY_COLOURS.get(flag.severity, "#000")
            parts.append(
                f"<li><span style='color:{colour}; font-weight:bold'>"
                f"{escape(flag.severity.upper())} · {escape(flag.label)}</span>: "
                f"{escape(flag.text)}</li>"
            )
        parts.append("</ul>")
    else:
        parts.append(f"<p>{escape(t('summary_no_flags'))}</p>")
    parts.append(f"<h3>{escape(t('summary_answers'))}</h3><table cellpadding='3' border='0'>")
    for _link_id, question, answers in answers_in_response(intake.response):
        parts.append(
            f"<tr><td valign='top' width='55%'>{escape(question)}</td>"
            f"<td valign='top'><b>{escape('; '.join(answers))}</b></td></tr>"
        )
    parts.append("</table>")
    if intake.understanding:
        score = t("understanding_score", right=sum(r.correct for r in intake.understanding),
                  total=len(intake.understanding))
        parts.append(f"<h3>{escape(t('detail_understanding'))} ({escape(score)})</h3>"
                     "<table cellpadding='3' border='0'>")
        for result in intake.understanding:
            verdict = t("understanding_right") if result.correct else t("understanding_missed")
            colour = "#1b5e20" if result.correct else _SEVERITY_COLOURS["high"]
            parts.append(
                f"<tr><td valign='top' width='55%'>{escape(result.question)}</td>"
                f"<td valign='top'><b>{escape(result.answer)}</b> "
                f"<span style='color:{colour}; font-weight:bold'>({escape(verdict)})</span>"
                "</td></tr>")
        parts.append("</table>")
    signed = row.submitted_at.strftime("%Y-%m-%d %H:%M")  # signed as it was sent
    typed = intake.typed_signature
    if typed is not None:  # no drawing: the typed name and the words agreed to, as such
        parts.append(f"<h3>{escape(t('summary_signature'))}</h3>"
                     f"<p>{escape(t('summary_typed_signature'))}: "
                     f"<b>{escape(typed.name)}</b><br>"
                     f"<i>“{escape(typed.statement)}”</i></p>"
                     f"<p>{escape(t('summary_signed_at', when=signed))}</p>")
    elif intake.signature_png:
        # The PDF writer and the staff screen register this name as an image resource.
        parts.append(f"<h3>{escape(t('summary_signature'))}</h3>"
                     f"<img src='{signature_resource}' width='320'>"
                     f"<p>{escape(t('summary_signed_at', when=signed))}</p>")
    parts.append(f"<p style='color:#555; font-size:9pt'>{escape(t('summary_footer'))}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def _procedure_parts(intake: IntakeDetail, content: ContentLibrary, t: Catalogue) -> list[str]:
    """The notice of content nobody reviewed yet, then the day-of-procedure summary."""
    try:
        procedure = content.procedure(intake.row.procedure_id)
    except KeyError:
        return []
    parts = []
    if not procedure.clinically_reviewed:
        parts.append(
            f"<p style='color:{_SEVERITY_COLOURS['medium']}'><b>"
            f"{escape(t('content_not_reviewed'))}</b>: "
            f"{escape(t('content_not_reviewed_detail', procedure=procedure.text('en').title))}"
            "</p>")
    parts.append(f"<h3>{escape(t('day_of_title'))}</h3>"
                 f"<p style='color:#555'>{escape(t('day_of_note'))}</p>"
                 "<table cellpadding='3' border='0'>")
    raised = {flag.rule_id for flag in intake.flags}
    for line in day_of_summary(intake.response, procedure, raised, t):
        colour = _SEVERITY_COLOURS["high"] if line.attention else "#1b5e20"
        parts.append(
            f"<tr><td valign='top' width='30%'><b>{escape(line.label)}</b></td>"
            f"<td valign='top'><span style='color:{colour}; font-weight:bold'>"
            f"{escape(line.status)}</span> · {escape(line.detail)}</td></tr>")
    parts.append("</table>")
    return parts


def _language_name(content: ContentLibrary, code: str) -> str:
    catalogue = content.catalogues.get(code)
    return f"{catalogue.language_name} ({code})" if catalogue is not None else code


def page_header(intake: IntakeDetail, content: ContentLibrary) -> str:
    """The line on top of every printed page, so a loose page still names its patient:
    name, date of birth, clinic (issue 12.10). The page number follows it."""
    row = intake.row
    t = content.strings("en")
    return (f"{row.last_name}, {row.first_name} · {t('label_birth_date')} "
            f"{row.birth_date.strftime('%Y-%m-%d')} · {content.clinic.clinic_name}")
