"""FHIRPath rules in forms (SDC and Helsenorge's sdf- extensions), evaluated by fhirpathpy."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from helsetilbud.forms import build_response, evaluate_answers, parse_questionnaire

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
SDF = "http://ehelse.no/fhir/StructureDefinition/"
EXT = "http://hl7.org/fhir/StructureDefinition/"


def form(*items: dict[str, Any], **root: Any) -> Any:
    return parse_questionnaire(
        {"resourceType": "Questionnaire", "status": "active", "item": list(items), **root}
    )


def fhirpath(url: str, expression: str, name: str | None = None) -> dict[str, Any]:
    value = {"language": "text/fhirpath", "expression": expression}
    return {"url": url, "valueExpression": {**value, **({"name": name} if name else {})}}


def answer(link_id: str) -> str:
    return f"%resource.repeat(item).where(linkId='{link_id}').answer.value"


def total_form() -> Any:
    return form(
        {"linkId": "a", "type": "integer", "text": "A"},
        {"linkId": "b", "type": "integer", "text": "B"},
        {
            "linkId": "sum",
            "type": "integer",
            "text": "Sum",
            "readOnly": True,
            "extension": [fhirpath(SDC + "sdc-questionnaire-calculatedExpression", "%a + %b")],
        },
        extension=[
            fhirpath(EXT + "variable", answer("a") + ".first()", "a"),
            fhirpath(EXT + "variable", answer("b") + ".first()", "b"),
        ],
    )


def test_a_calculated_total_follows_the_answers_through_form_variables() -> None:
    q = total_form()
    assert q.warnings == []
    filled = evaluate_answers(q, {"a": "2", "b": "5"})
    assert filled.answers["sum"] == [7]
    assert filled.notes == []
    items = {i["linkId"]: i for i in build_response(filled)["item"]}
    assert items["sum"]["answer"] == [{"valueInteger": 7}]
    assert "sum" not in evaluate_answers(q, {"a": "2"}).answers


def test_a_score_sums_the_ordinal_values_of_the_chosen_options() -> None:
    options = [
        {
            "valueCoding": {"code": "lite", "display": "Lite"},
            "extension": [{"url": EXT + "ordinalValue", "valueDecimal": 1}],
        },
        {
            "valueCoding": {"code": "mye", "display": "Mye"},
            "extension": [{"url": EXT + "ordinalValue", "valueDecimal": 3}],
        },
    ]
    q = form(
        {"linkId": "x", "type": "choice", "text": "X", "answerOption": options},
        {"linkId": "y", "type": "choice", "text": "Y", "answerOption": options},
        {
            "linkId": "poeng",
            "type": "decimal",
            "text": "Poeng",
            "readOnly": True,
            "extension": [
                fhirpath(
                    SDC + "sdc-questionnaire-calculatedExpression",
                    "%resource.item.where(linkId='x' or linkId='y').answer.value.ordinal()"
                    ".aggregate($this + $total, 0)",
                )
            ],
        },
    )
    assert evaluate_answers(q, {"x": "mye", "y": "lite"}).answers["poeng"] == [Decimal(4)]


def test_a_date_of_birth_after_today_is_refused_by_sdf_maxvalue() -> None:
    q = form(
        {
            "linkId": "født",
            "type": "date",
            "text": "Fødselsdato",
            "extension": [{"url": SDF + "sdf-maxvalue", "valueString": "today()"}],
        }
    )
    tomorrow = date.today() + timedelta(days=1)
    filled = evaluate_answers(q, {"født": tomorrow.strftime("%d.%m.%Y")})
    assert [p.message for p in filled.problems] == [
        f"Datoen kan ikke være etter {date.today():%d.%m.%Y}."
    ]
    assert evaluate_answers(q, {"født": "01.01.2099"}).problems
    assert evaluate_answers(q, {"født": "17.05.1990"}).problems == []


def test_sdf_minvalue_with_today_minus_days_refuses_an_older_date() -> None:
    q = form(
        {
            "linkId": "d",
            "type": "date",
            "text": "Dato",
            "extension": [{"url": SDF + "sdf-minvalue", "valueString": "today() - 7 days"}],
        }
    )
    old = date.today() - timedelta(days=8)
    assert evaluate_answers(q, {"d": old.isoformat()}).problems
    assert evaluate_answers(q, {"d": date.today().isoformat()}).problems == []


def test_sdf_fhirpathvalidation_refuses_with_the_forms_validation_text() -> None:
    q = form(
        {
            "linkId": "d",
            "type": "date",
            "text": "Dato",
            "extension": [
                {"url": SDF + "validationtext", "valueString": "Velg en dato siste uke."},
                {
                    "url": SDF + "sdf-fhirpathvalidation",
                    "valueString": "this.value <= today()  and this.value >=today() - 7 days",
                },
            ],
        }
    )
    old = date.today() - timedelta(days=30)
    assert [p.message for p in evaluate_answers(q, {"d": old.isoformat()}).problems] == [
        "Velg en dato siste uke."
    ]
    assert evaluate_answers(q, {"d": date.today().isoformat()}).problems == []


def test_an_enable_when_expression_shows_the_item_only_when_it_holds() -> None:
    q = form(
        {"linkId": "alder", "type": "integer", "text": "Alder"},
        {
            "linkId": "voksen",
            "type": "string",
            "text": "Voksen",
            "extension": [
                fhirpath(SDC + "sdc-questionnaire-enableWhenExpression", answer("alder") + " >= 18")
            ],
        },
    )
    assert "voksen" in evaluate_answers(q, {"alder": "40"}).enabled
    assert "voksen" not in evaluate_answers(q, {"alder": "12"}).enabled
    assert "voksen" not in evaluate_answers(q, {}).enabled


def test_an_initial_expression_prefills_today() -> None:
    q = form(
        {
            "linkId": "d",
            "type": "date",
            "text": "Dato",
            "extension": [fhirpath(SDC + "sdc-questionnaire-initialExpression", "today()")],
        }
    )
    assert evaluate_answers(q, {}).answers == {"d": [date.today()]}


def test_an_expression_that_fails_is_a_note_naming_rule_and_item_not_silence() -> None:
    q = form(
        {
            "linkId": "x",
            "type": "integer",
            "text": "X",
            "readOnly": True,
            "extension": [fhirpath(SDC + "sdc-questionnaire-calculatedExpression", "%ukjent + 1")],
        }
    )
    notes = evaluate_answers(q, {}).notes
    assert len(notes) == 1
    assert notes[0].startswith("Regelen calculatedExpression på «x» kunne ikke følges")


def test_form_check_names_an_expression_it_cannot_read_and_a_language_it_does_not_speak() -> None:
    cql = {
        "url": SDC + "sdc-questionnaire-calculatedExpression",
        "valueExpression": {"language": "text/cql", "expression": "1"},
    }
    q = form(
        {
            "linkId": "x",
            "type": "integer",
            "text": "X",
            "extension": [fhirpath(SDC + "sdc-questionnaire-calculatedExpression", "((")],
        },
        {"linkId": "y", "type": "integer", "text": "Y", "extension": [cql]},
    )
    assert any("«x»" in w and "kan ikke brukes" in w for w in q.warnings)
    assert any("«y»" in w and "text/cql" in w for w in q.warnings)


def test_a_quantity_carries_its_unit_into_the_response() -> None:
    unit = {
        "url": EXT + "questionnaire-unit",
        "valueCoding": {"system": "http://unitsofmeasure.org", "code": "kg", "display": "kg"},
    }
    q = form({"linkId": "vekt", "type": "quantity", "text": "Vekt", "extension": [unit]})
    assert q.warnings == []
    filled = evaluate_answers(q, {"vekt": "72,5"})
    assert build_response(filled)["item"][0]["answer"] == [
        {
            "valueQuantity": {
                "value": 72.5,
                "unit": "kg",
                "system": "http://unitsofmeasure.org",
                "code": "kg",
            }
        }
    ]


def test_the_preview_shows_the_unit_and_the_initial_value_of_a_field() -> None:
    from helsetilbud.preview.form import form_html

    unit = {"url": EXT + "questionnaire-unit", "valueCoding": {"code": "kg", "display": "kg"}}
    q = form(
        {"linkId": "vekt", "type": "quantity", "text": "Vekt", "extension": [unit]},
        {"linkId": "by", "type": "string", "text": "By", "initial": [{"valueString": "Oslo"}]},
    )
    html = form_html(q)
    assert '<span class="hn-unit">kg</span>' in html
    assert 'value="Oslo"' in html
