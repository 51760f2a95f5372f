"""Repeating groups (FHIR R4 `repeats` on a group): instances, their answers and their rules."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from helsetilbud.forms import build_response, evaluate_answers, parse_questionnaire, render_pdf

EXT = "http://hl7.org/fhir/StructureDefinition/"


def children_form(**group: Any) -> Any:
    """A form with a repeating group «barn» (name required, allergy only when «har» is ja)."""
    return parse_questionnaire(
        {
            "resourceType": "Questionnaire",
            "status": "active",
            "title": "Barn",
            "item": [
                {"linkId": "forelder", "type": "string", "text": "Ditt navn"},
                {
                    "linkId": "barn",
                    "type": "group",
                    "text": "Barn",
                    "repeats": True,
                    **group,
                    "item": [
                        {"linkId": "navn", "type": "string", "text": "Navn", "required": True},
                        {"linkId": "har", "type": "boolean", "text": "Har allergi"},
                        {
                            "linkId": "allergi",
                            "type": "string",
                            "text": "Hvilken allergi",
                            "required": True,
                            "enableWhen": [
                                {"question": "har", "operator": "=", "answerBoolean": True}
                            ],
                        },
                    ],
                },
                {
                    "linkId": "lege",
                    "type": "string",
                    "text": "Har noen av barna fått hjelp?",
                    "enableWhen": [{"question": "har", "operator": "=", "answerBoolean": True}],
                },
            ],
        }
    )


def test_three_instances_are_three_response_items_with_the_same_link_id() -> None:
    q = children_form()
    raw = {
        "barn": [
            {"navn": "Ola"},
            {"navn": "Kari", "har": "ja", "allergi": "nøtter"},
            {"navn": "Per"},
        ]
    }
    filled = evaluate_answers(q, raw)
    assert filled.problems == []
    items = build_response(filled)["item"]
    groups = [i for i in items if i["linkId"] == "barn"]
    assert len(groups) == 3
    names = [g["item"][0]["answer"][0]["valueString"] for g in groups]
    assert names == ["Ola", "Kari", "Per"]
    assert [c["linkId"] for c in groups[1]["item"]] == ["navn", "har", "allergi"]


def test_enable_when_is_evaluated_within_each_instance() -> None:
    q = children_form()
    filled = evaluate_answers(q, {"barn": [{"navn": "Ola", "har": "ja"}, {"navn": "Kari"}]})
    first, second = filled.instances["barn"]
    assert "allergi" in first.enabled and "allergi" not in second.enabled
    assert [(p.link_id, p.instance) for p in filled.problems] == [("allergi", (0,))]


def test_each_instance_is_validated_and_the_problem_names_its_number() -> None:
    q = children_form()
    filled = evaluate_answers(q, {"barn": [{"navn": "Ola"}, {"har": "nei"}]})
    assert [str(p) for p in filled.problems] == ["navn (nr. 2): Du må fylle ut dette feltet."]


def test_a_condition_outside_the_group_holds_when_any_instance_meets_it() -> None:
    q = children_form()
    assert "lege" not in evaluate_answers(q, {"barn": [{"navn": "Ola"}]}).enabled
    both = {"barn": [{"navn": "Ola"}, {"navn": "Kari", "har": "ja", "allergi": "egg"}]}
    assert "lege" in evaluate_answers(q, both).enabled


def test_max_occurs_on_a_group_refuses_one_instance_too_many() -> None:
    q = children_form(extension=[{"url": EXT + "questionnaire-maxOccurs", "valueInteger": 2}])
    three = {"barn": [{"navn": "A"}, {"navn": "B"}, {"navn": "C"}]}
    problems = evaluate_answers(q, three).problems
    assert [(p.link_id, p.message) for p in problems] == [
        ("barn", "Du kan fylle ut denne delen høyst 2 ganger.")
    ]
    assert evaluate_answers(q, {"barn": three["barn"][:2]}).problems == []


def test_min_occurs_on_a_required_group_asks_for_more_instances() -> None:
    q = children_form(
        required=True, extension=[{"url": EXT + "questionnaire-minOccurs", "valueInteger": 2}]
    )
    problems = evaluate_answers(q, {"barn": [{"navn": "A"}]}).problems
    assert [p.message for p in problems] == ["Du må fylle ut denne delen minst 2 ganger."]
    assert evaluate_answers(q, {"barn": [{"navn": "A"}, {"navn": "B"}]}).problems == []


def test_answers_given_without_a_list_are_the_groups_first_instance() -> None:
    q = children_form()
    filled = evaluate_answers(q, {"navn": "Ola", "forelder": "Mor"})
    assert filled.problems == []
    assert [f.answers for f in filled.instances["barn"]] == [{"navn": ["Ola"]}]


def test_an_answer_for_an_item_outside_the_group_inside_an_instance_is_refused() -> None:
    q = children_form()
    problems = evaluate_answers(q, {"barn": [{"navn": "Ola", "forelder": "Mor"}]}).problems
    assert [str(p) for p in problems] == [
        "forelder (nr. 1): Elementet hører ikke til gruppen «barn»."
    ]


def test_a_group_answer_that_is_not_a_list_of_objects_is_refused() -> None:
    q = children_form()
    problems = evaluate_answers(q, {"barn": ["Ola", "Kari"]}).problems
    assert problems[0].link_id == "barn"
    assert "en liste med ett JSON-objekt" in problems[0].message


def test_a_calculated_item_in_an_instance_sees_that_instances_answers() -> None:
    calc = {
        "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
        "valueExpression": {
            "language": "text/fhirpath",
            "expression": "%resource.repeat(item).where(linkId='kg').answer.value * 2",
        },
    }
    q = parse_questionnaire(
        {
            "resourceType": "Questionnaire",
            "status": "active",
            "item": [
                {
                    "linkId": "m",
                    "type": "group",
                    "repeats": True,
                    "item": [
                        {"linkId": "kg", "type": "integer", "text": "Kg"},
                        {
                            "linkId": "dobbel",
                            "type": "integer",
                            "readOnly": True,
                            "extension": [calc],
                        },
                    ],
                }
            ],
        }
    )
    filled = evaluate_answers(q, {"m": [{"kg": "2"}, {"kg": "5"}]})
    assert [f.answers["dobbel"] for f in filled.instances["m"]] == [[4], [10]]
    assert filled.notes == []


def test_the_pdf_lists_each_instance_under_a_numbered_heading() -> None:
    q = children_form()
    filled = evaluate_answers(q, {"barn": [{"navn": "Ola"}, {"navn": "Kari"}]})
    assert filled.problems == []
    document = render_pdf(filled)
    assert document.content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(document.content)).pages[0].extract_text()
    assert "Barn (1)" in text and "Barn (2)" in text and "Kari" in text
