"""`helsetilbud form fill`: the response and the PDF on disk, or errors and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pypdf import PdfReader

ANSWERS = {
    "henvendelse": "Hoste og vondt i brystet når jeg går i trapper på Ål",
    "symptomer": ["hoste", "smak-lukt", "andre"],
    "andre-symptomer": "Kløe i øynene, særlig ute",
    "symptomdato": "28.02.2022",
    "formen": "2",
}


def write_answers(tmp_path: Path, answers: dict) -> Path:
    path = tmp_path / "svar.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    return path


def test_form_fill_writes_a_valid_response_and_a_pdf_with_every_answer(
    tmp_path: Path, catalogue_dir: Path, run_cli
) -> None:
    out = tmp_path / "ut"
    form = catalogue_dir / "beskriv-symptomene-dine.json"
    code, stdout, _ = run_cli(
        "form", "fill", form, "--answers", write_answers(tmp_path, ANSWERS), "--out", out
    )
    assert code == 0
    assert "Skrev" in stdout
    response = json.loads((out / "QuestionnaireResponse.json").read_text(encoding="utf-8"))
    QuestionnaireResponse.model_validate(response)
    pdf = out / "Beskriv symptomene dine.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for expected in (
        ANSWERS["henvendelse"],
        "Hoste",
        "Tap av smaks- eller luktesans",
        "Andre",
        ANSWERS["andre-symptomer"],
        "28.02.2022",
        "Er mer sliten enn vanlig, men er for det meste oppe",
    ):
        assert expected in text


def test_form_fill_with_invalid_answers_exits_1_and_writes_nothing(
    tmp_path: Path, catalogue_dir: Path, run_cli
) -> None:
    out = tmp_path / "ut"
    answers = {"henvendelse": "x" * 301, "symptomer": ["hoste"], "symptomdato": "2022.02.28"}
    form = catalogue_dir / "beskriv-symptomene-dine.json"
    code, _, err = run_cli(
        "form", "fill", form, "--answers", write_answers(tmp_path, answers), "--out", out
    )
    assert code == 1
    assert "henvendelse «Hva gjelder henvendelsen?»: Du har skrevet for mange tegn." in err
    assert "symptomdato «Hvilken dag fikk du symptomene?»: Dato skal ha format dd.mm.åååå." in err
    assert not out.exists()


def test_form_fill_takes_a_questionnaire_from_a_bundle_by_id(
    tmp_path: Path, examples_dir: Path, run_cli
) -> None:
    bundle = examples_dir / "structor" / "HSO_pakjenning-v2.0.7.json"
    answers = {
        "f3df519a-3367-4a5c-f075-0d8812be3203": "Endpoint/9",
        "d3abdd2e-57f2-4448-83ea-89488c53cc55": "7",
        "f14e8ffc-dd94-4f66-bff1-43dea7a9aeec": "nei",
        "29b23469-db55-4343-8e51-582f114968b7": "ja",
    }
    out = tmp_path / "ut"
    args = ["form", "fill", bundle, "--questionnaire", "252", "--answers"]
    code, _, _ = run_cli(*args, write_answers(tmp_path, answers), "--out", out)
    assert code == 0
    response = json.loads((out / "QuestionnaireResponse.json").read_text(encoding="utf-8"))
    QuestionnaireResponse.model_validate(response)
    hospital = find(response["item"], next(iter(answers)))
    assert hospital["answer"] == [
        {"valueReference": {"reference": "Endpoint/9", "display": "Sykehuset Østfold HF"}}
    ]
    assert (
        out / "Mapping of distress and problems in connection with cancer treatment.pdf"
    ).exists()


def test_form_fill_on_a_bundle_without_id_lists_errors_of_the_first_form(
    tmp_path: Path, examples_dir: Path, run_cli
) -> None:
    bundle = examples_dir / "structor" / "HSO_pakjenning-v2.0.7.json"
    out = tmp_path / "ut"
    code, _, err = run_cli(
        "form", "fill", bundle, "--answers", write_answers(tmp_path, {}), "--out", out
    )
    assert code == 1
    assert "29b23469-db55-4343-8e51-582f114968b7" in err
    assert "Ingen filer er skrevet." in err
    assert not out.exists()


def test_form_fill_refuses_an_answer_file_that_is_not_an_object(
    tmp_path: Path, catalogue_dir: Path, run_cli
) -> None:
    path = tmp_path / "svar.json"
    path.write_text("[1, 2]", encoding="utf-8")
    form = catalogue_dir / "beskriv-symptomene-dine.json"
    code, _, err = run_cli("form", "fill", form, "--answers", path, "--out", tmp_path / "ut")
    assert code == 1
    assert "må være et JSON-objekt med linkId som nøkler" in err


def find(items: list[dict], link_id: str) -> dict:
    for item in items:
        if item["linkId"] == link_id:
            return item
        nested = item.get("item", []) + [
            i for a in item.get("answer", []) for i in a.get("item", [])
        ]
        if nested and (found := find(nested, link_id)):
            return found
    return {}


def test_form_check_shows_each_prefilled_item_with_its_initial_value(
    tmp_path: Path, run_cli
) -> None:
    path = tmp_path / "q.json"
    item = {"linkId": "by", "type": "string", "text": "By", "initial": [{"valueString": "Oslo"}]}
    path.write_text(
        json.dumps({"resourceType": "Questionnaire", "status": "active", "item": [item]}),
        encoding="utf-8",
    )
    code, out, _ = run_cli("form", "check", path)
    assert code == 0
    assert "by (string) [forhåndsutfylt: Oslo] By" in out


def test_form_fill_names_a_rule_it_could_not_follow_and_still_writes_the_files(
    tmp_path: Path, run_cli
) -> None:
    calc = {
        "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
        "valueExpression": {"language": "text/fhirpath", "expression": "%ukjent + 1"},
    }
    items = [
        {"linkId": "a", "type": "string", "text": "A"},
        {"linkId": "sum", "type": "integer", "text": "Sum", "readOnly": True, "extension": [calc]},
    ]
    path, answers = tmp_path / "q.json", tmp_path / "svar.json"
    path.write_text(
        json.dumps({"resourceType": "Questionnaire", "status": "active", "item": items}),
        encoding="utf-8",
    )
    answers.write_text(json.dumps({"a": "x"}), encoding="utf-8")
    code, _, err = run_cli("form", "fill", path, "--answers", answers, "--out", tmp_path / "ut")
    assert code == 0
    assert "Merknad: Regelen calculatedExpression på «sum» kunne ikke følges" in err
    assert (tmp_path / "ut" / "QuestionnaireResponse.json").exists()


def repeat_and_file_form(tmp_path: Path) -> Path:
    form = {
        "resourceType": "Questionnaire",
        "id": "medisiner",
        "status": "active",
        "title": "Medisiner",
        "item": [
            {
                "linkId": "medisin",
                "type": "group",
                "text": "Medisin",
                "repeats": True,
                "item": [
                    {"linkId": "navn", "type": "string", "text": "Navn", "required": True},
                    {"linkId": "dose", "type": "string", "text": "Dose"},
                ],
            },
            {
                "linkId": "resept",
                "type": "attachment",
                "text": "Bilde av resepten",
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/mimeType",
                        "valueCode": "image/png",
                    },
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/maxSize",
                        "valueDecimal": 1000,
                    },
                ],
            },
        ],
    }
    path = tmp_path / "medisiner.json"
    path.write_text(json.dumps(form), encoding="utf-8")
    return path


def test_form_fill_writes_three_instances_of_a_repeated_group_and_the_attached_file(
    tmp_path: Path, run_cli
) -> None:
    (tmp_path / "resept.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    answers = {
        "medisin": [{"navn": "Paracet", "dose": "1 g"}, {"navn": "Ibux"}, {"navn": "Ventoline"}],
        "resept": "resept.png",
    }
    out = tmp_path / "ut"
    form = repeat_and_file_form(tmp_path)
    code, _, err = run_cli(
        "form", "fill", form, "--answers", write_answers(tmp_path, answers), "--out", out
    )
    assert code == 0, err
    response = json.loads((out / "QuestionnaireResponse.json").read_text(encoding="utf-8"))
    QuestionnaireResponse.model_validate(response)
    groups = [i for i in response["item"] if i["linkId"] == "medisin"]
    assert [g["item"][0]["answer"][0]["valueString"] for g in groups] == [
        "Paracet",
        "Ibux",
        "Ventoline",
    ]
    file = next(i for i in response["item"] if i["linkId"] == "resept")["answer"][0]
    assert file["valueAttachment"]["contentType"] == "image/png"
    assert file["valueAttachment"]["title"] == "resept.png"
    text = "\n".join(p.extract_text() for p in PdfReader(out / "Medisiner.pdf").pages)
    assert "Medisin (3)" in text and "Ventoline" in text and "resept.png" in text


def test_form_fill_refuses_a_file_of_the_wrong_type_and_a_missing_file(
    tmp_path: Path, run_cli
) -> None:
    (tmp_path / "resept.pdf").write_bytes(b"%PDF-1.4")
    form = repeat_and_file_form(tmp_path)
    out = tmp_path / "ut"
    answers = write_answers(tmp_path, {"medisin": [{"navn": "Ibux"}], "resept": "resept.pdf"})
    code, _, err = run_cli("form", "fill", form, "--answers", answers, "--out", out)
    assert code == 1
    assert "Filtypen PDF er ikke tillatt. Tillatte filtyper: PNG." in err
    answers = write_answers(tmp_path, {"resept": "finnes-ikke.png"})
    code, _, err = run_cli("form", "fill", form, "--answers", answers, "--out", out)
    assert code == 1
    assert "Finner ikke vedlegget «finnes-ikke.png»" in err
    assert not out.exists()


def test_form_fill_names_the_instance_of_a_repeated_group_with_a_problem(
    tmp_path: Path, run_cli
) -> None:
    form = repeat_and_file_form(tmp_path)
    answers = write_answers(tmp_path, {"medisin": [{"navn": "Ibux"}, {"dose": "2"}]})
    code, _, err = run_cli("form", "fill", form, "--answers", answers, "--out", tmp_path / "ut")
    assert code == 1
    assert "navn (nr. 2) «Navn»: Du må fylle ut dette feltet." in err


def test_form_fill_computes_the_total_takes_kg_and_refuses_a_birth_date_after_today(
    tmp_path: Path, run_cli
) -> None:
    from tests.forms_examples import rules_form

    form = tmp_path / "regler.json"
    form.write_text(json.dumps(rules_form(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "ut"
    late = {"a": "5", "født": "01.01.2099", "vekt": "72,5"}
    code, _, err = run_cli("form", "fill", form, "--answers", write_answers(tmp_path, late),
                           "--out", out)  # fmt: skip
    assert code == 1
    assert "født «Fødselsdato»" in err and "etter" in err
    assert not out.exists()

    answers = {"a": "5", "født": "17.05.1990", "vekt": "72,5"}
    code, _, err = run_cli("form", "fill", form, "--answers", write_answers(tmp_path, answers),
                           "--out", out)  # fmt: skip
    assert code == 0, err
    response = json.loads((out / "QuestionnaireResponse.json").read_text(encoding="utf-8"))
    QuestionnaireResponse.model_validate(response)
    by_id = {i["linkId"]: i["answer"][0] for i in response["item"] if i.get("answer")}
    assert by_id["sum"] == {"valueInteger": 7}  # 5 + the prefilled 2
    assert by_id["vekt"]["valueQuantity"]["value"] == 72.5
    assert by_id["vekt"]["valueQuantity"]["code"] == "kg"
    text = "\n".join(p.extract_text() for p in PdfReader(out / "Regler.pdf").pages)
    assert "Sum" in text and "7" in text and "72,5" in text and "kg" in text
