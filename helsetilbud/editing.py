"""The service layer: the one way to change state.

Every function takes the caller's `session` (the caller owns the transaction:
`with transaction(factory) as s:`; nothing here commits), the acting `Identity` and an aware
`now` (default: the current UTC time). Each one validates the input, checks the right in
`access`, compares `expected_version` with the stored row, then writes the row and one
`AuditEvent` and flushes. The UPDATE itself is a compare-and-set on the version column, so a
writer that lost a race in between gets `StaleEdit` too, never a lost update.

A write that changes nothing (same text, same tool, same switches) is accepted without a new
version or audit event. Scheduled texts, closures and delegations live in `editing_windows`
and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from helsetilbud.access import (
    Identity,
    require_gp_services_edit,
    require_office_edit,
    require_office_read,
)
from helsetilbud.audit import (
    GP_SERVICES,
    INFO_TEXT,
    INFO_TEXT_CONFIRMED,
    TOOL_ASSIGNMENT,
    changed_by_phrase,
    display_names,
    gp_by_hpr,
    iso,
    loads,
    office_by_her_id,
    record,
    resolve_now,
)
from helsetilbud.catalog import AREAS, CATALOG, PATIENT_SERVICES, TRIAGE_SERVICES
from helsetilbud.editing_windows import (
    add_closure,
    add_scheduled_text,
    delegate,
    remove_closure,
    remove_scheduled_text,
    revoke_delegation,
)
from helsetilbud.errors import CurrentValue, NotFound, StaleEdit, ValidationError
from helsetilbud.model import AuditEvent, Gp, InfoText, Office, ToolAssignment, TriageTool
from helsetilbud.text_rules import clean_info_text, info_area_name

__all__ = [
    "add_closure",
    "add_scheduled_text",
    "confirm_info_text",
    "delegate",
    "history",
    "remove_closure",
    "remove_scheduled_text",
    "restore_info_text",
    "revoke_delegation",
    "set_gp_services",
    "set_info_text",
    "set_tool",
]

Row = TypeVar("Row", InfoText, ToolAssignment, Gp)
SQLITE_BUSY_SNAPSHOT = 517  # SQLITE_BUSY | (2 << 8)


def _current(session: Session, row: Row, value: Callable[[Row], object]) -> CurrentValue:
    names = display_names(session, [row.updated_by])
    who = names.get(row.updated_by or "", row.updated_by)
    return CurrentValue(value(row), row.version, who, row.updated_at)


def _fresh_current(
    session: Session, model: type[Row], key: dict[str, object], value: Callable[[Row], object]
) -> CurrentValue:
    """The committed value, read on a new connection (a failed flush spoils the session)."""
    with Session(session.get_bind()) as fresh:
        row = fresh.scalar(select(model).filter_by(**key))
        return CurrentValue(None, 0, None, None) if row is None else _current(fresh, row, value)


def _stale(current: CurrentValue, subject: str, keep: str, field: str) -> StaleEdit:
    message = (
        f"{subject} ble {changed_by_phrase(current.changed_by, current.changed_at)} etter at "
        f"du begynte å redigere. Velg om du vil beholde {keep} eller skrive over den."
    )
    return StaleEdit(message, current, field=field)


def _write(
    session: Session,
    created: bool,
    model: type[Row],
    key: dict[str, object],
    value: Callable[[Row], object],
    subject: str,
    keep: str,
    field: str,
) -> None:
    """Flush; a compare-and-set that found a newer version (or a row created meanwhile) is
    StaleEdit with the value stored now."""
    try:
        session.flush()
    except StaleDataError:
        raise _stale(_fresh_current(session, model, key, value), subject, keep, field) from None
    except IntegrityError:
        if not created:
            raise
        raise _stale(_fresh_current(session, model, key, value), subject, keep, field) from None
    except OperationalError as exc:
        # SQLite in WAL: a deferred transaction whose snapshot another writer has outdated.
        if getattr(exc.orig, "sqlite_errorcode", None) != SQLITE_BUSY_SNAPSHOT:
            raise
        raise _stale(_fresh_current(session, model, key, value), subject, keep, field) from None


def _check_version(
    session: Session,
    row: Row | None,
    expected_version: int,
    value: Callable[[Row], object],
    subject: str,
    keep: str,
    field: str,
) -> None:
    stored = row.version if row is not None else 0
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise ValidationError("Versjonen må være et heltall.", field="expected_version")
    if expected_version != stored:
        current = (
            CurrentValue(None, 0, None, None) if row is None else _current(session, row, value)
        )
        raise _stale(current, subject, keep, field)


def _text_of(row: InfoText) -> str:
    return row.text


def _load(session: Session, model: type[Row], **key: object) -> Row | None:
    query = select(model).filter_by(**key).execution_options(populate_existing=True)
    return session.scalar(query)


def _set_text(
    session: Session,
    identity: Identity,
    office: Office,
    area: str,
    text: str,
    expected: int,
    now: datetime,
) -> InfoText:
    row = _load(session, InfoText, office_id=office.id, area=area)
    subject, keep = "Teksten", "den lagrede teksten"
    _check_version(session, row, expected, _text_of, subject, keep, area)
    before = row.text if row is not None else ""
    if row is not None and before == text:
        return row
    created = row is None
    if row is None:
        row = InfoText(office_id=office.id, area=area, text=text)
        session.add(row)
    row.text, row.updated_at, row.updated_by = text, now, identity.login
    record(session, identity, now, office.id, INFO_TEXT, area, before, text)
    key = {"office_id": office.id, "area": area}
    _write(session, created, InfoText, key, _text_of, subject, keep, area)
    return row


def set_info_text(
    session: Session,
    identity: Identity,
    her_id: str,
    area: str,
    text: str,
    expected_version: int,
    *,
    now: datetime | None = None,
) -> InfoText:
    """Save the office's own text for `area` ("" = no additional information)."""
    now = resolve_now(now)
    office = office_by_her_id(session, her_id)
    info_area_name(area)
    require_office_edit(session, identity, office, now)
    cleaned = clean_info_text(area, text)
    return _set_text(session, identity, office, area, cleaned, expected_version, now)


