"""Each refero validation fixture filled with valid and with invalid answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helsetilbud.forms import (
    build_response,
    evaluate_answers,
    load_questionnaire,
    response_problems,
)

BOOL_A, BOOL_B = "2e0e05da-366a-4999-91ed-73f287272993", "746e8e69-40b7-4b25-85e8-d738f0184142"
CHOICE_A, CHOICE_B = "94f65769-6303-4ef4-9a9f-77a2a7c3b8fd", "6ee016c0-5001-433a-8647-eabe8142f3c2"
ONE, TWO = "fe12296c-0b13-4bc2-867d-c1e364cf40c8", "1c5001d5-07f0-41e0-8b7d-0ead16d437f2"
STR_A, STR_B = "603b7538-c67b-4775-8648-fb3c25dba2aa", "de3421e9-a101-4b59-f1eb-f50dccb65a5c"
TEXT_A, TEXT_B = "c0a26008-e3f9-4ca6-adfd-a17d821ba882", "be3202b4-f206-4580-84e7-f566211c7bb4"
VISUAL_CHOICE = "4d994353-406c-418f-8e62-219e0094302e"
VISUAL_OPEN = "065f139b-11b5-4235-96a1-cd9e605a26a0"

VALID: dict[str, dict[str, Any]] = {
    "qBoolean.json": {BOOL_A: True, BOOL_B: "nei"},
    "qChoiceCheckbox.json": {CHOICE_A: ["1", "3"], CHOICE_B: "2"},
    "qChoiceRadio.json": {CHOICE_A: "1", CHOICE_B: "Vet ikke"},
    "qDateDay.json": {ONE: "31.05.1994", TWO: "1994-05-31"},
    "qDecimal.json": {ONE: "2,25", TWO: 2.2},
    "qInteger.json": {ONE: 5, TWO: "-12"},
    "qString.json": {STR_A: "Dette er skrevet inn", STR_B: "Blåbær og rømme"},
    "qText.json": {TEXT_A: "Lang tekst\nover to linjer", TEXT_B: "Preutfylt"},
    "enableWhen.json": {"9_1": ["2", "18"], "9_2": "Pollenallergi, eksem"},
    "visual-components.json": {VISUAL_CHOICE: "2", VISUAL_OPEN: ["ja", "Noe helt annet"]},
}

INVALID: dict[str, tuple[dict[str, Any], str, str]] = {
    "qBoolean.json": ({BOOL_A: "kanskje", BOOL_B: True}, BOOL_A, "Svaret må være ja eller nei."),
    "qChoiceCheckbox.json": (
        {CHOICE_A: "9", CHOICE_B: "2"},
        CHOICE_A,
        "«9» er ikke et av svaralternativene.",
    ),
    "qChoiceRadio.json": (
        {CHOICE_A: ["1", "2"], CHOICE_B: "2"},
        CHOICE_A,
        "Du kan bare velge ett alternativ.",
    ),
    "qDateDay.json": (
        {ONE: "31/05/1994", TWO: "30.02.2022"},
        ONE,
        "Dato skal ha format dd.mm.åååå.",
    ),
    "qDecimal.json": (
        {ONE: "2,255", TWO: 1},
        ONE,
        "Du kan ikke skrive mer enn 2 desimaler.",
    ),
    "qInteger.json": ({ONE: "5,5", TWO: 1}, ONE, "Du må skrive et heltall."),
    "qString.json": ({STR_A: "Noe"}, STR_B, "Du må fylle ut dette feltet."),
    "qText.json": ({TEXT_B: "   "}, TEXT_A, "Du må fylle ut dette feltet."),
    "enableWhen.json": (
        {"9_1": "18", "9_2": "<script>"},
        "9_2",
        "Du må fylle ut dette feltet med kun tall og bokstaver",
    ),
    "visual-components.json": (
        {VISUAL_CHOICE: "Noe helt annet"},
        VISUAL_CHOICE,
        "«Noe helt annet» er ikke et av svaralternativene.",
    ),
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_refero_fixture_filled_with_valid_answers_gives_a_valid_response(
    examples_dir: Path, name: str
) -> None:
    q = load_questionnaire(examples_dir / "refero" / name)
    form = evaluate_answers(q, VALID[name])
    assert form.problems == []
    response = build_response(form)
    assert response_problems(response) == []
    answered = {item["linkId"] for item in _walk(response["item"]) if "answer" in item}
    assert answered == set(VALID[name])


@pytest.mark.parametrize("name", sorted(INVALID))
def test_refero_fixture_filled_with_invalid_answers_gives_the_norwegian_error(
    examples_dir: Path, name: str
) -> None:
    answers, link_id, message = INVALID[name]
    q = load_questionnaire(examples_dir / "refero" / name)
    problems = evaluate_answers(q, answers).problems
    assert (link_id, message) in [(p.link_id, p.message) for p in problems]


def test_a_date_that_does_not_exist_is_refused(examples_dir: Path) -> None:
    q = load_questionnaire(examples_dir / "refero" / "qDateDay.json")
    problems = evaluate_answers(q, {ONE: "01.01.2020", TWO: "30.02.2022"}).problems
    assert [(p.link_id, p.message) for p in problems] == [(TWO, "Dato skal ha format dd.mm.åååå.")]


def test_a_required_checkbox_uses_the_forms_validation_text(examples_dir: Path) -> None:
    q = load_questionnaire(examples_dir / "refero" / "enableWhen.json")
    problems = evaluate_answers(q, {}).problems
    assert [(p.link_id, p.message) for p in problems] == [
        ("9_1", "Du må velge minst ett av alternativene")
    ]


def _walk(items: list[dict]) -> list[dict]:
    found = []
    for item in items:
        found.append(item)
        found += _walk(item.get("item", []))
        for answer in item.get("answer", []):
            found += _walk(answer.get("item", []))
    return found
