"""A printable summary of one intake, as HTML for Qt's rich-text engine (screen and PDF)."""

from __future__ import annotations

from html import escape

from kiosk.content.library import ContentLibrary
from kiosk.intake.appointments import NOT_MATCHED
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
    # One table a question, so that the PDF writer can keep each question with its
    # answer on one page (pdf_export moves a table that would straddle a page break).
    parts.append(f"<h3>{escape(t('summary_answers'))}</h3>")
    for _link_id, question, answers in answers_in_response(intake.response):
        parts.append(
            f"{_ROW_TABLE}<tr><td valign='top' width='55%'>{escape(question)}</td>"
            f"<td valign='top'><b>{escape('; '.join(answers))}</b></td></tr></table>"
        )
    if intake.understanding:
        score = t("understanding_score", right=sum(r.correct for r in intake.understanding),
                  total=len(intake.understanding))
        parts.append(f"<h3>{escape(t('detail_understanding'))} ({escape(score)})</h3>")
        for result in intake.understanding:
            verdict = t("understanding_right") if result.correct else t("understanding_missed")
            colour = "#1b5e20" if result.correct else _SEVERITY_COLOURS["high"]
            parts.append(
                f"{_ROW_TABLE}<tr><td valign='top' width='55%'>{escape(result.question)}</td>"
                f"<td valign='top'><b>{escape(result.answer)}</b> "
                f"<span style='color:{colour}; font-weight:bold'>({escape(verdict)})</span>"
                "</td></tr></table>")
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
