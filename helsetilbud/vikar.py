"""Registering and removing vikars for a GP's list (seed Q11).

Same contract as `editing`: the caller's transaction, an identity, an aware `now`; validate,
authorise (`access.require_vikar_admin`), write the row and one audit event, flush. A vikar
logs in with their own HPR number as a `fastlege` user, created here when there is none; the
rights come only from a registration whose Oslo days include today (`access.vikar_lists`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helsetilbud.access import FASTLEGE, Identity, require_office_read, require_vikar_admin
from helsetilbud.audit import gp_by_hpr, office_by_her_id, record, resolve_now
from helsetilbud.errors import NotFound, ValidationError
from helsetilbud.model import Gp, User, Vikar
from helsetilbud.oslo_time import OSLO
from helsetilbud.text_rules import clean_text
from helsetilbud.vikar_cases import EXCLUSIVE, KIND_NAMES, KINDS, VikarState

__all__ = ["VIKAR", "add_vikar", "list_vikars", "remove_vikar", "vikar_dict", "vikar_state"]

VIKAR = "vikar"  # AuditEvent.entity; key: the vikar's HPR number
_HPR = re.compile(r"^[0-9]{1,9}$")


def vikar_dict(row: Vikar, list_hpr: str) -> dict[str, object]:
    return {
        "list": list_hpr,
        "hpr": row.hpr,
        "name": row.name,
        "case": row.kind,
        "from": row.starts_on.isoformat(),
        "to": row.ends_on.isoformat(),
    }


def vikar_state(row: Vikar) -> VikarState:
    return VikarState(row.id, row.hpr, row.name, row.kind, row.starts_on, row.ends_on)


def _day(value: object, label: str, field: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{label} må være en dato (ÅÅÅÅ-MM-DD).", field=field)
    return value


def _clash(session: Session, gp: Gp, hpr: str, kind: str, first: date, last: date) -> str | None:
    rows = session.scalars(
        select(Vikar).where(Vikar.gp_id == gp.id, Vikar.starts_on <= last, Vikar.ends_on >= first)
    )
    for other in rows:
        when = f"{other.starts_on:%d.%m.%Y}–{other.ends_on:%d.%m.%Y}"
        if other.hpr == hpr:
            return f"{other.name} er allerede vikar for listen {when}."
        if kind in EXCLUSIVE or other.kind in EXCLUSIVE:
            which = kind if kind in EXCLUSIVE else other.kind
            return (
                f"Perioden overlapper med {other.name} ({KIND_NAMES[other.kind].lower()}, "
                f"{when}). I tilfellet «{KIND_NAMES[which]}» kan ingen andre vikarer være "
                "registrert for listen samtidig."
            )
    return None


def _vikar_user(session: Session, hpr: str, name: str) -> None:
    """The vikar's login by HPR number: an existing fastlege user, or a new one."""
    user = session.scalar(select(User).where(User.login == hpr))
    if user is None:
        user = session.scalar(select(User).where(User.role == FASTLEGE, User.hpr == hpr))
    if user is None:
        session.add(User(login=hpr, display_name=name, role=FASTLEGE, hpr=hpr))
        session.flush()
        return
    if user.role != FASTLEGE or (user.hpr or None) != hpr:
        raise ValidationError(
            f"Innloggingen «{hpr}» tilhører en bruker med rollen {user.role} og kan ikke "
            "brukes av en vikar.",
            field="hpr",
        )
    if not user.active:
        raise ValidationError(f"Brukeren med HPR-nummer {hpr} er deaktivert.", field="hpr")


