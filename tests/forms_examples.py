"""Questionnaires the tests share: one form with the rules real Helsenorge forms use."""

from __future__ import annotations


def rules_form() -> dict:
    """A calculated total (A + B, B prefilled with 2), a date of birth that may not be after
    today (Helsenorge's sdf-maxvalue), a weight in kg and a multiple choice."""
    sdc = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
    total = (
        "%resource.item.where(linkId='a' or linkId='b').answer.value.aggregate($this + $total, 0)"
    )
    unit = {"system": "http://unitsofmeasure.org", "code": "kg", "display": "kg"}
    return {
        "resourceType": "Questionnaire",
        "status": "active",
        "title": "Regler",
        "item": [
            {"linkId": "a", "type": "integer", "text": "A"},
            {"linkId": "b", "type": "integer", "text": "B", "initial": [{"valueInteger": 2}]},
            {
                "linkId": "sum",
                "type": "integer",
                "text": "Sum",
                "readOnly": True,
                "extension": [
                    {
                        "url": sdc + "sdc-questionnaire-calculatedExpression",
                        "valueExpression": {"language": "text/fhirpath", "expression": total},
                    }
                ],
            },
            {
                "linkId": "født",
                "type": "date",
                "text": "Fødselsdato",
                "extension": [
                    {
                        "url": "http://ehelse.no/fhir/StructureDefinition/sdf-maxvalue",
                        "valueString": "today()",
                    }
                ],
            },
            {
                "linkId": "vekt",
                "type": "quantity",
                "text": "Vekt",
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
                        "valueCoding": unit,
                    }
                ],
            },
            {
                "linkId": "farge",
                "type": "choice",
                "text": "Farger",
                "repeats": True,
                "answerOption": [{"valueCoding": {"code": "r", "display": "Rød"}}],
            },
        ],
    }
