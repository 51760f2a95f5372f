"""Validating a patient's answers: Norwegian errors per item."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from helsetilbud.forms import (
    AnswersInvalid,
    fill_form,
    format_value,
    load_questionnaire,
    parse_questionnaire,
    validate_answers,
)

EXT = "http://hl7.org/fhir/StructureDefinition/"


def one_item(**item: Any) -> Any:
    item = {"linkId": "q", "text": "Spørsmål", **item}
    return parse_questionnaire(
        {"resourceType": "Questionnaire", "status": "active", "item": [item]}
    )


def messages(q: Any, answers: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.link_id, p.message) for p in validate_answers(q, answers)]


def test_a_text_over_max_length_asks_for_a_shorter_text(catalogue_dir: Path) -> None:
    q = load_questionnaire(catalogue_dir / "beskriv-symptomene-dine.json")
    assert messages(q, {"henvendelse": "å" * 301}) == [
        ("henvendelse", "Du har skrevet for mange tegn. Gjør teksten kortere.")
    ]
    assert messages(q, {"henvendelse": "å" * 300}) == []


def test_a_missing_required_answer_is_named_by_link_id(catalogue_dir: Path) -> None:
    q = load_questionnaire(catalogue_dir / "beskriv-symptomene-dine.json")
    assert messages(q, {"formen": "1"}) == [("henvendelse", "Du må fylle ut dette feltet.")]


def test_a_text_under_min_length_is_refused() -> None:
    q = one_item(type="string", extension=[{"url": EXT + "minLength", "valueInteger": 3}])
    assert messages(q, {"q": "ab"}) == [("q", "Du må skrive minst 3 tegn.")]


def test_a_regex_mismatch_without_validation_text_says_wrong_format() -> None:
    q = one_item(type="string", extension=[{"url": EXT + "regex", "valueString": "^[0-9]{4}$"}])
    assert messages(q, {"q": "12a4"}) == [("q", "Svaret har feil format.")]
    assert messages(q, {"q": "1234"}) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (11, "Verdien må være minst 12."),
        (121, "Verdien kan ikke være høyere enn 120."),
        ("tolv", "Du må skrive et heltall."),
    ],
)
def test_an_age_out_of_range_is_refused(catalogue_dir: Path, value: Any, message: str) -> None:
    q = load_questionnaire(catalogue_dir / "koronavaksine-egenerklaering.json")
    assert ("alder", message) in messages(q, {"alder": value})


def test_a_decimal_out_of_range_is_refused_with_decimal_comma() -> None:
    q = one_item(type="decimal", extension=[{"url": EXT + "maxValue", "valueDecimal": 43.5}])
    assert messages(q, {"q": "43,6"}) == [("q", "Verdien kan ikke være høyere enn 43,5.")]
    assert messages(q, {"q": "abc"}) == [("q", "Du må skrive et tall.")]


def test_a_date_before_the_minimum_names_the_limit_as_a_patient_writes_it() -> None:
    q = one_item(type="date", extension=[{"url": EXT + "minValue", "valueDate": "2020-01-01"}])
    assert messages(q, {"q": "31.12.2019"}) == [("q", "Datoen kan ikke være før 01.01.2020.")]


@pytest.mark.parametrize(
    ("kind", "good", "bad", "message"),
    [
        ("date", "1.2.2022", "2022/02/01", "Dato skal ha format dd.mm.åååå."),
        (
            "dateTime",
            "01.02.2022 13:45",
            "01.02.2022",
            "Dato og klokkeslett skal ha format dd.mm.åååå tt:mm.",
        ),
        ("time", "08:30", "8.30", "Klokkeslett skal ha format tt:mm."),
        ("boolean", "ja", "kanskje", "Svaret må være ja eller nei."),
    ],
)
def test_typed_answers_accept_the_norwegian_format(kind, good, bad, message) -> None:
    q = one_item(type=kind)
    assert messages(q, {"q": good}) == []
    assert messages(q, {"q": bad}) == [("q", message)]


def test_several_values_to_a_non_repeating_item_are_refused() -> None:
    assert messages(one_item(type="string"), {"q": ["a", "b"]}) == [
        ("q", "Du kan bare gi ett svar.")
    ]


def test_max_occurs_limits_the_number_of_answers() -> None:
    q = one_item(
        type="string",
        repeats=True,
        extension=[{"url": EXT + "questionnaire-maxOccurs", "valueInteger": 2}],
    )
    assert messages(q, {"q": ["a", "b", "c"]}) == [("q", "Du kan gi høyst 2 svar.")]


def test_an_answer_to_an_unknown_link_id_is_an_error() -> None:
    q = one_item(type="string")
    assert messages(q, {"finnes-ikke": "x"}) == [
        ("finnes-ikke", "Skjemaet har ikke noe spørsmål med denne linkId-en.")
    ]


def test_an_answer_to_a_display_item_is_an_error() -> None:
    q = one_item(type="display")
    assert messages(q, {"q": "x"}) == [("q", "Dette elementet kan ikke besvares.")]


def test_a_required_group_needs_one_answered_question() -> None:
    q = one_item(type="group", required=True, item=[{"linkId": "inni", "type": "string"}])
    assert messages(q, {}) == [("q", "Du må svare på minst ett spørsmål i denne delen.")]
    assert messages(q, {"inni": "svar"}) == []


def test_fill_form_raises_with_every_problem() -> None:
    q = one_item(type="integer", required=True)
    with pytest.raises(AnswersInvalid) as caught:
        fill_form(q, {})
    assert [p.link_id for p in caught.value.problems] == ["q"]
    assert "Du må fylle ut dette feltet." in caught.value.message


def test_a_choice_is_found_by_code_or_by_display_text(catalogue_dir: Path) -> None:
    q = load_questionnaire(catalogue_dir / "forny-resept.json")
    form = fill_form(q, {"fast-bruk": "1", "vanedannende": "Nei", "endring": "nei"})
    assert [o.display for o in form.answers["vanedannende"]] == ["Nei"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2022, 2, 3), "03.02.2022"),
        (datetime(2022, 2, 3, 9, 5), "03.02.2022 09:05"),
        (time(7, 30), "07:30"),
        (True, "Ja"),
        (Decimal("38.5"), "38,5"),
    ],
)
def test_answers_are_shown_as_a_norwegian_reader_expects(value: Any, text: str) -> None:
    assert format_value(value) == text


def test_an_initial_value_prefills_a_required_item_so_it_is_not_missing() -> None:
    q = one_item(type="string", required=True, initial=[{"valueString": "Oslo"}])
    form = fill_form(q, {})
    assert form.answers == {"q": ["Oslo"]}
    assert messages(q, {"q": None}) == [("q", "Du må fylle ut dette feltet.")]
    assert fill_form(q, {"q": "Bergen"}).answers == {"q": ["Bergen"]}


def test_an_initial_selected_option_is_the_answer_until_the_patient_chooses_another() -> None:
    q = one_item(
        type="choice",
        answerOption=[
            {"valueCoding": {"code": "ja", "display": "Ja"}, "initialSelected": True},
            {"valueCoding": {"code": "nei", "display": "Nei"}},
        ],
    )
    assert [o.code for o in fill_form(q, {}).answers["q"]] == ["ja"]
    assert [o.code for o in fill_form(q, {"q": "nei"}).answers["q"]] == ["nei"]


def test_a_read_only_item_keeps_its_initial_value_in_the_answers() -> None:
    q = one_item(type="integer", readOnly=True, initial=[{"valueInteger": 3}])
    assert fill_form(q, {}).answers == {"q": [3]}


VALIDATION_TEXT = "http://ehelse.no/fhir/StructureDefinition/validationtext"


@pytest.mark.parametrize(
    ("item", "answer"),
    [
        ({"type": "string", "maxLength": 3}, "abcd"),
        ({"type": "integer", "extension": [{"url": EXT + "minValue", "valueInteger": 5}]}, "2"),
        ({"type": "integer", "extension": [{"url": EXT + "maxValue", "valueInteger": 5}]}, "9"),
        (
            {
                "type": "decimal",
                "extension": [{"url": EXT + "maxDecimalPlaces", "valueInteger": 1}],
            },
            "1,25",
        ),
        (
            {"type": "date", "extension": [{"url": EXT + "maxValue", "valueDate": "2020-01-01"}]},
            "02.01.2020",
        ),
        (
            {"type": "date", "extension": [{"url": EXT + "minValue", "valueDate": "2020-01-01"}]},
            "31.12.2019",
        ),
        ({"type": "integer"}, "to"),
        ({"type": "date"}, "i går"),
    ],
)
def test_the_forms_own_validation_text_replaces_the_engines_message_for_every_rule(
    item: dict[str, Any], answer: str
) -> None:
    own = {"url": VALIDATION_TEXT, "valueString": "Skjemaets egen tekst."}
    q = one_item(**{**item, "extension": [*item.get("extension", []), own]})
    assert messages(q, {"q": answer}) == [("q", "Skjemaets egen tekst.")]


def test_a_choice_outside_the_options_keeps_the_engines_message_despite_a_validation_text() -> None:
    own = {"url": VALIDATION_TEXT, "valueString": "Skjemaets egen tekst."}
    q = one_item(type="choice", answerOption=[{"valueCoding": {"code": "a"}}], extension=[own])
    assert messages(q, {"q": "b"}) == [("q", "«b» er ikke et av svaralternativene.")]


def test_a_regex_python_cannot_read_is_named_by_form_check_instead_of_accepting_silently() -> None:
    q = one_item(type="string", extension=[{"url": EXT + "regex", "valueString": "(?<=x"}])
    assert any("regex" in w and "«q»" in w for w in q.warnings)


def test_min_occurs_asks_for_more_answers_on_a_repeating_item() -> None:
    q = one_item(
        type="string",
        repeats=True,
        extension=[{"url": EXT + "questionnaire-minOccurs", "valueInteger": 2}],
    )
    assert messages(q, {"q": ["a"]}) == [("q", "Du må gi minst 2 svar.")]
    assert messages(q, {"q": ["a", "b"]}) == []


def test_a_code_from_a_value_set_outside_the_form_is_accepted_only_with_a_note() -> None:
    q = one_item(type="choice", answerValueSet="http://example.org/ValueSet/ukjent")
    assert any("kan ikke kontrolleres" in w for w in q.warnings)
    form = fill_form(q, {"q": "X1"})
    assert form.notes == [
        "Koden «X1» på «q» kunne ikke kontrolleres: svaralternativene "
        "«http://example.org/ValueSet/ukjent» finnes ikke i skjemaet."
    ]