def restore_info_text(
    session: Session,
    identity: Identity,
    her_id: str,
    area: str,
    event_id: int,
    expected_version: int,
    *,
    now: datetime | None = None,
) -> InfoText:
    """Bring back the text an earlier audit event saved; a new, audited change."""
    now = resolve_now(now)
    office = office_by_her_id(session, her_id)
    name = info_area_name(area)
    event = session.get(AuditEvent, event_id)
    if (
        event is None
        or event.entity != INFO_TEXT
        or event.office_id != office.id
        or event.key != area
    ):
        raise NotFound(
            f"Fant ingen tidligere tekst for «{name}» ved {office.name} med nummer {event_id}.",
            field="event_id",
        )
    value = loads(event.after)
    if not isinstance(value, str):
        raise ValidationError(f"Hendelse {event_id} har ingen tekst å hente fram.", field=area)
    require_office_edit(session, identity, office, now)
    cleaned = clean_info_text(area, value)
    return _set_text(session, identity, office, area, cleaned, expected_version, now)


def confirm_info_text(
    session: Session,
    identity: Identity,
    her_id: str,
    area: str,
    expected_version: int,
    *,
    now: datetime | None = None,
) -> InfoText:
    """«Teksten stemmer fortsatt»: record that the text of `area` was read and is still true.

    The text and its version stay as they are (an open editor elsewhere is not made stale);
    the confirmation is a compare-and-set on the version the confirming user read, audited
    with who and when, and resets the report's «not changed in 12 months» clock.
    """
    now = resolve_now(now)
    office = office_by_her_id(session, her_id)
    info_area_name(area)
    require_office_edit(session, identity, office, now)
    row = _load(session, InfoText, office_id=office.id, area=area)
    subject, keep = "Teksten", "den lagrede teksten"
    key = {"office_id": office.id, "area": area}
    _check_version(session, row, expected_version, _text_of, subject, keep, area)
    if row is None:  # never written: confirm the empty text
        row = InfoText(office_id=office.id, area=area, text="")
        session.add(row)
        _write(session, True, InfoText, key, _text_of, subject, keep, area)
    before = (
        None
        if row.confirmed_at is None
        else {"confirmed_at": iso(row.confirmed_at), "confirmed_by": row.confirmed_by}
    )
    after = {"confirmed_at": iso(now), "confirmed_by": identity.login, "text": row.text}
    confirmed = session.execute(
        update(InfoText)
        .where(InfoText.id == row.id, InfoText.version == row.version)
        .values(confirmed_at=now, confirmed_by=identity.login)
        .execution_options(synchronize_session=False)
    )
    if confirmed.rowcount != 1:
        raise _stale(_fresh_current(session, InfoText, key, _text_of), subject, keep, area)
    record(session, identity, now, office.id, INFO_TEXT_CONFIRMED, area, before, after)
    session.flush()
    session.refresh(row)
    return row


