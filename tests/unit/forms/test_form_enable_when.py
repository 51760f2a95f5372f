"""enableWhen by the FHIR R4 rules: operators, any/all, chains, dropped answers."""

from __future__ import annotations

from typing import Any

import pytest

from helsetilbud.forms import build_response, enabled_items, evaluate_answers, parse_questionnaire

CODE_SYSTEM = "urn:test:farger"


def form_with(source_type: str, condition: dict[str, Any], **extra: Any) -> Any:
    source: dict[str, Any] = {"linkId": "a", "type": source_type, "text": "Kilde", "repeats": True}
    if source_type == "choice":
        source["answerOption"] = [
            {"valueCoding": {"system": CODE_SYSTEM, "code": c, "display": c.title()}}
            for c in ("rod", "bla", "gronn")
        ]
    target = {"linkId": "b", "type": "string", "text": "Mål", "enableWhen": [condition], **extra}
    return parse_questionnaire(
        {"resourceType": "Questionnaire", "status": "active", "item": [source, target]}
    )


def shown(q: Any, answers: dict[str, Any]) -> bool:
    return "b" in evaluate_answers(q, answers).enabled


OPERATOR_CASES = [
    ("integer", "=", {"answerInteger": 5}, 5, True),
    ("integer", "=", {"answerInteger": 5}, 6, False),
    ("integer", "!=", {"answerInteger": 5}, 6, True),
    ("integer", "!=", {"answerInteger": 5}, 5, False),
    ("integer", ">", {"answerInteger": 5}, 6, True),
    ("integer", ">", {"answerInteger": 5}, 5, False),
    ("integer", "<", {"answerInteger": 5}, 4, True),
    ("integer", "<", {"answerInteger": 5}, 5, False),
    ("integer", ">=", {"answerInteger": 5}, 5, True),
    ("integer", ">=", {"answerInteger": 5}, 4, False),
    ("integer", "<=", {"answerInteger": 5}, 5, True),
    ("integer", "<=", {"answerInteger": 5}, 6, False),
    ("decimal", ">=", {"answerDecimal": 38.5}, "38,5", True),
    ("decimal", "<", {"answerDecimal": 38.5}, "38,4", True),
    ("date", ">", {"answerDate": "2022-01-01"}, "02.01.2022", True),
    ("date", "<=", {"answerDate": "2022-01-01"}, "02.01.2022", False),
    ("time", "<", {"answerTime": "12:00:00"}, "11:59", True),
    ("string", "=", {"answerString": "ja"}, "ja", True),
    ("string", "!=", {"answerString": "ja"}, "nei", True),
    ("boolean", "=", {"answerBoolean": True}, True, True),
    ("boolean", "=", {"answerBoolean": True}, False, False),
    ("choice", "=", {"answerCoding": {"system": CODE_SYSTEM, "code": "bla"}}, "bla", True),
    ("choice", "=", {"answerCoding": {"system": CODE_SYSTEM, "code": "bla"}}, "rod", False),
    ("choice", "!=", {"answerCoding": {"system": CODE_SYSTEM, "code": "bla"}}, "rod", True),
    ("choice", "=", {"answerCoding": {"system": "urn:annet", "code": "bla"}}, "bla", False),
]


@pytest.mark.parametrize(("kind", "operator", "expected", "answer", "enabled"), OPERATOR_CASES)
def test_each_operator_follows_the_fhir_rule(kind, operator, expected, answer, enabled) -> None:
    q = form_with(kind, {"question": "a", "operator": operator, **expected})
    assert shown(q, {"a": answer}) is enabled


def test_equals_holds_when_any_of_several_answers_matches() -> None:
    q = form_with("choice", {"question": "a", "operator": "=", "answerCoding": {"code": "bla"}})
    assert shown(q, {"a": ["rod", "bla"]})


def test_not_equals_fails_when_any_of_several_answers_matches() -> None:
    q = form_with("choice", {"question": "a", "operator": "!=", "answerCoding": {"code": "bla"}})
    assert not shown(q, {"a": ["rod", "bla"]})


@pytest.mark.parametrize(
    ("wanted", "answers", "enabled"),
    [
        (True, {"a": "noe"}, True),
        (True, {}, False),
        (False, {}, True),
        (False, {"a": "noe"}, False),
    ],
)
def test_exists_compares_whether_the_question_is_answered(wanted, answers, enabled) -> None:
    q = form_with("string", {"question": "a", "operator": "exists", "answerBoolean": wanted})
    assert shown(q, answers) is enabled


def test_an_unanswered_question_enables_nothing_but_not_equals() -> None:
    equals = form_with("integer", {"question": "a", "operator": "=", "answerInteger": 1})
    greater = form_with("integer", {"question": "a", "operator": ">", "answerInteger": 1})
    differs = form_with("integer", {"question": "a", "operator": "!=", "answerInteger": 1})
    assert (shown(equals, {}), shown(greater, {}), shown(differs, {})) == (False, False, True)


def two_conditions(behavior: str | None) -> Any:
    items: list[dict[str, Any]] = [
        {"linkId": "x", "type": "boolean"},
        {"linkId": "y", "type": "boolean"},
        {
            "linkId": "b",
            "type": "string",
            "enableWhen": [
                {"question": "x", "operator": "=", "answerBoolean": True},
                {"question": "y", "operator": "=", "answerBoolean": True},
            ],
        },
    ]
    if behavior:
        items[2]["enableBehavior"] = behavior
    return parse_questionnaire({"resourceType": "Questionnaire", "status": "active", "item": items})


