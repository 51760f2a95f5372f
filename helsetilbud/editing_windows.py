"""Writes with a time window or a person in them: scheduled texts, service closures, delegations.

Same contract as `editing` (which re-exports these): caller's transaction, identity, aware
`now`; validate, authorise, write the row and one audit event, flush. These records carry no
version: adding and removing them cannot overwrite someone else's change.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helsetilbud.access import (
    KONTORSTAB,
    Identity,
    require_delegation_admin,
    require_gp_services_edit,
    require_office_edit,
)
from helsetilbud.audit import (
    DELEGATION,
    SCHEDULED_TEXT,
    SERVICE_CLOSURE,
    gp_by_hpr,
    iso,
    office_by_her_id,
    record,
    require_aware,
    resolve_now,
)
from helsetilbud.catalog import CATALOG, PATIENT_SERVICES
from helsetilbud.errors import NotFound, ValidationError
from helsetilbud.model import Delegation, Office, ScheduledText, ServiceClosure, User
from helsetilbud.oslo_time import short_moment
from helsetilbud.text_rules import clean_info_text, clean_text, info_area_name

_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
WHOLE_DAY = "00:00"  # a weekly window 00:00–00:00 closes the whole day
_LOGIN = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
WEEKDAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def _scheduled_dict(row: ScheduledText) -> dict[str, object]:
    return {
        "id": row.id,
        "text": row.text,
        "starts_at": iso(row.starts_at),
        "ends_at": iso(row.ends_at),
    }


def add_scheduled_text(
    session: Session,
    identity: Identity,
    her_id: str,
    area: str,
    text: str,
    starts_at: datetime,
    ends_at: datetime,
    *,
    now: datetime | None = None,
) -> ScheduledText:
    """A text shown instead of the permanent one inside [starts_at, ends_at)."""
    now = resolve_now(now)
    office = office_by_her_id(session, her_id)
    name = info_area_name(area)
    require_office_edit(session, identity, office, now)
    cleaned = clean_info_text(area, text)
    if not cleaned:
        raise ValidationError(f"Den tidsbegrensede teksten for «{name}» er tom.", field=area)
    starts_at = require_aware(starts_at, "Starttidspunktet", "starts_at")
    ends_at = require_aware(ends_at, "Sluttidspunktet", "ends_at")
    if ends_at <= starts_at:
        raise ValidationError("Sluttidspunktet må komme etter starttidspunktet.", field="ends_at")
    if ends_at <= now:
        raise ValidationError(
            f"Sluttidspunktet {short_moment(ends_at)} har allerede passert.", field="ends_at"
        )
    clash = session.scalar(
        select(ScheduledText).where(
            ScheduledText.office_id == office.id,
            ScheduledText.area == area,
            ScheduledText.starts_at < ends_at,
            ScheduledText.ends_at > starts_at,
        )
    )
    if clash is not None:
        raise ValidationError(
            f"Tidsrommet overlapper med en annen tidsbegrenset tekst for «{name}» "
            f"({short_moment(clash.starts_at)}–{short_moment(clash.ends_at)}).",
            field=area,
        )
    row = ScheduledText(
        office_id=office.id,
        area=area,
        text=cleaned,
        starts_at=starts_at,
        ends_at=ends_at,
        created_at=now,
        created_by=identity.login,
    )
    session.add(row)
    session.flush()
    record(session, identity, now, office.id, SCHEDULED_TEXT, area, None, _scheduled_dict(row))
    session.flush()
    return row


def remove_scheduled_text(
    session: Session, identity: Identity, scheduled_id: int, *, now: datetime | None = None
) -> None:
    """Delete a scheduled text (the audit event keeps what it said)."""
    now = resolve_now(now)
    row = session.get(ScheduledText, scheduled_id)
    if row is None:
        raise NotFound(f"Fant ingen tidsbegrenset tekst med nummer {scheduled_id}.", field="id")
    office = session.get(Office, row.office_id)
    assert office is not None
    require_office_edit(session, identity, office, now)
    before = _scheduled_dict(row)
    session.delete(row)
    record(session, identity, now, office.id, SCHEDULED_TEXT, row.area, before, None)
    session.flush()


def _closure_dict(row: ServiceClosure, hpr: str) -> dict[str, object]:
    return {
        "id": row.id,
        "hpr": hpr,
        "service": row.service,
        "starts_at": iso(row.starts_at),
        "ends_at": iso(row.ends_at),
        "weekdays": row.weekdays,
        "daily_from": row.daily_from,
        "daily_to": row.daily_to,
        "note": row.note,
    }


def _weekly(
    weekdays: tuple[int, ...], daily_from: str | None, daily_to: str | None
) -> tuple[str, str, str]:
    days = tuple(weekdays)
    if not days:
        raise ValidationError("Velg minst én ukedag for stengningen.", field="weekdays")
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise ValidationError(
                f"Ukedag {day!r} finnes ikke (0 = mandag … 6 = søndag).", field="weekdays"
            )
    for label, value, field in (("Fra", daily_from, "daily_from"), ("Til", daily_to, "daily_to")):
        if not isinstance(value, str) or not _CLOCK.match(value):
            raise ValidationError(
                f"{label}-klokkeslettet må skrives tt:mm, for eksempel 16:00 (fikk {value!r}).",
                field=field,
            )
    assert daily_from is not None and daily_to is not None
    if daily_from == daily_to != WHOLE_DAY:
        raise ValidationError(
            "Fra- og til-klokkeslettet kan ikke være like, unntatt 00:00–00:00 for hele døgnet.",
            field="daily_to",
        )
    return ",".join(str(d) for d in sorted(set(days))), daily_from, daily_to


def add_closure(
    session: Session,
    identity: Identity,
    hpr: str,
    service: str,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    weekdays: tuple[int, ...] | None = None,
    daily_from: str | None = None,
    daily_to: str | None = None,
    note: str = "",
    now: datetime | None = None,
) -> ServiceClosure:
    """Close a GP's service for a period (starts_at..ends_at) or weekly (weekdays + daily times).

    A weekly window past midnight (16:00..08:00) runs into the next day; times are Oslo time.
    """
    now = resolve_now(now)
    gp = gp_by_hpr(session, hpr)
    if service not in PATIENT_SERVICES:
        raise NotFound(f"Ukjent pasienttjeneste «{service}».", field=service)
    require_gp_services_edit(session, identity, gp, now)
    period = starts_at is not None or ends_at is not None
    weekly = weekdays is not None or daily_from is not None or daily_to is not None
    if period == weekly:
        raise ValidationError(
            "Oppgi enten en periode (fra og til) eller faste ukedager med klokkeslett, ikke begge.",
            field=service,
        )
    row = ServiceClosure(gp_id=gp.id, service=service, created_at=now, created_by=identity.login)
    if period:
        if starts_at is None or ends_at is None:
            raise ValidationError("En stengt periode må ha både start og slutt.", field=service)
        row.starts_at = require_aware(starts_at, "Starttidspunktet", "starts_at")
        row.ends_at = require_aware(ends_at, "Sluttidspunktet", "ends_at")
        if ends_at <= starts_at:
            raise ValidationError(
                "Sluttidspunktet må komme etter starttidspunktet.", field="ends_at"
            )
        if ends_at <= now:
            raise ValidationError(
                f"Sluttidspunktet {short_moment(ends_at)} har allerede passert.", field="ends_at"
            )
    else:
        row.weekdays, row.daily_from, row.daily_to = _weekly(weekdays or (), daily_from, daily_to)
    row.note = clean_text(note, label="Merknaden", limit=300, field="note")
    session.add(row)
    session.flush()
    record(
        session,
        identity,
        now,
        gp.office_id,
        SERVICE_CLOSURE,
        service,
        None,
        _closure_dict(row, hpr),
    )
    session.flush()
    return row


def remove_closure(
    session: Session, identity: Identity, closure_id: int, *, now: datetime | None = None
) -> None:
    """Delete a closure; the service opens again (the audit event keeps what it was)."""
    now = resolve_now(now)
    row = session.get(ServiceClosure, closure_id)
    if row is None:
        raise NotFound(f"Fant ingen stengning med nummer {closure_id}.", field="id")
    gp = row.gp
    require_gp_services_edit(session, identity, gp, now)
    before = _closure_dict(row, gp.hpr)
    session.delete(row)
    record(session, identity, now, gp.office_id, SERVICE_CLOSURE, row.service, before, None)
    session.flush()


def _delegation_dict(row: Delegation, login: str) -> dict[str, object]:
    return {
        "id": row.id,
        "login": login,
        "granted_by": row.granted_by,
        "ends_at": iso(row.ends_at),
        "revoked_at": iso(row.revoked_at),
    }


def delegate(
    session: Session,
    identity: Identity,
    her_id: str,
    staff_login: str,
    display_name: str,
    *,
    ends_at: datetime | None = None,
    now: datetime | None = None,
) -> Delegation:
    """Let office staff edit the office's texts and tool choices, until revoked or `ends_at`."""
    now = resolve_now(now)
    office = office_by_her_id(session, her_id)
    require_delegation_admin(session, identity, office)
    if not isinstance(staff_login, str) or not _LOGIN.match(staff_login):
        raise ValidationError(
            f"Innloggingen «{staff_login}» er ugyldig: bruk 1–64 bokstaver (a–z), sifre, . _ @ -.",
            field="staff_login",
        )
    name = clean_text(display_name, label="Navnet", limit=200, field="display_name")
    if not name:
        raise ValidationError("Skriv navnet til den ansatte.", field="display_name")
    if ends_at is not None:
        require_aware(ends_at, "Sluttidspunktet", "ends_at")
        if ends_at <= now:
            raise ValidationError(
                f"Sluttidspunktet {short_moment(ends_at)} har allerede passert.", field="ends_at"
            )
    user = session.scalar(select(User).where(User.login == staff_login))
    if user is not None and user.role != KONTORSTAB:
        raise ValidationError(
            f"«{staff_login}» er allerede en bruker med rollen {user.role} "
            "og kan ikke få tilgang som kontoransatt.",
            field="staff_login",
        )
    if user is not None and not user.active:
        raise ValidationError(f"Brukeren «{staff_login}» er deaktivert.", field="staff_login")
    if user is None:
        user = User(login=staff_login, display_name=name, role=KONTORSTAB)
        session.add(user)
        session.flush()
    else:
        existing = session.scalar(
            select(Delegation).where(
                Delegation.user_id == user.id,
                Delegation.office_id == office.id,
                Delegation.revoked_at.is_(None),
                (Delegation.ends_at.is_(None)) | (Delegation.ends_at > now),
            )
        )
        if existing is not None:
            raise ValidationError(
                f"{user.display_name} har allerede tilgang til {office.name}.",
                field="staff_login",
            )
    row = Delegation(
        user_id=user.id,
        office_id=office.id,
        granted_by=identity.login,
        granted_at=now,
        ends_at=ends_at,
    )
    session.add(row)
    session.flush()
    record(
        session,
        identity,
        now,
        office.id,
        DELEGATION,
        staff_login,
        None,
        _delegation_dict(row, staff_login),
    )
    session.flush()
    return row