def _tool_of(row: ToolAssignment) -> str | None:
    return row.tool_id


def _valid_tool(session: Session, service: str, tool_id: str | None) -> str | None:
    if tool_id in (None, ""):
        return None
    service_name = CATALOG.triage_service(service).name
    tool = session.get(TriageTool, tool_id)
    if tool is None:
        raise NotFound(f"Fant ikke triageringsverktøyet «{tool_id}».", field=service)
    if tool.status != "published":
        raise ValidationError(
            f"Verktøyet «{tool.label}» er ikke publisert og kan ikke velges for «{service_name}».",
            field=service,
        )
    if service not in tool.service_slugs:
        raise ValidationError(
            f"Verktøyet «{tool.label}» kan ikke brukes for «{service_name}».", field=service
        )
    return tool.id


def set_tool(
    session: Session,
    identity: Identity,
    her_id: str,
    service: str,
    tool_id: str | None,
    expected_version: int,
    *,
    now: datetime | None = None,
) -> ToolAssignment:
    """Choose the triage tool in front of `service`, or none ("Ingen valgt") with None."""
    now = resolve_now(now)
    office = office_by_her_id(session, her_id)
    if service not in TRIAGE_SERVICES:
        raise NotFound(f"Ukjent tjeneste for triagering «{service}».", field=service)
    require_office_edit(session, identity, office, now)
    chosen = _valid_tool(session, service, tool_id)
    row = _load(session, ToolAssignment, office_id=office.id, service=service)
    service_name = CATALOG.triage_service(service).name
    subject, keep = f"Verktøyvalget for «{service_name}»", "det lagrede valget"
    _check_version(session, row, expected_version, _tool_of, subject, keep, service)
    before = row.tool_id if row is not None else None
    if row is not None and before == chosen:
        return row
    created = row is None
    if row is None:
        row = ToolAssignment(office_id=office.id, service=service)
        session.add(row)
    row.tool_id, row.updated_at, row.updated_by = chosen, now, identity.login
    record(session, identity, now, office.id, TOOL_ASSIGNMENT, service, before, chosen)
    key = {"office_id": office.id, "service": service}
    _write(session, created, ToolAssignment, key, _tool_of, subject, keep, service)
    return row


def _services_of(row: Gp) -> dict[str, bool]:
    return row.services()


def set_gp_services(
    session: Session,
    identity: Identity,
    hpr: str,
    services: dict[str, bool],
    expected_version: int,
    *,
    now: datetime | None = None,
) -> Gp:
    """Switch some of a GP's four patient services on (True) or off (False)."""
    now = resolve_now(now)
    gp = gp_by_hpr(session, hpr)
    require_gp_services_edit(session, identity, gp, now)
    for slug, on in services.items():
        if slug not in PATIENT_SERVICES:
            raise NotFound(f"Ukjent pasienttjeneste «{slug}».", field=slug)
        if not isinstance(on, bool):
            name = CATALOG.patient_service(slug).name
            raise ValidationError(f"«{name}» må slås på eller av (ja/nei).", field=slug)
    gp = _load(session, Gp, id=gp.id)
    assert gp is not None
    subject, keep = f"Tjenestene til {gp.name}", "de lagrede valgene"
    _check_version(session, gp, expected_version, _services_of, subject, keep, gp.hpr)
    before = gp.services()
    after = {**before, **services}
    if after == before:
        return gp
    for slug, on in services.items():
        setattr(gp, slug, on)
    gp.updated_at, gp.updated_by = now, identity.login
    record(session, identity, now, gp.office_id, GP_SERVICES, gp.hpr, before, after)
    _write(session, False, Gp, {"id": gp.id}, _services_of, subject, keep, gp.hpr)
    return gp


def history(
    session: Session,
    identity: Identity,
    her_id: str,
    *,
    area: str | None = None,
    now: datetime | None = None,
) -> list[AuditEvent]:
    """The office's audit events, newest first; `area` narrows to one area or service slug."""
    office = office_by_her_id(session, her_id)
    require_office_read(session, identity, office, resolve_now(now))
    query = select(AuditEvent).where(AuditEvent.office_id == office.id)
    if area is not None:
        if area not in (*AREAS, *TRIAGE_SERVICES, *PATIENT_SERVICES):
            raise NotFound(f"Ukjent område eller tjeneste «{area}».", field=area)
        query = query.where(AuditEvent.key == area)
    return list(session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))
