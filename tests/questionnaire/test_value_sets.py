"""answerValueSet outside the file: FHIR's core value sets shipped with the kiosk, the
clinic's own ValueSet files and FHIR packages, and what the load report says of the rest."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from kiosk.content.core_value_sets import core_value_sets, standard_value_sets
from kiosk.content.errors import ContentError
from kiosk.content.library import load_content
from kiosk.questionnaire import AnswerSheet, Coding, load_questionnaire, parse_questionnaire
from kiosk.questionnaire.load_report import format_report, load_report
from kiosk.questionnaire.presentation import present

ROOT = Path(__file__).resolve().parents[2]
CLINIC_VS = "https://clinic.example/fhir/ValueSet/pain-site"
PACKAGE_VS = "http://example.org/fhir/ig/ValueSet/sleep-quality"


def form(*items: dict) -> dict:
    return {"resourceType": "Questionnaire", "status": "active", "item": list(items)}


def choice(link_id: str, value_set: str) -> dict:
    return {"linkId": link_id, "type": "choice", "text": link_id, "answerValueSet": value_set}


def displays(questionnaire, link_id: str) -> list[str]:
    return [option.display for option in questionnaire.item(link_id).options]


def test_the_cancer_form_offers_yes_no_dont_know_and_its_follow_up_opens_on_yes(
        shared_questionnaire):
    questionnaire = load_questionnaire(shared_questionnaire("01_r4_cancer_3141.json"),
                                       value_sets=standard_value_sets())
    assert displays(questionnaire, "1.1") == ["Yes", "No", "Don't know"]
    assert present(questionnaire.item("1.1")).kind == "choice"
    sheet = AnswerSheet(questionnaire)
    assert not sheet.is_enabled("1.1.1")
    yes = questionnaire.item("1.1").options[0].value
    assert yes == Coding("http://terminology.hl7.org/CodeSystem/v2-0136", "Y", "Yes")
    sheet.set("1.1", [yes])
    assert sheet.is_enabled("1.1.1")  # the form's enableWhen names v2-0136 Y: it matches
    assert not any("yesnodontknow" in str(note) for note in load_report(questionnaire))


def test_administrative_gender_and_other_core_value_sets():
    questionnaire = parse_questionnaire(
        form(choice("sex", "http://hl7.org/fhir/ValueSet/administrative-gender"),
             choice("marital", "http://hl7.org/fhir/ValueSet/marital-status|4.0.1"),
             choice("day", "http://hl7.org/fhir/ValueSet/days-of-week")),
        value_sets=standard_value_sets())
    assert displays(questionnaire, "sex") == ["Male", "Female", "Other", "Unknown"]
    assert questionnaire.item("sex").options[1].value.system == \
        "http://hl7.org/fhir/administrative-gender"
    assert "Married" in displays(questionnaire, "marital")
    assert displays(questionnaire, "day")[0] == "Monday"
    assert load_report(questionnaire) == []


def test_without_a_library_only_the_file_is_searched_and_the_report_says_so():
    questionnaire = parse_questionnaire(
        form(choice("sex", "http://hl7.org/fhir/ValueSet/administrative-gender")))
    assert present(questionnaire.item("sex")).kind == "text"
    assert "is not in the file" in format_report(questionnaire)


def test_the_load_report_names_each_value_set_not_found_and_what_the_patient_gets():
    questionnaire = parse_questionnaire(
        form(choice("origin", "https://nowhere.example/ValueSet/origin"),
             choice("sex", "http://hl7.org/fhir/ValueSet/administrative-gender")),
        value_sets=standard_value_sets())
    report = format_report(questionnaire)
    assert "item origin: answerValueSet https://nowhere.example/ValueSet/origin was not " \
           "found" in report
    assert "options dropped: the patient types the answer instead" in report
    assert "administrative-gender" not in report


def write_clinic_folder(folder: Path) -> None:
    folder.mkdir()
    (folder / "pain-site.json").write_text(json.dumps({
        "resourceType": "ValueSet", "url": CLINIC_VS, "version": "2",
        "compose": {"include": [{"system": "https://clinic.example/fhir/CodeSystem/site",
                                 "concept": [{"code": "neck", "display": "Neck"},
                                             {"code": "low-back", "display": "Low back"}]}]}}))
    # The clinic's own administrative gender list wins over FHIR's.
    (folder / "gender.json").write_text(json.dumps({
        "resourceType": "Bundle", "type": "collection", "entry": [
            {"resource": {"resourceType": "CodeSystem", "url": "https://clinic.example/cs/g",
                          "content": "complete",
                          "concept": [{"code": "f", "display": "Woman"},
                                      {"code": "m", "display": "Man"},
                                      {"code": "x", "display": "Another gender"}]}},
            {"resource": {"resourceType": "ValueSet",
                          "url": "http://hl7.org/fhir/ValueSet/administrative-gender",
                          "compose": {"include": [{"system": "https://clinic.example/cs/g"}],
                                      "exclude": [{"system": "https://clinic.example/cs/g",
                                                   "concept": [{"code": "x"}]}]}}}]}))
    (folder / "broken.json").write_text("{ not json")
    package = io.BytesIO()
    with tarfile.open(fileobj=package, mode="w:gz") as archive:
        for name, resource in (
                ("package/package.json", {"name": "example.ig", "version": "1.0.0"}),
                ("package/CodeSystem-sleep.json", {
                    "resourceType": "CodeSystem", "url": "http://example.org/fhir/ig/cs/sleep",
                    "content": "complete", "concept": [
                        {"code": "good", "display": "Good"},
                        {"code": "poor", "display": "Poor", "concept": [
                            {"code": "very-poor", "display": "Very poor"}]}]}),
                ("package/ValueSet-sleep-quality.json", {
                    "resourceType": "ValueSet", "url": PACKAGE_VS,
                    "compose": {"include": [{"system": "http://example.org/fhir/ig/cs/sleep"}]}})):
            data = json.dumps(resource).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    (folder / "example.ig-1.0.0.tgz").write_bytes(package.getvalue())


def test_a_clinic_folder_with_value_sets_code_systems_and_a_fhir_package(tmp_path):
    folder = tmp_path / "value-sets"
    write_clinic_folder(folder)
    library = standard_value_sets(folder)
    questionnaire = parse_questionnaire(
        form(choice("site", f"{CLINIC_VS}|2"), choice("sleep", PACKAGE_VS),
             choice("sex", "http://hl7.org/fhir/ValueSet/administrative-gender"),
             choice("answer", "http://hl7.org/fhir/ValueSet/yesnodontknow")),
        value_sets=library)
    assert displays(questionnaire, "site") == ["Neck", "Low back"]
    assert displays(questionnaire, "sleep") == ["Good", "Poor", "Very poor"]
    assert displays(questionnaire, "sex") == ["Woman", "Man"]  # the clinic's, less 'x'
    assert displays(questionnaire, "answer") == ["Yes", "No", "Don't know"]  # still core
    report = format_report(questionnaire)
    assert f"value set file {folder / 'broken.json'}: cannot be read" in report


def test_the_kiosk_resolves_its_questionnaire_from_the_configured_folder(tmp_path):
    with pytest.raises(ContentError, match="is not a folder"):
        load_content(value_sets=tmp_path / "missing")
    folder = tmp_path / "value-sets"
    write_clinic_folder(folder)
    assert load_content(value_sets=folder).questionnaire.items


def test_the_check_command_takes_the_clinic_folder(tmp_path):
    folder = tmp_path / "value-sets"
    write_clinic_folder(folder)
    path = tmp_path / "form.json"
    path.write_text(json.dumps(form(choice("sleep", PACKAGE_VS), choice("site", "urn:x"))))
    result = subprocess.run([sys.executable, "-m", "kiosk", "check", "--value-sets",
                             str(folder), str(path)], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "item site: answerValueSet urn:x was not found" in result.stdout
    assert "item sleep" not in result.stdout


def test_the_shipped_core_value_sets_are_expansions_with_codes():
    library = core_value_sets()
    assert len(library.value_sets) > 1000
    for url, value_set in library.value_sets.items():
        assert value_set["expansion"]["contains"], url