def revoke_delegation(
    session: Session, identity: Identity, delegation_id: int, *, now: datetime | None = None
) -> Delegation:
    """Withdraw a staff member's right to edit the office, from `now`."""
    now = resolve_now(now)
    row = session.get(Delegation, delegation_id)
    if row is None:
        raise NotFound(f"Fant ingen delegering med nummer {delegation_id}.", field="id")
    require_delegation_admin(session, identity, row.office)
    login = row.user.login
    if row.revoked_at is not None:
        raise ValidationError(
            f"Tilgangen til {row.user.display_name} ble allerede trukket tilbake "
            f"{short_moment(row.revoked_at)}.",
            field="id",
        )
    before = _delegation_dict(row, login)
    row.revoked_at, row.revoked_by = now, identity.login
    record(
        session,
        identity,
        now,
        row.office_id,
        DELEGATION,
        login,
        before,
        _delegation_dict(row, login),
    )
    session.flush()
    return row


def weekday_names(weekdays: str | None) -> str:
    """ "0,1,2" -> "mandag, tirsdag, onsdag" (for messages and history)."""
    if not weekdays:
        return ""
    return ", ".join(WEEKDAY_NAMES[int(d)] for d in weekdays.split(","))


def service_name(slug: str) -> str:
    return CATALOG.patient_service(slug).name