@pytest.mark.parametrize(
    ("behavior", "x", "y", "enabled"),
    [
        ("all", True, True, True),
        ("all", True, False, False),
        ("any", True, False, True),
        ("any", False, False, False),
        (None, True, False, False),
        (None, True, True, True),
    ],
)
def test_enable_behavior_any_or_all_with_all_as_default(behavior, x, y, enabled) -> None:
    assert shown(two_conditions(behavior), {"x": x, "y": y}) is enabled


def chain() -> Any:
    return parse_questionnaire(
        {
            "resourceType": "Questionnaire",
            "status": "active",
            "item": [
                {"linkId": "A", "type": "boolean", "text": "A"},
                {
                    "linkId": "B",
                    "type": "boolean",
                    "text": "B",
                    "enableWhen": [{"question": "A", "operator": "=", "answerBoolean": True}],
                },
                {
                    "linkId": "C",
                    "type": "string",
                    "text": "C",
                    "enableWhen": [{"question": "B", "operator": "=", "answerBoolean": True}],
                },
            ],
        }
    )


def test_a_chain_a_enables_b_enables_c() -> None:
    q = chain()
    assert enabled_items(q, {"A": [True], "B": [True]}) >= {"A", "B", "C"}


def test_when_a_disables_b_c_is_disabled_even_if_b_kept_an_answer() -> None:
    q = chain()
    assert enabled_items(q, {"A": [False], "B": [True]}) == frozenset({"A"})


def test_answers_of_disabled_items_are_dropped_from_the_response() -> None:
    q = chain()
    form = evaluate_answers(q, {"A": False, "B": True, "C": "skal bort"})
    assert form.problems == []
    response = build_response(form)
    assert [item["linkId"] for item in response["item"]] == ["A"]


def test_invalid_answers_of_disabled_items_are_not_errors() -> None:
    q = chain()
    assert evaluate_answers(q, {"A": False, "B": "ikke et svar"}).problems == []


def test_children_of_a_disabled_group_are_disabled() -> None:
    q = parse_questionnaire(
        {
            "resourceType": "Questionnaire",
            "status": "active",
            "item": [
                {"linkId": "ja", "type": "boolean"},
                {
                    "linkId": "g",
                    "type": "group",
                    "enableWhen": [{"question": "ja", "operator": "=", "answerBoolean": True}],
                    "item": [{"linkId": "inni", "type": "string", "required": True}],
                },
            ],
        }
    )
    assert "inni" not in enabled_items(q, {"ja": [False]})
    assert evaluate_answers(q, {"ja": False}).problems == []
    assert [p.link_id for p in evaluate_answers(q, {"ja": True}).problems] == ["inni"]


def test_the_refero_checkbox_condition_enables_the_free_text(examples_dir) -> None:
    from helsetilbud.forms import load_questionnaire

    q = load_questionnaire(examples_dir / "refero" / "enableWhen.json")
    assert "9_2" in evaluate_answers(q, {"9_1": ["2", "18"]}).enabled
    assert "9_2" not in evaluate_answers(q, {"9_1": ["2"]}).enabled


def test_a_condition_cycle_disables_instead_of_looping() -> None:
    q = parse_questionnaire(
        {
            "resourceType": "Questionnaire",
            "status": "active",
            "item": [
                {
                    "linkId": "p",
                    "type": "string",
                    "enableWhen": [{"question": "r", "operator": "exists", "answerBoolean": True}],
                },
                {
                    "linkId": "r",
                    "type": "string",
                    "enableWhen": [{"question": "p", "operator": "exists", "answerBoolean": True}],
                },
            ],
        }
    )
    assert enabled_items(q, {"p": ["x"], "r": ["y"]}) == frozenset()


def ring_form(first: str, second: str) -> Any:
    def question(link_id: str, other: str) -> dict[str, Any]:
        return {
            "linkId": link_id,
            "type": "boolean",
            "text": link_id,
            "enableWhen": [{"question": other, "operator": "exists", "answerBoolean": False}],
        }

    return parse_questionnaire(
        {
            "resourceType": "Questionnaire",
            "status": "active",
            "item": [question(first, second), question(second, first)],
        }
    )


def test_items_enabling_each_other_in_a_ring_are_never_shown_whatever_their_order() -> None:
    for q in (ring_form("a", "b"), ring_form("b", "a")):
        assert enabled_items(q, {}) == frozenset()
        assert enabled_items(q, {"a": [True]}) == frozenset()


def test_form_check_names_the_items_of_an_enable_when_ring() -> None:
    q = ring_form("a", "b")
    assert (
        "Betingelsene (enableWhen) på «a» og «b» avhenger av hverandre i ring; "
        "elementene vises aldri."
    ) in q.warnings


def test_a_group_whose_condition_is_on_its_own_child_is_a_ring_and_never_shown() -> None:
    q = parse_questionnaire(
        {
            "resourceType": "Questionnaire",
            "status": "active",
            "item": [
                {
                    "linkId": "g",
                    "type": "group",
                    "text": "Gruppe",
                    "enableWhen": [
                        {"question": "barn", "operator": "exists", "answerBoolean": True}
                    ],
                    "item": [{"linkId": "barn", "type": "string", "text": "Barn"}],
                }
            ],
        }
    )
    assert enabled_items(q, {"barn": ["x"]}) == frozenset()
    assert any("«g» og «barn»" in w for w in q.warnings)
