"""A small built-in office with the seed's "Beskriv symptomene dine" form, for demos and tests."""

from __future__ import annotations

from typing import Any

from helsetilbud.catalog import AREAS, CATALOG, TRIAGE_SERVICES
from helsetilbud.snapshot import GpState, OfficeSnapshot, ToolRef


def _coding(code: str, display: str) -> dict[str, Any]:
    return {"valueCoding": {"system": "urn:helsetilbud:eksempel", "code": code, "display": display}}


SYMPTOMS = (
    "Hoste", "Feber", "Sår hals", "Hodepine", "Tett eller rennende nese", "Muskelsmerter",
    "Tungpust", "Magesmerter/kvalme/diaré", "Tap av smaks- eller luktesans", "Andre",
)  # fmt: skip
CONDITION = (
    "Som vanlig",
    "Er mer sliten enn vanlig, men er for det meste oppe",
    "Trenger mye hvile, men er oppe innimellom",
    "Er sengeliggende og trenger noe hjelp",
    "Er sengeliggende og trenger hjelp til det meste",
)
CHECK_BOX = {
    "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
    "valueCodeableConcept": {
        "coding": [{"system": "http://hl7.org/fhir/ValueSet/questionnaire-item-control",
                    "code": "check-box"}]
    },
}  # fmt: skip

BESKRIV_SYMPTOMENE: dict[str, Any] = {
    "resourceType": "Questionnaire",
    "id": "beskriv-symptomene-dine",
    "status": "active",
    "language": "nb-NO",
    "title": "Beskriv symptomene dine",
    "item": [
        {"linkId": "1", "type": "text", "text": "Hva gjelder henvendelsen?", "required": True,
         "maxLength": 300},
        {"linkId": "2", "type": "choice", "repeats": True, "extension": [CHECK_BOX],
         "text": "Hvilke symptomer har du hatt i løpet av de siste syv dagene?",
         "answerOption": [_coding(str(i), s) for i, s in enumerate(SYMPTOMS, 1)]},
        {"linkId": "3", "type": "date", "text": "Hvilken dag fikk du symptomene?",
         "enableWhen": [{"question": "2", "operator": "exists", "answerBoolean": True}]},
        {"linkId": "4", "type": "choice", "text": "Hvordan er formen din i dag?",
         "answerOption": [_coding(str(i), s) for i, s in enumerate(CONDITION, 1)]},
    ],
}  # fmt: skip


def example_tool() -> ToolRef:
    return ToolRef(
        "beskriv-symptomene-dine",
        "Beskriv symptomene dine",
        "kontrollsporsmal",
        False,
        "Hjelper pasienten å beskrive situasjonen sin",
        BESKRIV_SYMPTOMENE,
    )


def example_snapshot() -> OfficeSnapshot:
    """Storgata legesenter: GP Jacob with all four services on, a form on e-konsultasjon."""
    texts = {area: "" for area in AREAS}
    texts["helsekontakt"] = "Vi har ferie i uke 29. Ring 22 00 00 00 ved spørsmål."
    texts["e_konsultasjon"] = "Svar på e-konsultasjoner kommer vanligvis innen to arbeidsdager."
    tools: dict[str, ToolRef | None] = {service: None for service in TRIAGE_SERVICES}
    tools["e_konsultasjon"] = example_tool()
    on = {slug: True for slug in CATALOG.patient_slugs}
    return OfficeSnapshot(
        her_id="999001",
        name="Storgata legesenter",
        address="Storgata 1",
        postal_code="0155",
        postal_place="OSLO",
        fylke="Oslo",
        texts=texts,
        text_versions={area: 1 for area in AREAS},
        tools=tools,
        tool_versions={service: 1 for service in TRIAGE_SERVICES},
        gps=(GpState("9000001", "Jacob Lie", on),),
    )
