"""Spanish a patient from Latin America reads naturally (issue 13.12): no masculine-only
words about the patient, "medicinas que hacen la sangre más líquida" where aspirin and
clopidogrel are meant too, one variety of Spanish, and a decimal comma."""

import json
import re
from importlib import resources

import pytest

from kiosk.intake.session import IntakeSession
from kiosk.questionnaire.values import Quantity


def spanish_texts(content):
    """(where, text) for every Spanish text a patient can see."""
    for procedure in content.procedures:
        text = procedure.texts["es"]
        yield procedure.id, text.title
        yield procedure.id, text.card
        for page in text.pages:
            yield procedure.id, page.heading
            for paragraph in page.paragraphs:
                yield procedure.id, paragraph
    for key, value in content.strings("es").strings.items():
        yield f"strings.{key}", value
    for item in content.questionnaire_for("es").walk():
        yield item.link_id, item.text or ""
        for option in item.options:
            yield item.link_id, option.display
    for check in content.teach_back.checks:
        yield check.id, check.question("es")
        yield check.id, check.explanation("es")
        for option in check.options:
            yield check.id, option.texts["es"]


# words that say the patient is a man, and forms from Spain next to "manejar"
NOT_WANTED = [r"\bdespierto\b", r"\bcansado\b", r"estoy seguro", r"está seguro",
              r"\bes alérgico\b", r"\bun adulto\b", r"\ben coche\b", r"\bconducir\b",
              r"\bel equipo\b", r"\bzumo\b", r"\bordenador\b"]


def test_no_masculine_only_or_spain_only_words(content):
    found = [(where, pattern, text) for where, text in spanish_texts(content)
             for pattern in NOT_WANTED if re.search(pattern, text, re.IGNORECASE)]
    assert found == []


def test_anticoagulante_never_stands_for_every_blood_thinner(content):
    """Aspirin and clopidogrel are antiplatelets: 'anticoagulante' only beside
    'antiplaquetario'."""
    for where, text in spanish_texts(content):
        for match in re.finditer(r"anticoagulantes?", text, re.IGNORECASE):
            around = text[match.start():match.end() + 25]
            assert re.match(r"anticoagulantes? o antiplaquetarios?", around, re.I), \
                (where, text)
    question = content.questionnaire_for("es").item("blood-thinners").text
    assert "medicinas que hacen la sangre más líquida" in question


@pytest.mark.parametrize("language, shown", [("es", "70,5 kg"), ("en", "70.5 kg")])
def test_the_review_shows_a_decimal_with_the_patients_mark(content, language, shown):
    session = IntakeSession(content, language)
    item = content.questionnaire_for(language).item("weight")
    assert session.spoken(Quantity(70.5, "kg", "http://unitsofmeasure.org", "kg"), item) \
        == shown
    assert session.spoken(2.25) == {"es": "2,25", "en": "2.25"}[language]


def test_the_shipped_spanish_strings_say_which_decimal_mark(content):
    data = json.loads(resources.files("kiosk.content").joinpath("strings/es.json").read_text())
    assert data["strings"]["decimal_separator"] == ","
