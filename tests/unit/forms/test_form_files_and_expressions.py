"""Attachments, item-scoped expressions (%context) and answerExpression, from FHIR R4 and SDC."""

from __future__ import annotations

from typing import Any

from helsetilbud.forms import Attachment, build_response, evaluate_answers, parse_questionnaire
from helsetilbud.preview.form import form_html

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
EXT = "http://hl7.org/fhir/StructureDefinition/"


def form(*items: dict[str, Any]) -> Any:
    return parse_questionnaire(
        {"resourceType": "Questionnaire", "status": "active", "item": list(items)}
    )


def fhirpath(url: str, expression: str, name: str | None = None) -> dict[str, Any]:
    value = {"language": "text/fhirpath", "expression": expression}
    return {"url": url, "valueExpression": {**value, **({"name": name} if name else {})}}


def file_item(**extra: Any) -> dict[str, Any]:
    return {
        "linkId": "fil",
        "type": "attachment",
        "text": "Bilde",
        "extension": [
            {"url": EXT + "mimeType", "valueCode": "image/jpeg"},
            {"url": EXT + "mimeType", "valueCode": "image/png"},
            {"url": EXT + "maxSize", "valueDecimal": 3_000_000},
        ],
        **extra,
    }


def test_an_attached_file_is_written_as_a_fhir_attachment_with_its_type_and_size() -> None:
    q = form(file_item())
    assert q.warnings == []
    filled = evaluate_answers(q, {"fil": Attachment("utslett.png", "image/png", 4, b"\x89PNG")})
    assert filled.problems == []
    answer = build_response(filled)["item"][0]["answer"][0]["valueAttachment"]
    assert answer == {
        "contentType": "image/png",
        "title": "utslett.png",
        "size": 4,
        "data": "iVBORw==",
    }


def test_a_file_of_a_type_the_form_does_not_accept_is_refused_with_the_types_it_does() -> None:
    q = form(file_item())
    problems = evaluate_answers(q, {"fil": Attachment("brev.pdf", "application/pdf", 9)}).problems
    assert [p.message for p in problems] == [
        "Filtypen PDF er ikke tillatt. Tillatte filtyper: JPEG, PNG."
    ]


def test_a_file_larger_than_max_size_is_refused_and_a_required_file_is_asked_for() -> None:
    q = form(file_item(required=True))
    big = evaluate_answers(q, {"fil": Attachment("x.png", "image/png", 4_500_000)}).problems
    assert [p.message for p in big] == ["Filen er for stor (4,5 MB). Den kan være høyst 3 MB."]
    assert [p.message for p in evaluate_answers(q, {}).problems] == ["Du må fylle ut dette feltet."]


def test_form_check_says_when_an_attachment_names_no_file_types() -> None:
    q = form({"linkId": "fil", "type": "attachment", "text": "Vedlegg"})
    assert any("angir ingen filtyper (mimeType)" in w for w in q.warnings)


def test_the_preview_shows_a_file_field_with_the_accepted_types_and_size() -> None:
    html = form_html(form(file_item()))
    assert 'type="file"' in html and 'accept="image/jpeg,image/png"' in html
    assert "Tillatte filtyper: JPEG, PNG." in html and "høyst 3 MB" in html


def test_a_calculated_expression_sees_its_own_item_as_context_and_its_groups_variables() -> None:
    calc = SDC + "sdc-questionnaire-calculatedExpression"
    q = form(
        {
            "linkId": "g",
            "type": "group",
            "extension": [fhirpath(EXT + "variable", "item.where(linkId='x').answer.value", "gx")],
            "item": [
                {"linkId": "x", "type": "integer", "text": "X"},
                {
                    "linkId": "pluss",
                    "type": "integer",
                    "readOnly": True,
                    "extension": [fhirpath(calc, "%gx + 1")],
                },
            ],
        },
        {
            "linkId": "hvem",
            "type": "string",
            "readOnly": True,
            "extension": [fhirpath(calc, "%context.linkId & '/' & linkId")],
        },
    )
    filled = evaluate_answers(q, {"x": "4"})
    assert filled.notes == []
    assert filled.answers["pluss"] == [5]
    assert filled.answers["hvem"] == ["hvem/hvem"]


def test_a_variable_on_an_item_is_not_seen_outside_it() -> None:
    q = form(
        {
            "linkId": "g",
            "type": "group",
            "extension": [fhirpath(EXT + "variable", "1", "inne")],
            "item": [{"linkId": "x", "type": "integer", "text": "X"}],
        },
        {
            "linkId": "ute",
            "type": "integer",
            "readOnly": True,
            "extension": [fhirpath(SDC + "sdc-questionnaire-calculatedExpression", "%inne")],
        },
    )
    filled = evaluate_answers(q, {"x": "1"})
    assert "ute" not in filled.answers
    assert any("calculatedExpression på «ute»" in n for n in filled.notes)


def test_answer_expression_gives_the_options_and_an_answer_outside_them_is_refused() -> None:
    options = (
        "iif(%resource.repeat(item).where(linkId='voksen').answer.value,"
        " %questionnaire.contained.expansion.contains.where(code != 'barn'),"
        " %questionnaire.contained.expansion.contains)"
    )
    data = {
        "resourceType": "Questionnaire",
        "status": "active",
        "contained": [
            {
                "resourceType": "ValueSet",
                "id": "vs",
                "status": "active",
                "expansion": {
                    "timestamp": "2026-01-01",
                    "contains": [
                        {"code": "barn", "display": "Barnelege"},
                        {"code": "fast", "display": "Fastlege"},
                    ],
                },
            }
        ],
        "item": [
            {"linkId": "voksen", "type": "boolean", "text": "Er du over 18?"},
            {
                "linkId": "lege",
                "type": "choice",
                "text": "Lege",
                "extension": [fhirpath(SDC + "sdc-questionnaire-answerExpression", options)],
            },
        ],
    }
    q = parse_questionnaire(data)
    assert q.warnings == []
    child = evaluate_answers(q, {"voksen": "nei", "lege": "barn"})
    assert child.problems == []
    assert [o.display for o in child.options["lege"]] == ["Barnelege", "Fastlege"]
    adult = evaluate_answers(q, {"voksen": "ja", "lege": "barn"})
    assert [p.message for p in adult.problems] == ["«barn» er ikke et av svaralternativene."]
    assert 'value="fast"' in form_html(q)


def test_an_answer_expression_that_reads_patient_data_is_named_by_form_check() -> None:
    q = form(
        {
            "linkId": "lege",
            "type": "choice",
            "text": "Lege",
            "extension": [
                fhirpath(SDC + "sdc-questionnaire-answerExpression", "%patient.generalPractitioner")
            ],
        }
    )
    assert any("Svaralternativene til «lege» kan ikke beregnes" in w for w in q.warnings)
