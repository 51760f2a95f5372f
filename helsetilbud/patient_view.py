"""What a patient sees at a moment: a pure function of an office snapshot, a GP and a time.

Scheduled texts replace the permanent text inside their window; a closed service keeps its
button but carries a notice saying when it opens again and where to get help meanwhile.
Weekly closures are read in Europe/Oslo local time, so they follow daylight saving.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from helsetilbud.catalog import CATALOG
from helsetilbud.oslo_time import OSLO, long_moment
from helsetilbud.public_holidays import closed_day
from helsetilbud.snapshot import Closure, GpState, OfficeSnapshot, Scheduled, ToolRef
from helsetilbud.vikar_cases import Cover, cover_at

HELP_NOTICE = (
    "Trenger du hjelp utenom arbeidstid, kontakt legevakt på telefon 116 117. "
    "Ring 113 for øyeblikkelig hjelp."
)


@dataclass(frozen=True)
class ServiceButton:
    slug: str
    label: str
    closed_until: datetime | None = None
    notice: str | None = None

    @property
    def is_closed(self) -> bool:
        return self.notice is not None


@dataclass(frozen=True)
class PatientView:
    office: OfficeSnapshot
    gp: GpState | None
    at: datetime
    texts: dict[str, str]
    scheduled: dict[str, Scheduled]
    buttons: tuple[ServiceButton, ...]
    cover: Cover | None = None  # the vikar case in force at `at` (seed Q11), if any

    @property
    def panel_visible(self) -> bool:
        """The fastlegepanel is gone when the GP has all four services off (seed Q7)."""
        return bool(self.buttons)

    def button(self, slug: str) -> ServiceButton | None:
        return next((b for b in self.buttons if b.slug == slug), None)

    def tool(self, triage_service: str) -> ToolRef | None:
        return self.office.tools.get(triage_service)


def _local(day: date, hhmm: str) -> datetime:
    """A wall-clock time in Oslo as a UTC moment (exact across daylight-saving changes)."""
    hour, minute = (int(p) for p in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=OSLO).astimezone(UTC)


def closure_end(closure: Closure, at: datetime) -> datetime | None:
    """When this closure ends, if it is in force at `at`; otherwise None."""
    at = at.astimezone(UTC)
    if not closure.is_weekly:
        if closure.starts_at and closure.ends_at and closure.starts_at <= at < closure.ends_at:
            return closure.ends_at
        return None
    assert closure.daily_from and closure.daily_to
    today = at.astimezone(OSLO).date()
    for day in (today - timedelta(days=1), today):
        if day.weekday() not in closure.weekdays:
            continue
        start = _local(day, closure.daily_from)
        overnight = closure.daily_to <= closure.daily_from
        end = _local(day + timedelta(days=1) if overnight else day, closure.daily_to)
        if start <= at < end:
            return end
    return None


def holiday_end(at: datetime, eves: bool) -> datetime | None:
    """The end (next Oslo midnight) of the holiday `at` falls on; None on an ordinary day."""
    day = at.astimezone(OSLO).date()
    return _local(day + timedelta(days=1), "00:00") if closed_day(day, eves) else None


def closed_until(
    closures: tuple[Closure, ...],
    service: str,
    at: datetime,
    holidays: bool | None = None,
    eves: bool = False,
) -> datetime | None:
    """The moment the service opens again, following back-to-back closures (and, with
    `holidays`, public holidays); None when open."""
    relevant = [c for c in closures if c.service == service]
    moment, until = at, None
    for _ in range(32):
        ends = [e for e in (closure_end(c, moment) for c in relevant) if e is not None]
        if holidays:
            ends += [e for e in (holiday_end(moment, eves),) if e is not None]
        if not ends:
            return until
        until = moment = max(ends)
    return until


def closure_notice(service: str, until: datetime) -> str:
    name = CATALOG.patient_service(service).name
    return (
        f"{name} er stengt hos fastlegen din til {long_moment(until)}. "
        f"Trenger du hjelp før det, kontakt legevakt på telefon 116 117. "
        f"Ring 113 for øyeblikkelig hjelp."
    )


def patient_view(
    office: OfficeSnapshot,
    gp_hpr: str | None,
    at: datetime,
    drafts: Mapping[str, str] | None = None,
) -> PatientView:
    """What the patients of GP `gp_hpr` at `office` see at `at` (aware), with unsaved drafts."""
    at = at.astimezone(UTC)
    gp = office.gp(gp_hpr) if gp_hpr else (office.gps[0] if office.gps else None)
    active = {
        s.area: s for s in office.scheduled if s.starts_at <= at < s.ends_at
    }  # later windows win
    texts = {area: office.texts.get(area, "") for area in CATALOG.area_slugs}
    texts.update({area: s.text for area, s in active.items()})
    texts.update(drafts or {})
    buttons: list[ServiceButton] = []
    if gp is not None:
        for service in CATALOG.patient_services:
            if not gp.services.get(service.slug):
                continue
            on_holidays = service.slug in gp.holidays
            until = closed_until(gp.closures, service.slug, at, on_holidays, gp.holiday_eves)
            notice = closure_notice(service.slug, until) if until else None
            buttons.append(ServiceButton(service.slug, service.button, until, notice))
    cover = cover_at(gp.vikars, at) if gp is not None else None
    return PatientView(office, gp, at, texts, active, tuple(buttons), cover)
