"""A printed summary of many pages: no question is parted from its answer by a page
break, and every page names its patient, birth date and clinic (issue 12.10)."""

import dataclasses

import pytest

from kiosk.demo.answers import fill_demo_session
from kiosk.intake.session import IntakeSession
from kiosk.storage import Store
from tests.helpers.pdf import pdf_pages
from tests.helpers.staff import signed_in

pytestmark = pytest.mark.gui

SENTENCE = ("the pain started after lifting a heavy box at work and has been worse in the "
            "mornings with stiffness that eases after a warm shower and some walking")
WORDS = SENTENCE.split(" ")


def long_answer(number: int, words: int) -> str:
    body = " ".join(WORDS[i % len(WORDS)] for i in range(words))
    return f"Answer{number:02d}start {body} answer{number:02d}end"


def many_answers(count: int) -> dict:
    """A response of ``count`` questions answered in free text of 3, 150 and 60 words in turn
    (150 words: about half a page)."""
    items = []
    for number in range(count):
        words = (3, 150, 60)[number % 3]
        items.append({
            "linkId": f"q{number}",
            "text": f"Question{number:02d}start please describe in your own words what "
                    f"happened question{number:02d}end",
            "answer": [{"valueString": long_answer(number, words)}],
        })
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}


@pytest.fixture
def long_intake(tmp_path, content):
    store = Store(tmp_path / "kiosk.db")
    session = IntakeSession(content)
    fill_demo_session(session, "Maria", "Santos")
    session.confirm(True)
    detail = store.intake(store.submit(session.build_submission()), signed_in(store))
    store.close()
    return dataclasses.replace(detail, response=many_answers(45))


def page_texts(data: bytes) -> list[str]:
    return pdf_pages(data)


def test_no_question_is_parted_from_its_answer_and_every_page_names_the_patient(
        qapp, content, long_intake):
    from kiosk.ui.pdf_export import summary_pdf

    pages = page_texts(summary_pdf(long_intake, content))
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert text.startswith("Santos, Maria · Date of birth 1961-04-12 · "
                               "Riverside Pain Center"), text[:120]
        assert f"{number} / {len(pages)}" in text

    def page_of(marker: str) -> int:
        found = [number for number, text in enumerate(pages) if marker in text]
        assert len(found) == 1, (marker, found)
        return found[0]

    for number in range(45):
        where = {page_of(f"{kind}{number:02d}{end}") for kind, end in (
            ("Question", "start"), ("question", "end"), ("Answer", "start"),
            ("answer", "end"))}
        assert len(where) == 1, (number, where)
