"""A printable summary of one intake, as HTML for Qt's rich-text engine (screen and PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from kiosk.content.catalogue import Catalogue
from kiosk.content.library import ContentLibrary
from kiosk.intake.appointments import NOT_MATCHED
from kiosk.intake.day_of import day_of_summary
from kiosk.questionnaire.response import answers_in_response
from kiosk.storage import IntakeDetail

SIGNATURE_RESOURCE = "signature.png"
_ROW_TABLE = "<table width='100%' cellpadding='3' cellspacing='0' border='0'>"
_SEVERITY_COLOURS = {"high": "#b00020", "medium": "#8a5300", "low": "#37474f"}


def procedure_title(content: ContentLibrary, procedure_id: str) -> str:
    try:
        return content.procedure(procedure_id).text("en").title
    except KeyError:
        return procedure_id


@dataclass(frozen=True)
class SummarySection:
    """One labelled part of the summary: ``key`` names it for code ("patient", "flags",
    "answers", "understanding", "signature", "review"), ``title`` is its heading, ``html``
    its body (all patient text escaped)."""

    key: str
    title: str
    html: str


def summary_sections(intake: IntakeDetail, content: ContentLibrary,
                     signature_resource: str | None = SIGNATURE_RESOURCE
                     ) -> list[SummarySection]:
    """Patient, flags, every answer, the understanding checks, the signature, the review:
    the summary in order. ``signature_resource`` None leaves the drawn signature's image
    out (the staff screen shows the drawing itself)."""
    row = intake.row
    t = content.strings("en")
    facts = [
        (t("label_name"), f"{row.last_name}, {row.first_name}"),
        (t("label_birth_date"), row.birth_date.strftime("%Y-%m-%d")),
        (t("label_procedure"), procedure_title(content, row.procedure_id)),
        (t("label_submitted"), row.submitted_at.strftime("%Y-%m-%d %H:%M")),
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
    sections = [SummarySection("patient", t("summary_patient"), "<table cellpadding='3'>" + "".join(
        f"<tr><td><b>{escape(label)}</b></td><td>{escape(value)}</td></tr>"
        for label, value in facts) + "</table>")]
    today = _day_of_section(intake, content, t)
    if today is not None:
        sections.append(today)

    if intake.flags:
        parts = ["<ul>"]
        for flag in intake.flags:
            colour = _SEVERITY_COLOURS.get(flag.severity, "#000")
            parts.append(
                f"<li><span style='color:{colour}; font-weight:bold'>"
                f"{escape(flag.severity.upper())} · {escape(flag.label)}</span>: "
                f"{escape(flag.text)}</li>"
            )
        parts.append("</ul>")
        flags = "".join(parts)
    else:
        flags = f"<p>{escape(t('summary_no_flags'))}</p>"
    sections.append(SummarySection(
        "flags", f"{t('summary_flags')} ({len(intake.flags)})", flags))

    # One table a question, so that the PDF writer can keep each question with its
    # answer on one page (pdf_export moves a table that would straddle a page break).
    sections.append(SummarySection("answers", t("summary_answers"), "".join(
        f"{_ROW_TABLE}<tr><td valign='top' width='55%'>{escape(question)}</td>"
        f"<td valign='top'><b>{escape('; '.join(answers))}</b></td></tr></table>"
        for _link_id, question, answers in answers_in_response(intake.response))))

    if intake.understanding:
        score = t("understanding_score", right=sum(r.correct for r in intake.understanding),
                  total=len(intake.understanding))
        parts = []
        for result in intake.understanding:
            verdict = t("understanding_right") if result.correct else t("understanding_missed")
            colour = "#1b5e20" if result.correct else _SEVERITY_COLOURS["high"]
            parts.append(
                f"{_ROW_TABLE}<tr><td valign='top' width='55%'>{escape(result.question)}</td>"
                f"<td valign='top'><b>{escape(result.answer)}</b> "
                f"<span style='color:{colour}; font-weight:bold'>({escape(verdict)})</span>"
                "</td></tr></table>")
        sections.append(SummarySection(
            "understanding", f"{t('detail_understanding')} ({score})", "".join(parts)))

    signed = row.submitted_at.strftime("%Y-%m-%d %H:%M")  # signed as it was sent
    typed = intake.typed_signature
    if typed is not None:  # no drawing: the typed name and the words agreed to, as such
        sections.append(SummarySection("signature", t("summary_signature"), (
            f"<p>{escape(t('summary_typed_signature'))}: <b>{escape(typed.name)}</b><br>"
            f"<i>“{escape(typed.statement)}”</i></p>"
            f"<p>{escape(t('summary_signed_at', when=signed))}</p>")))
    elif intake.signature_png:
        # The PDF writer and the staff screen register this name as an image resource.
        image = (f"<img src='{signature_resource}' width='320'>"
                 if signature_resource is not None else "")
        sections.append(SummarySection("signature", t("summary_signature"), (
            f"{image}<p>{escape(t('summary_signed_at', when=signed))}</p>")))

    status = (t("status_reviewed_by", who=row.reviewed_by,
                when=row.reviewed_at.strftime("%Y-%m-%d %H:%M"))
              if row.reviewed_at else t("status_not_reviewed"))
    sections.append(SummarySection("review", t("label_status"), f"<p>{escape(status)}</p>"))
    return sections


def summary_html(intake: IntakeDetail, content: ContentLibrary, font_pt: int = 11,
                 signature_resource: str = SIGNATURE_RESOURCE) -> str:
    """The sections of :func:`summary_sections`, each under its heading, flags first after
    the patient; all patient text escaped.

    ``font_pt`` is 11 for paper; the staff screen asks for larger text.
    """
    row = intake.row
    t = content.strings("en")
    parts = [
        f"<html><body style='font-family: sans-serif; font-size: {font_pt}pt;'>",
        f"<h2>{escape(t('summary_title'))}: {escape(row.last_name)}, {escape(row.first_name)}</h2>",
    ]
    for section in summary_sections(intake, content, signature_resource):
        parts.append(f"<h3>{escape(section.title)}</h3>{section.html}")
    parts.append(f"<p style='color:#555; font-size:9pt'>{escape(t('summary_footer'))}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def _day_of_section(intake: IntakeDetail, content: ContentLibrary,
                    t: Catalogue) -> SummarySection | None:
    """The notice of content nobody reviewed yet, then the day-of-procedure summary."""
    try:
        procedure = content.procedure(intake.row.procedure_id)
    except KeyError:
        return None
    parts = []
    if not procedure.clinically_reviewed:
        parts.append(
            f"<p style='color:{_SEVERITY_COLOURS['medium']}'><b>"
            f"{escape(t('content_not_reviewed'))}</b>: "
            f"{escape(t('content_not_reviewed_detail', procedure=procedure.text('en').title))}"
            "</p>")
    parts.append(f"<p style='color:#555'>{escape(t('day_of_note'))}</p>"
                 "<table cellpadding='3' border='0'>")
    raised = {flag.rule_id for flag in intake.flags}
    for line in day_of_summary(intake.response, procedure, raised, t):
        colour = _SEVERITY_COLOURS["high"] if line.attention else "#1b5e20"
        parts.append(
            f"<tr><td valign='top' width='30%'><b>{escape(line.label)}</b></td>"
            f"<td valign='top'><span style='color:{colour}; font-weight:bold'>"
            f"{escape(line.status)}</span> · {escape(line.detail)}</td></tr>")
    parts.append("</table>")
    return SummarySection("today", t("day_of_title"), "".join(parts))


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
