"""The tools an office may choose in front of a service: published, allowed, standard first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helsetilbud.access import load_identity
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.errors import ValidationError
from helsetilbud.model import TriageTool
from helsetilbud.tool_catalog import add_tool, allowed_tools
from tests.builders import SmallCountry

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "data" / "questionnaires"


def ids(factory: SessionFactory, service: str) -> list[str]:
    with factory() as session:
        return [tool.id for tool in allowed_tools(session, service)]


def test_standard_tools_come_first_then_the_others_by_title(
    factory: SessionFactory, country: SmallCountry
) -> None:
    form = json.loads((QUESTIONNAIRES / "beskriv-symptomene-dine.json").read_text("utf-8"))
    form["title"] = "Allergi og astma"  # sorts before "Beskriv …", after every standard tool
    with transaction(factory) as session:
        admin = load_identity(session, country.admin)
        assert admin is not None
        add_tool(session, admin, form, kind="sjekkpunkt", services=["e_konsultasjon"])
    assert ids(factory, "e_konsultasjon") == [
        "standard-sjekkpunkt",
        "allergi-og-astma",
        "beskriv-symptomene-dine",
    ]
    assert ids(factory, "e_kontakt") == ["standard-sjekkpunkt"]


def test_only_published_tools_allowed_for_the_service_are_offered(
    factory: SessionFactory, country: SmallCountry
) -> None:
    assert ids(factory, "reseptfornyelse") == ["forny-resept"]
    with transaction(factory) as session:
        tool = session.get(TriageTool, "forny-resept")
        assert tool is not None
        tool.status = "retired"
    assert ids(factory, "reseptfornyelse") == []


def test_an_unknown_service_is_refused_in_norwegian(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with factory() as session, pytest.raises(ValidationError, match="Ukjent tjeneste"):
        allowed_tools(session, "tannlege")
