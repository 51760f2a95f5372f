"""The QuestionnaireResponse and the PDF the office receives."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pypdf import PdfReader

from helsetilbud.forms import (
    build_response,
    fill_form,
    load_questionnaire,
    pdf_file_name,
    render_pdf,
)


def test_the_response_mirrors_nested_groups_and_is_valid_fhir(catalogue_dir: Path) -> None:
    q = load_questionnaire(catalogue_dir / "koronavaksine-egenerklaering.json")
    form = fill_form(
        q,
        {
            "alder": 45,
            "syk-i-dag": "nei",
            "allergi": "nei",
            "blodfortynnende": "nei",
            "tidligere-dose": "ja",
            "antall-doser": 2,
            "siste-dose": "14.09.2021",
        },
    )
    authored = datetime(2022, 3, 1, 10, 15)
    response = build_response(form, authored=authored, response_id="svar-1")
    QuestionnaireResponse.model_validate(response)
    assert response["status"] == "completed"
    assert response["authored"] == "2022-03-01T10:15:00+01:00"
    assert response["questionnaire"].endswith("/koronavaksine-egenerklaering|1.0.0")
    group = next(i for i in response["item"] if i["linkId"] == "tidligere")
    assert group["item"] == [
        {
            "linkId": "antall-doser",
            "text": "Hvor mange doser har du fått?",
            "answer": [{"valueInteger": 2}],
        },
        {
            "linkId": "siste-dose",
            "text": "Hvilken dag fikk du siste dose?",
            "answer": [{"valueDate": "2021-09-14"}],
        },
    ]
    allergy = next(i for i in response["item"] if i["linkId"] == "allergi")
    assert allergy["answer"] == [
        {"valueCoding": {"system": "urn:oid:2.16.578.1.12.4.1.1101", "code": "2", "display": "Nei"}}
    ]


def test_display_items_and_unanswered_questions_are_left_out(catalogue_dir: Path) -> None:
    q = load_questionnaire(catalogue_dir / "veiledning-timebestilling.json")
    form = fill_form(q, {"akutt": "ja"})
    assert [i["linkId"] for i in build_response(form)["item"]] == ["akutt"]


def test_the_pdf_is_named_after_the_title_and_holds_each_answer(catalogue_dir: Path) -> None:
    q = load_questionnaire(catalogue_dir / "beskriv-symptomene-dine.json")
    form = fill_form(
        q,
        {
            "henvendelse": "Øresus og vondt i kjeven, særlig om morgenen",
            "symptomer": ["sar-hals", "mage"],
            "symptomdato": "02.03.2022",
            "formen": "3",
        },
    )
    document = render_pdf(form, when=date(2022, 3, 4))
    assert document.file_name == "Beskriv symptomene dine.pdf"
    text = PdfReader(io.BytesIO(document.content)).pages[0].extract_text()
    for expected in (
        "Beskriv symptomene dine",
        "Dato: 04.03.2022",
        "Hva gjelder henvendelsen?",
        "Øresus og vondt i kjeven, særlig om morgenen",
        "Sår hals",
        "Magesmerter/kvalme/diaré",
        "02.03.2022",
        "Trenger mye hvile, men er oppe innimellom",
    ):
        assert expected in text
    assert "Beskriv andre symptomer" not in text


def test_a_title_with_slashes_gives_a_safe_file_name() -> None:
    assert pdf_file_name("Skjema: før/etter?") == "Skjema før etter.pdf"
    assert pdf_file_name("  ") == "Skjema.pdf"


def test_without_dejavu_the_pdf_falls_back_to_latin1_and_keeps_norwegian_letters(
    catalogue_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    import helsetilbud.forms.pdf as pdf_module

    monkeypatch.setattr(pdf_module, "FONT_DIR", tmp_path)
    q = load_questionnaire(catalogue_dir / "beskriv-symptomene-dine.json")
    form = fill_form(q, {"henvendelse": "Blåbærsyltetøy gir utslett – hjelp"})
    text = PdfReader(io.BytesIO(render_pdf(form).content)).pages[0].extract_text()
    assert "Blåbærsyltetøy gir utslett ? hjelp" in text
