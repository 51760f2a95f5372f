"""The catalogue's triage tools are real FHIR R4 Questionnaires the engine can use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire

from helsetilbud.forms import load_questionnaire

TOOLS = {
    "veiledning-timebestilling": "Veiledning før timebestilling",
    "forny-resept": "Forny resept",
    "koronatest-symptomkartlegging": "Koronatest 2 - Symptomkartlegging",
    "koronavaksine-egenerklaering": "Koronavaksine 1 - Egenerklæring",
    "kontrollsporsmal-labtime": "Kontrollspørsmål labtime",
    "standard-sjekkpunkt": "Standard - sjekkpunkt",
    "beskriv-symptomene-dine": "Beskriv symptomene dine",
}


@pytest.mark.parametrize("tool_id", sorted(TOOLS))
def test_each_catalogue_tool_loads_without_warnings(catalogue_dir: Path, tool_id: str) -> None:
    q = load_questionnaire(catalogue_dir / f"{tool_id}.json")
    assert (q.id, q.title, q.status, q.language) == (tool_id, TOOLS[tool_id], "active", "nb-NO")
    assert q.url and q.version and q.name
    assert q.warnings == []


@pytest.mark.parametrize("tool_id", sorted(TOOLS))
def test_each_catalogue_tool_is_valid_fhir_r4b(catalogue_dir: Path, tool_id: str) -> None:
    data = json.loads((catalogue_dir / f"{tool_id}.json").read_text(encoding="utf-8"))
    FhirQuestionnaire.model_validate(data)


def test_the_catalogue_has_exactly_the_seed_tools(catalogue_dir: Path) -> None:
    assert sorted(p.stem for p in catalogue_dir.glob("*.json")) == sorted(TOOLS)


def test_beskriv_symptomene_dine_is_the_form_the_seed_shows(catalogue_dir: Path) -> None:
    q = load_questionnaire(catalogue_dir / "beskriv-symptomene-dine.json")
    inquiry, symptoms = q.item("henvendelse"), q.item("symptomer")
    day, condition = q.item("symptomdato"), q.item("formen")
    assert inquiry and symptoms and day and condition
    assert (inquiry.text, inquiry.type, inquiry.max_length, inquiry.required) == (
        "Hva gjelder henvendelsen?",
        "text",
        300,
        True,
    )
    assert symptoms.text == "Hvilke symptomer har du hatt i løpet av de siste syv dagene?"
    assert symptoms.repeats and symptoms.item_control == "check-box"
    assert [o.display for o in symptoms.options] == [
        "Hoste",
        "Feber",
        "Sår hals",
        "Hodepine",
        "Tett eller rennende nese",
        "Muskelsmerter",
        "Tungpust",
        "Magesmerter/kvalme/diaré",
        "Tap av smaks- eller luktesans",
        "Andre",
    ]
    assert (day.text, day.type) == ("Hvilken dag fikk du symptomene?", "date")
    assert condition.text == "Hvordan er formen din i dag?"
    assert condition.item_control == "radio-button"
    assert [o.display for o in condition.options] == [
        "Som vanlig",
        "Er mer sliten enn vanlig, men er for det meste oppe",
        "Trenger mye hvile, men er oppe innimellom",
        "Er sengeliggende og trenger noe hjelp",
        "Er sengeliggende og trenger hjelp til det meste",
    ]
