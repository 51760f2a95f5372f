"""The audit log and the small helpers every write in `editing` shares.

An event's `before` and `after` are JSON text: for an info text the text itself (a JSON
string), for a tool choice the tool id or null, for a GP's services a dict of the four
switches, for scheduled texts, closures and delegations a dict of their fields (null when the
record did not exist before, or no longer exists after).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helsetilbud.access import Identity
from helsetilbud.errors import NotFound, ValidationError
from helsetilbud.model import AuditEvent, Gp, Office, User, utcnow
from helsetilbud.oslo_time import short_moment

# AuditEvent.entity values; `key` is the area or service slug, the HPR-nummer or the login.
INFO_TEXT = "info_text"
INFO_TEXT_CONFIRMED = "info_text_confirmed"  # «Teksten stemmer fortsatt», text unchanged
SCHEDULED_TEXT = "scheduled_text"
TOOL_ASSIGNMENT = "tool_assignment"
GP_SERVICES = "gp_services"
SERVICE_CLOSURE = "service_closure"
DELEGATION = "delegation"

_OS_USER: ContextVar[str | None] = ContextVar("helsetilbud_os_user", default=None)


@contextmanager
def acting_os_user(name: str) -> Iterator[None]:
    """Every audit event recorded in the block names `name` as the operating-system user.

    The command line sets it around each command, beside `--as` (the event's `actor`)."""
    token = _OS_USER.set(name)
    try:
        yield
    finally:
        _OS_USER.reset(token)


def resolve_now(now: datetime | None) -> datetime:
    """`now`, which must be timezone-aware, or the current UTC time."""
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValidationError("Tidspunktet mangler tidssone.", field="now")
    return now


def require_aware(value: datetime, label: str, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(f"{label} må være et tidspunkt.", field=field)
    if value.tzinfo is None:
        raise ValidationError(f"{label} mangler tidssone.", field=field)
    return value


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(text: str | None) -> object:
    return None if text is None else json.loads(text)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def record(
    session: Session,
    identity: Identity,
    at: datetime,
    office_id: int | None,
    entity: str,
    key: str,
    before: object,
    after: object,
) -> AuditEvent:
    """Add one audit event (flushed with the change it describes, in the same transaction)."""
    event = AuditEvent(
        at=at,
        actor=identity.login,
        role=identity.role,
        office_id=office_id,
        entity=entity,
        key=key,
        before=dumps(before),
        after=dumps(after),
        os_user=_OS_USER.get(),
    )
    session.add(event)
    return event


def office_by_her_id(session: Session, her_id: str) -> Office:
    office = session.scalar(select(Office).where(Office.her_id == str(her_id)))
    if office is None:
        raise NotFound(f"Fant ikke legekontoret med HER-id {her_id}.", field="her_id")
    return office


def gp_by_hpr(session: Session, hpr: str) -> Gp:
    gp = session.scalar(select(Gp).where(Gp.hpr == str(hpr)))
    if gp is None:
        raise NotFound(f"Fant ikke fastlegen med HPR-nummer {hpr}.", field="hpr")
    return gp


def display_names(session: Session, logins: Iterable[str | None]) -> dict[str, str]:
    """Display name per login (logins without a user are left out)."""
    wanted = {login for login in logins if login}
    if not wanted:
        return {}
    rows = session.execute(select(User.login, User.display_name).where(User.login.in_(wanted)))
    return {login: name for login, name in rows}


def changed_by_phrase(name: str | None, at: datetime | None) -> str:
    """ "endret av Kari Nordmann 26.11.2026 kl. 10:14" with the parts that are known."""
    words = "endret"
    if name:
        words += f" av {name}"
    if at:
        words += f" {short_moment(at)}"
    return words
