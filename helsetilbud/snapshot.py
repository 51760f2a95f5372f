"""An office's stored state as plain frozen data, read in one go; what the preview renders."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from helsetilbud.catalog import CATALOG
from helsetilbud.errors import NotFound
from helsetilbud.model import Gp, InfoText, Office, ScheduledText, ToolAssignment, TriageTool, User
from helsetilbud.vikar_cases import VikarState


@dataclass(frozen=True)
class ToolRef:
    id: str
    title: str
    kind: str
    standard: bool
    description: str
    questionnaire: dict[str, Any] = field(repr=False, compare=False, hash=False)

    @property
    def label(self) -> str:
        """As in the seed's table: "Sjekkpunkt: Forny resept (Standard)"."""
        title = f"{self.title} (Standard)" if self.standard else self.title
        return f"{CATALOG.tool_kinds.get(self.kind, self.kind)}: {title}"


@dataclass(frozen=True)
class Closure:
    id: int
    service: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    weekdays: tuple[int, ...] = ()
    daily_from: str | None = None
    daily_to: str | None = None
    note: str = ""

    @property
    def is_weekly(self) -> bool:
        return bool(self.weekdays)


@dataclass(frozen=True)
class GpState:
    hpr: str
    name: str
    services: dict[str, bool]
    closures: tuple[Closure, ...] = ()
    version: int = 1
    vikars: tuple[VikarState, ...] = ()
    holidays: tuple[str, ...] = ()  # services closed on public holidays (issue 15)
    holiday_eves: bool = False  # julaften and nyttårsaften too
    holiday_version: int = 0  # 0: no rule stored yet


@dataclass(frozen=True)
class Scheduled:
    id: int
    area: str
    text: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class TextDates:
    """When an info text was last changed and last confirmed («Teksten stemmer fortsatt»),
    and by whom (display names where the login is a user)."""

    updated_at: datetime | None = None
    updated_by: str | None = None
    confirmed_at: datetime | None = None
    confirmed_by: str | None = None

    @property
    def last_reviewed(self) -> datetime | None:
        """The later of the last change and the last confirmation."""
        moments = [m for m in (self.updated_at, self.confirmed_at) if m is not None]
        return max(moments, default=None)


@dataclass(frozen=True)
class OfficeSnapshot:
    her_id: str
    name: str
    address: str
    postal_code: str
    postal_place: str
    fylke: str
    texts: dict[str, str]
    text_versions: dict[str, int]
    tools: dict[str, ToolRef | None]
    tool_versions: dict[str, int]
    gps: tuple[GpState, ...]
    scheduled: tuple[Scheduled, ...] = ()
    text_dates: dict[str, TextDates] = field(default_factory=dict)
    phone: str | None = None  # the office's phone number in the registry, where known

    @property
    def registry_text(self) -> str:
        """The helsekontakt standard text: name and address from the registry."""
        return f"{self.name}\n{self.address}, {self.postal_code} {self.postal_place}"

    def standard_text(self, area: str) -> str:
        fixed = CATALOG.area(area).standard_text
        return self.registry_text if fixed is None else fixed

    def gp(self, hpr: str) -> GpState:
        for gp in self.gps:
            if gp.hpr == hpr:
                return gp
        raise NotFound(f"Fant ingen fastlege med HPR-nummer {hpr} ved {self.name}.", "hpr")


def tool_ref(tool: TriageTool) -> ToolRef:
    """A catalogue tool as the snapshot holds it (also for previewing a choice not yet saved)."""
    questionnaire = json.loads(tool.questionnaire)
    return ToolRef(tool.id, tool.title, tool.kind, tool.standard, tool.description, questionnaire)


def load_snapshot(session: Session, her_id: str) -> OfficeSnapshot:
    """Read one office, its texts, tool choices, GPs with closures and scheduled texts."""
    office = session.scalar(
        select(Office)
        .where(Office.her_id == her_id)
        .options(
            selectinload(Office.info_texts),
            selectinload(Office.assignments).selectinload(ToolAssignment.tool),
            selectinload(Office.gps).selectinload(Gp.closures),
            selectinload(Office.gps).selectinload(Gp.vikars),
            selectinload(Office.gps).selectinload(Gp.holiday_rule),
        )
    )
    if office is None:
        raise NotFound(f"Fant ikke legekontoret med HER-id {her_id}.", "her_id")
    scheduled = session.scalars(
        select(ScheduledText)
        .where(ScheduledText.office_id == office.id)
        .order_by(ScheduledText.starts_at, ScheduledText.id)
    )
    return OfficeSnapshot(
        her_id=office.her_id,
        name=office.name,
        address=office.address,
        postal_code=office.postal_code,
        postal_place=office.postal_place,
        fylke=office.fylke,
        texts={t.area: t.text for t in office.info_texts},
        text_versions={t.area: t.version for t in office.info_texts},
        tools={a.service: tool_ref(a.tool) if a.tool else None for a in office.assignments},
        tool_versions={a.service: a.version for a in office.assignments},
        gps=tuple(
            GpState(
                hpr=gp.hpr,
                name=gp.name,
                services=gp.services(),
                closures=tuple(
                    Closure(
                        id=c.id,
                        service=c.service,
                        starts_at=c.starts_at,
                        ends_at=c.ends_at,
                        weekdays=tuple(int(d) for d in c.weekdays.split(",")) if c.weekdays else (),
                        daily_from=c.daily_from,
                        daily_to=c.daily_to,
                        note=c.note,
                    )
                    for c in gp.closures
                ),
                version=gp.version,
                vikars=tuple(
                    VikarState(v.id, v.hpr, v.name, v.kind, v.starts_on, v.ends_on)
                    for v in gp.vikars
                ),
                holidays=tuple(
                    s for s in (gp.holiday_rule.services if gp.holiday_rule else "").split(",") if s
                ),
                holiday_eves=bool(gp.holiday_rule and gp.holiday_rule.eves),
                holiday_version=gp.holiday_rule.version if gp.holiday_rule else 0,
            )
            for gp in office.gps
        ),
        scheduled=tuple(Scheduled(s.id, s.area, s.text, s.starts_at, s.ends_at) for s in scheduled),
        text_dates=_text_dates(session, office.info_texts),
        phone=office.phone,
    )


def _text_dates(session: Session, texts: list[InfoText]) -> dict[str, TextDates]:
    logins = {login for t in texts for login in (t.updated_by, t.confirmed_by) if login}
    names: dict[str, str] = {}
    if logins:
        query = select(User.login, User.display_name).where(User.login.in_(logins))
        names = {login: name for login, name in session.execute(query)}
    return {
        t.area: TextDates(
            t.updated_at,
            names.get(t.updated_by or "", t.updated_by),
            t.confirmed_at,
            names.get(t.confirmed_by or "", t.confirmed_by),
        )
        for t in texts
    }
