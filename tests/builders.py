"""A tiny country for tests: two offices, three GPs, one user of each role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from helsetilbud.bootstrap import load_catalog_tools
from helsetilbud.catalog import AREAS, TRIAGE_SERVICES
from helsetilbud.model import Delegation, Gp, InfoText, Office, ToolAssignment, User

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class SmallCountry:
    office_a: str = "100001"  # Sentrum legesenter (tlf. 22 12 34 56): Kari, Ola, stab-a
    office_b: str = "100002"  # Fjordlegene: GP Per
    kari: str = "1000001"
    ola: str = "1000002"
    per: str = "1000003"
    staff: str = "stab-a"
    analyst: str = "analytiker"
    admin: str = "forvalter"


def add_office(
    session: Session,
    her_id: str,
    name: str,
    *,
    fylke: str = "Oslo",
    phone: str | None = None,
    texts: dict[str, str] | None = None,
    tools: dict[str, str | None] | None = None,
) -> Office:
    office = Office(
        her_id=her_id,
        name=name,
        address="Storgata 1",
        postal_code="0155",
        postal_place="OSLO",
        fylke=fylke,
        org_number="974760673",
        phone=phone,
    )
    session.add(office)
    session.flush()
    for area in AREAS:
        session.add(InfoText(office_id=office.id, area=area, text=(texts or {}).get(area, "")))
    for service in TRIAGE_SERVICES:
        tool = (tools or {}).get(service)
        session.add(ToolAssignment(office_id=office.id, service=service, tool_id=tool))
    session.flush()
    return office


def add_gp(session: Session, office: Office, hpr: str, name: str, **services: bool) -> Gp:
    gp = Gp(hpr=hpr, name=name, office_id=office.id, **services)
    session.add(gp)
    session.add(User(login=hpr, display_name=name, role="fastlege", hpr=hpr))
    session.flush()
    return gp


def build_small_country(session: Session) -> SmallCountry:
    c = SmallCountry()
    load_catalog_tools(session)
    a = add_office(
        session,
        c.office_a,
        "Sentrum legesenter",
        phone="22 12 34 56",
        texts={"helsekontakt": "Velkommen til Sentrum legesenter."},
        tools={"reseptfornyelse": "forny-resept"},
    )
    b = add_office(session, c.office_b, "Fjordlegene", fylke="Vestland")
    add_gp(session, a, c.kari, "Kari Nordmann")
    add_gp(session, a, c.ola, "Ola Hansen", e_konsultasjon=False)
    add_gp(session, b, c.per, "Per Berg")
    staff = User(login=c.staff, display_name="Siri Stab", role="kontorstab")
    session.add_all(
        [
            staff,
            User(login=c.analyst, display_name="Analytiker NHN", role="analytiker"),
            User(login=c.admin, display_name="Forvalter NHN", role="forvalter"),
        ]
    )
    session.flush()
    session.add(
        Delegation(
            user_id=staff.id,
            office_id=a.id,
            granted_by=c.kari,
            granted_at=T0,
            ends_at=T0 + timedelta(days=3650),
        )
    )
    session.flush()
    return c