def add_vikar(
    session: Session,
    identity: Identity,
    list_hpr: str,
    hpr: str,
    name: str,
    starts_on: date,
    ends_on: date,
    kind: str = "fravaer",
    *,
    now: datetime | None = None,
) -> Vikar:
    """Register vikar `hpr` for the list of GP `list_hpr`, Oslo days `starts_on`..`ends_on`."""
    now = resolve_now(now)
    gp = gp_by_hpr(session, list_hpr)
    require_vikar_admin(session, identity, gp, now)
    if not isinstance(hpr, str) or not _HPR.match(hpr):
        raise ValidationError(f"Vikarens HPR-nummer må være 1–9 sifre (fikk «{hpr}»).", field="hpr")
    if hpr == gp.hpr:
        raise ValidationError(
            f"HPR {hpr} er {gp.name} selv, fastlegen for listen, og kan ikke være vikar for den.",
            field="hpr",
        )
    if kind not in KINDS:
        choices = ", ".join(KINDS)
        raise ValidationError(f"Ukjent vikartilfelle «{kind}» (velg {choices}).", field="case")
    cleaned = clean_text(name, label="Vikarens navn", limit=200, field="name")
    if not cleaned:
        raise ValidationError("Skriv navnet til vikaren.", field="name")
    first = _day(starts_on, "Første dag", "from")
    last = _day(ends_on, "Siste dag", "to")
    if last < first:
        raise ValidationError(
            f"Perioden slutter ({last:%d.%m.%Y}) før den begynner ({first:%d.%m.%Y}).",
            field="to",
        )
    if last < now.astimezone(OSLO).date():
        raise ValidationError(
            f"Perioden endte {last:%d.%m.%Y} og kan ikke registreres nå.", field="to"
        )
    problem = _clash(session, gp, hpr, kind, first, last)
    if problem:
        raise ValidationError(problem, field="from")
    _vikar_user(session, hpr, cleaned)
    row = Vikar(
        gp_id=gp.id,
        hpr=hpr,
        name=cleaned,
        kind=kind,
        starts_on=first,
        ends_on=last,
        created_at=now,
        created_by=identity.login,
    )
    session.add(row)
    session.flush()
    record(session, identity, now, gp.office_id, VIKAR, hpr, None, vikar_dict(row, gp.hpr))
    session.flush()
    return row


def find_vikar(session: Session, list_hpr: str, hpr: str, starts_on: date | None = None) -> Vikar:
    """The one registration of `hpr` for the list (narrowed by its first day when several)."""
    gp = gp_by_hpr(session, list_hpr)
    query = select(Vikar).where(Vikar.gp_id == gp.id, Vikar.hpr == hpr)
    if starts_on is not None:
        query = query.where(Vikar.starts_on == starts_on)
    rows = list(session.scalars(query.order_by(Vikar.starts_on)))
    if not rows:
        raise NotFound(
            f"Fant ingen vikar med HPR-nummer {hpr} for listen til {gp.name}.", field="hpr"
        )
    if len(rows) > 1:
        days = ", ".join(f"{r.starts_on:%Y-%m-%d}" for r in rows)
        raise ValidationError(
            f"HPR {hpr} er vikar for listen i flere perioder ({days}). Velg én med --from.",
            field="from",
        )
    return rows[0]


def remove_vikar(
    session: Session, identity: Identity, vikar_id: int, *, now: datetime | None = None
) -> None:
    """Delete a registration; the vikar's rights end at once (the audit event keeps it)."""
    now = resolve_now(now)
    row = session.get(Vikar, vikar_id)
    if row is None:
        raise NotFound(f"Fant ingen vikar med nummer {vikar_id}.", field="id")
    gp = row.gp
    require_vikar_admin(session, identity, gp, now)
    before = vikar_dict(row, gp.hpr)
    session.delete(row)
    record(session, identity, now, gp.office_id, VIKAR, row.hpr, before, None)
    session.flush()


def list_vikars(
    session: Session, identity: Identity, her_id: str, *, now: datetime | None = None
) -> list[tuple[Gp, Vikar]]:
    """Every vikar of the office's lists, by list and first day."""
    office = office_by_her_id(session, her_id)
    require_office_read(session, identity, office, resolve_now(now))
    rows = session.execute(
        select(Gp, Vikar)
        .join(Vikar, Vikar.gp_id == Gp.id)
        .where(Gp.office_id == office.id)
        .order_by(Gp.hpr, Vikar.starts_on, Vikar.id)
    )
    return [(gp, vikar) for gp, vikar in rows]
