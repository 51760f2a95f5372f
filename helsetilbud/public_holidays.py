"""Norwegian public holidays (PyPI `holidays`) and a GP's rule to close services on them.

A holiday closes the whole Oslo day, 00:00 to 00:00. With `eves`, julaften (24 December) and
nyttårsaften (31 December) close too; they are not public holidays. Sundays are not counted:
a weekly closure covers them when a GP wants that.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import holidays as holiday_library
from sqlalchemy import select
from sqlalchemy.orm import Session

from helsetilbud.access import Identity, require_gp_services_edit
from helsetilbud.audit import gp_by_hpr, record, resolve_now
from helsetilbud.catalog import CATALOG, PATIENT_SERVICES
from helsetilbud.errors import CurrentValue, NotFound, StaleEdit, ValidationError
from helsetilbud.model import HolidayRule
from helsetilbud.oslo_time import MONTHS, OSLO, WEEKDAYS

__all__ = [
    "EVES",
    "HOLIDAY_RULE",
    "closed_day",
    "holiday_name",
    "holidays_in",
    "next_closed_days",
    "set_holiday_rule",
]

HOLIDAY_RULE = "holiday_rule"  # AuditEvent.entity; key: the GP's HPR number
EVES = {(12, 24): "Julaften", (12, 31): "Nyttårsaften"}


@cache
def _calendar(year: int) -> dict[date, str]:
    found = holiday_library.Norway(years=year, include_sundays=False, language="no")
    return {day: name.replace("; ", " og ") for day, name in sorted(found.items())}


def holidays_in(year: int) -> dict[date, str]:
    """The public holidays of `year` with their Norwegian names, in date order."""
    return dict(_calendar(year))


def holiday_name(day: date, eves: bool = False) -> str | None:
    """The name of the holiday (or, with `eves`, the eve) on `day`; None on an ordinary day."""
    name = _calendar(day.year).get(day)
    if name is None and eves:
        name = EVES.get((day.month, day.day))
    return name


def closed_day(day: date, eves: bool = False) -> bool:
    return holiday_name(day, eves) is not None


def next_closed_days(start: date, count: int = 5, eves: bool = False) -> list[tuple[date, str]]:
    """The next `count` days from `start` (inclusive) that the rule closes."""
    found: list[tuple[date, str]] = []
    day = start
    while len(found) < count and day < start + timedelta(days=800):
        name = holiday_name(day, eves)
        if name is not None:
            found.append((day, name))
        day += timedelta(days=1)
    return found


def day_label(day: date) -> str:
    """ "fredag 26. mars 2027" """
    return f"{WEEKDAYS[day.weekday()]} {day.day}. {MONTHS[day.month - 1]} {day.year}"


def local_day(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


def rule_dict(services: tuple[str, ...], eves: bool) -> dict[str, object]:
    return {"services": list(services), "eves": eves}


def ordered_services(services: object) -> tuple[str, ...]:
    """Known patient-service slugs in catalogue order; NotFound for an unknown one."""
    if not isinstance(services, (list, tuple, set, frozenset)):
        raise ValidationError("Tjenestene må være en liste.", field="services")
    for slug in services:
        if slug not in PATIENT_SERVICES:
            raise NotFound(f"Ukjent pasienttjeneste «{slug}».", field=str(slug))
    return tuple(s for s in PATIENT_SERVICES if s in services)


def stored_rule(session: Session, gp_id: int) -> HolidayRule | None:
    query = select(HolidayRule).where(HolidayRule.gp_id == gp_id)
    return session.scalar(query.execution_options(populate_existing=True))


def rule_services(rule: HolidayRule | None) -> tuple[str, ...]:
    return tuple(s for s in rule.services.split(",") if s) if rule and rule.services else ()


def set_holiday_rule(
    session: Session,
    identity: Identity,
    hpr: str,
    services: object,
    eves: bool,
    expected_version: int,
    *,
    now: datetime | None = None,
) -> HolidayRule:
    """Close `services` of GP `hpr` on every public holiday (empty: none); same rights as the
    GP's own switches. `expected_version` is the rule's version (0 when there is none yet)."""
    now = resolve_now(now)
    gp = gp_by_hpr(session, hpr)
    require_gp_services_edit(session, identity, gp, now)
    wanted = ordered_services(services)
    if not isinstance(eves, bool):
        raise ValidationError("Julaften og nyttårsaften må være ja eller nei.", field="eves")
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise ValidationError("Versjonen må være et heltall.", field="expected_version")
    row = stored_rule(session, gp.id)
    stored = row.version if row is not None else 0
    before = rule_dict(rule_services(row), row.eves) if row is not None else None
    if expected_version != stored:
        value = before or rule_dict((), False)
        who = row.updated_by if row is not None else None
        raise StaleEdit(
            f"Helligdagsstengningen til {gp.name} ble endret etter at du begynte. "
            "Last inn på nytt og prøv igjen.",
            CurrentValue(value, stored, who, row.updated_at if row else None),
            field=gp.hpr,
        )
    after = rule_dict(wanted, eves)
    if before == after:
        assert row is not None
        return row
    if row is None:
        row = HolidayRule(gp_id=gp.id)
        session.add(row)
    row.services, row.eves = ",".join(wanted), eves
    row.updated_at, row.updated_by = now, identity.login
    record(session, identity, now, gp.office_id, HOLIDAY_RULE, gp.hpr, before, after)
    session.flush()
    return row


def describe_rule(services: tuple[str, ...], eves: bool) -> str:
    """ "Forny resept og Bestill time stengt på helligdager (også julaften og nyttårsaften)" """
    if not services:
        return "Ingen tjenester stengt på helligdager"
    names = [CATALOG.patient_service(s).name for s in services]
    what = "Alle fire tjenestene" if len(names) == len(PATIENT_SERVICES) else _and(names)
    extra = " (også julaften og nyttårsaften)" if eves else ""
    return f"{what} stengt på helligdager{extra}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]
