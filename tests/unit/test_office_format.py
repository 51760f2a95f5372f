"""The published JSON schema of the office format agrees with the catalogue and with export."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from helsetilbud.catalog import AREAS, PATIENT_SERVICES, TRIAGE_SERVICES
from helsetilbud.office_format import document_problems, schema


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(schema())


def test_the_schema_names_exactly_the_catalogues_areas_services_and_switches() -> None:
    properties = schema()["properties"]
    gp = schema()["$defs"]["gp"]["properties"]
    assert list(properties["info_texts"]["properties"]) == list(AREAS)
    assert list(properties["triage"]["properties"]) == list(TRIAGE_SERVICES)
    assert list(gp["services"]["properties"]) == list(PATIENT_SERVICES)


def test_true_and_false_are_not_versions_and_one_point_zero_is_not_an_integer() -> None:
    doc = {
        "format": "helsetilbud.office/1",
        "her_id": "100001",
        "info_texts": {"helsekontakt": {"text": "", "version": True}},
        "triage": {"e_kontakt": {"tool": None, "version": 1.0}},
    }
    assert document_problems(doc) == [
        "«info_texts.helsekontakt.version» må være et heltall, ikke true.",
        "«triage.e_kontakt.version» må være et heltall, ikke et desimaltall.",
    ]


def test_every_missing_part_is_named() -> None:
    assert document_problems({"gps": [{"services": {}}]}) == [
        "legekontoret mangler «format» og «her_id».",
        "fastlege nr. 1 i «gps» mangler «hpr» og «version».",
    ]
