"""Dates as FHIR defines them: dateTime in Oslo time, year and year-month dates (R4 §2.24)."""

from __future__ import annotations

from typing import Any

from helsetilbud.forms import build_response, fill_form, parse_questionnaire, validate_answers

EXT = "http://hl7.org/fhir/StructureDefinition/"


def form(*items: dict[str, Any]) -> Any:
    return parse_questionnaire(
        {"resourceType": "Questionnaire", "status": "active", "item": list(items)}
    )


def control(code: str) -> dict[str, Any]:
    return {
        "url": EXT + "questionnaire-itemControl",
        "valueCodeableConcept": {"coding": [{"code": code}]},
    }


def messages(q: Any, answers: dict[str, Any]) -> list[str]:
    return [p.message for p in validate_answers(q, answers)]


def test_an_answer_in_oslo_time_meets_a_time_zone_qualified_enable_when() -> None:
    q = form(
        {"linkId": "når", "type": "dateTime", "text": "Når startet det?"},
        {
            "linkId": "etter",
            "type": "string",
            "text": "Etter lunsj",
            "enableWhen": [
                {"question": "når", "operator": ">", "answerDateTime": "2024-03-01T12:00:00+01:00"}
            ],
        },
    )
    assert "etter" in fill_form(q, {"når": "01.03.2024 13:00"}).enabled
    assert "etter" not in fill_form(q, {"når": "01.03.2024 11:30"}).enabled
    assert "etter" in fill_form(q, {"når": "2024-03-01T12:30:00Z"}).enabled


def test_a_date_time_max_value_with_a_time_zone_refuses_a_later_answer_in_oslo_time() -> None:
    q = form(
        {
            "linkId": "når",
            "type": "dateTime",
            "text": "Når?",
            "extension": [{"url": EXT + "maxValue", "valueDateTime": "2024-06-01T10:00:00Z"}],
        }
    )
    assert messages(q, {"når": "01.06.2024 12:30"}) == [
        "Datoen kan ikke være etter 01.06.2024 12:00."
    ]
    assert messages(q, {"når": "01.06.2024 11:59"}) == []
    assert q.warnings == []


def test_a_year_item_takes_a_year_and_answers_with_a_fhir_year() -> None:
    q = form(
        {"linkId": "år", "type": "date", "text": "Hvilket år?", "extension": [control("year")]}
    )
    filled = fill_form(q, {"år": "2024"})
    response = build_response(filled)
    assert response["item"][0]["answer"] == [{"valueDate": "2024"}]
    assert messages(q, {"år": "17.05.2024"}) == ["Årstall skal ha format åååå."]


def test_a_year_month_min_value_admits_every_day_of_that_month_and_refuses_before() -> None:
    limit = {"url": EXT + "minValue", "valueDate": "1994-05"}
    q = form(
        {
            "linkId": "mnd",
            "type": "date",
            "text": "Måned",
            "extension": [control("yearMonth"), limit],
        },
        {"linkId": "dag", "type": "date", "text": "Dag", "extension": [limit]},
    )
    assert q.warnings == []
    assert messages(q, {"mnd": "04.1994"}) == ["Datoen kan ikke være før 05.1994."]
    assert messages(q, {"mnd": "05.1994", "dag": "01.05.1994"}) == []
    assert messages(q, {"dag": "30.04.1994"}) == ["Datoen kan ikke være før 05.1994."]
    assert build_response(fill_form(q, {"mnd": "1994-05"}))["item"][0]["answer"] == [
        {"valueDate": "1994-05"}
    ]


def test_an_enable_when_on_a_year_month_compares_at_month_precision() -> None:
    q = form(
        {"linkId": "mnd", "type": "date", "text": "Måned", "extension": [control("yearMonth")]},
        {
            "linkId": "ny",
            "type": "string",
            "text": "Etter mai",
            "enableWhen": [{"question": "mnd", "operator": ">=", "answerDate": "1995-05"}],
        },
    )
    assert "ny" in fill_form(q, {"mnd": "06.1995"}).enabled
    assert "ny" not in fill_form(q, {"mnd": "04.1995"}).enabled


def test_a_limit_that_cannot_be_used_for_the_item_type_is_named_by_form_check() -> None:
    q = form(
        {
            "linkId": "tall",
            "type": "integer",
            "text": "Tall",
            "extension": [{"url": EXT + "minValue", "valueDate": "2024-13"}],
        }
    )
    assert any("minValue «2024-13» på «tall»" in w for w in q.warnings)
