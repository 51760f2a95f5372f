"""Following a roll-out over time: offices per tool version per month, who moved, who went back."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.analytics.tool_versions import tool_returns, tool_version_adoption
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.errors import ValidationError
from helsetilbud.model import Office, ToolAssignment
from helsetilbud.tool_catalog import publish_version, rollout
from tests.builders import SmallCountry

REPO = Path(__file__).resolve().parents[2]
SERVICE = "e_konsultasjon"
NEW, OLD = "beskriv-symptomene-dine", "standard-sjekkpunkt"
TODAY = date(2026, 6, 15)


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=UTC)


def choose(factory: SessionFactory, login: str, her_id: str, tool: str, when: datetime) -> None:
    with transaction(factory) as s:
        office = s.scalar(select(Office).where(Office.her_id == her_id))
        row = s.scalar(select(ToolAssignment).filter_by(office_id=office.id, service=SERVICE))
        identity = load_identity(s, login)
        editing.set_tool(s, identity, her_id, SERVICE, tool, row.version, now=when)


def roll(factory: SessionFactory, login: str, from_tool: str, to_tool: str, when: datetime) -> None:
    with transaction(factory) as s:
        rollout(s, load_identity(s, login), SERVICE, from_tool, to_tool, apply=True, now=when)


@pytest.fixture
def rolled_out(factory: SessionFactory, country: SmallCountry) -> SmallCountry:
    """February: A takes the new form, B the old. March: the new form gets version 1.1.0.
    April: the forvalter rolls the old form out to the new (B). May: B's GP goes back."""
    choose(factory, country.kari, country.office_a, NEW, at(2, 10))
    choose(factory, country.per, country.office_b, OLD, at(2, 11))
    form = json.loads((REPO / f"data/questionnaires/{NEW}.json").read_text("utf-8"))
    form["version"] = "1.1.0"
    form["item"][0]["text"] = "Hva gjelder henvendelsen din?"
    with transaction(factory) as s:
        publish_version(s, load_identity(s, country.admin), NEW, form, now=at(3, 5))
    roll(factory, country.admin, OLD, NEW, at(4, 10))
    choose(factory, country.per, country.office_b, OLD, at(5, 20))
    return country


def by_month(engine: Engine, service: str | None = SERVICE) -> dict[tuple[str, str], tuple]:
    frame = tool_version_adoption(engine, TODAY, service)
    return {
        (r.month, r.tool): (r.version, r.offices, r.moved_in, r.moved_out, r.went_back)
        for r in frame.itertuples()
    }


def test_each_month_shows_the_offices_per_tool_with_the_version_it_had_then(
    engine: Engine, rolled_out: SmallCountry
) -> None:
    rows = by_month(engine)
    assert rows[("2026-02", NEW)] == ("1.0.0", 1, 1, 0, 0)
    assert rows[("2026-02", OLD)] == ("1.0.0", 1, 1, 0, 0)
    assert rows[("2026-03", NEW)] == ("1.1.0", 1, 0, 0, 0)
    assert rows[("2026-04", NEW)] == ("1.1.0", 2, 1, 0, 0)
    assert rows[("2026-04", OLD)] == ("1.0.0", 0, 0, 1, 0)
    assert rows[("2026-05", NEW)] == ("1.1.0", 1, 0, 1, 1)
    assert rows[("2026-05", OLD)] == ("1.0.0", 1, 1, 0, 0)
    assert rows[("2026-06", NEW)][1] == rows[("2026-06", OLD)][1] == 1
    # nobody used a tool for the service before February
    assert sorted({month for month, _ in rows}) == [
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
    ]


def test_the_office_that_went_back_is_named_with_when_and_from_which_tool(
    engine: Engine, rolled_out: SmallCountry
) -> None:
    back = tool_returns(engine, SERVICE)
    assert list(back["her_id"]) == [rolled_out.office_b]
    row = back.iloc[0]
    assert (row["name"], row["left"], row["back_to"]) == ("Fjordlegene", NEW, OLD)
    assert row["at"] == at(5, 20) and row["since"] == at(4, 10)
    assert tool_returns(engine, "reseptfornyelse").empty


def test_a_roll_out_undone_by_the_forvalter_is_no_office_going_back(
    engine: Engine, factory: SessionFactory, country: SmallCountry
) -> None:
    choose(factory, country.per, country.office_b, OLD, at(2, 11))
    roll(factory, country.admin, OLD, NEW, at(4, 10))
    roll(factory, country.admin, NEW, OLD, at(5, 2))
    rows = by_month(engine)
    assert rows[("2026-05", NEW)] == ("1.0.0", 0, 0, 1, 0)
    assert rows[("2026-05", OLD)] == ("1.0.0", 1, 1, 0, 0)
    assert tool_returns(engine).empty


def test_for_all_services_an_office_using_a_tool_twice_counts_once(
    engine: Engine, factory: SessionFactory, country: SmallCountry
) -> None:
    choose(factory, country.per, country.office_b, OLD, at(2, 11))
    with transaction(factory) as s:
        office = s.scalar(select(Office).where(Office.her_id == country.office_b))
        row = s.scalar(select(ToolAssignment).filter_by(office_id=office.id, service="e_kontakt"))
        editing.set_tool(
            s, load_identity(s, country.per), country.office_b, "e_kontakt", OLD, row.version,
            now=at(3, 1),
        )  # fmt: skip
    everything = by_month(engine, None)
    assert everything[("2026-03", OLD)][1:3] == (1, 1)
    assert everything[("2026-02", OLD)][1:3] == (1, 1)
    assert everything[("2026-06", "forny-resept")][1] == 1  # office A since before the log


def test_an_unknown_service_is_refused_by_name(engine: Engine, country: SmallCountry) -> None:
    with pytest.raises(ValidationError, match="Ukjent tjeneste «tannlege»"):
        tool_version_adoption(engine, TODAY, "tannlege")
