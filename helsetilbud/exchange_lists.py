"""The parts `helsetilbud.office/2` adds to an office document, out and in.

Out: each GP's closures and holiday rule, the office's scheduled texts, delegations (not the
revoked ones) and vikars, each with its version, in an order that depends on content only, so
the same office gives the same bytes in any database. Closures, scheduled texts, delegations
and vikars are never changed in place (an edit is remove + add), so their version is 1.

In: a list that stands in the document is the whole wished-for state. An entry equal to a
stored record (times compared as moments) is that record; an entry that matches none is added;
a stored record no entry matches is removed. Every add and remove goes through the same
function the dashboard calls, with the same rights and rules. A list left out is untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from helsetilbud import editing
from helsetilbud.access import Identity
from helsetilbud.catalog import AREAS, CATALOG, PATIENT_SERVICES
from helsetilbud.model import Delegation, Gp, Office, ScheduledText, ServiceClosure, User
from helsetilbud.oslo_time import OSLO, short_moment
from helsetilbud.public_holidays import describe_rule, rule_services, set_holiday_rule
from helsetilbud.vikar import add_vikar, remove_vikar

Step = tuple[str, Callable[[], object]]
IMMUTABLE_VERSION = 1


def moment_text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(OSLO).isoformat()


def _service_index(slug: str) -> int:
    return PATIENT_SERVICES.index(slug) if slug in PATIENT_SERVICES else len(PATIENT_SERVICES)


def closure_entry(c: ServiceClosure) -> dict[str, Any]:
    if c.weekdays:
        entry: dict[str, Any] = {
            "service": c.service,
            "weekdays": [int(d) for d in c.weekdays.split(",")],
            "daily_from": c.daily_from,
            "daily_to": c.daily_to,
        }
    else:
        entry = {
            "service": c.service,
            "starts_at": moment_text(c.starts_at),
            "ends_at": moment_text(c.ends_at),
        }
    return {**entry, "note": c.note, "version": IMMUTABLE_VERSION}


def _order(entry: dict[str, Any]) -> str:
    return json_key({k: v for k, v in entry.items() if k != "version"})


def json_key(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def gp_parts(gp: Gp) -> dict[str, Any]:
    closures = sorted(
        (closure_entry(c) for c in gp.closures),
        key=lambda e: (_service_index(e["service"]), _order(e)),
    )
    rule = gp.holiday_rule
    holidays = (
        None
        if rule is None
        else {"services": list(rule_services(rule)), "eves": rule.eves, "version": rule.version}
    )
    return {"closures": closures, "holidays": holidays}


OfficeRows = tuple[dict[int, list[ScheduledText]], dict[int, list[tuple[Delegation, User]]]]


def office_rows(session: Session, office_ids: list[int]) -> OfficeRows:
    """The scheduled texts and unrevoked delegations of many offices, in two queries."""
    texts: dict[int, list[ScheduledText]] = {i: [] for i in office_ids}
    grants: dict[int, list[tuple[Delegation, User]]] = {i: [] for i in office_ids}
    for t in session.scalars(select(ScheduledText).where(ScheduledText.office_id.in_(office_ids))):
        texts[t.office_id].append(t)
    rows = session.execute(
        select(Delegation, User)
        .join(User, Delegation.user_id == User.id)
        .where(Delegation.office_id.in_(office_ids), Delegation.revoked_at.is_(None))
    )
    for d, u in rows:
        grants[d.office_id].append((d, u))
    return texts, grants


def office_parts(office: Office, rows: OfficeRows) -> dict[str, Any]:
    texts, grants = rows[0][office.id], rows[1][office.id]
    scheduled = sorted(
        (
            {
                "area": t.area,
                "text": t.text,
                "starts_at": moment_text(t.starts_at),
                "ends_at": moment_text(t.ends_at),
                "version": IMMUTABLE_VERSION,
            }
            for t in texts
        ),
        key=lambda e: (AREAS.index(e["area"]), e["starts_at"], _order(e)),
    )
    delegations = sorted(
        (
            {
                "login": user.login,
                "name": user.display_name,
                "ends_at": moment_text(d.ends_at),
                "version": IMMUTABLE_VERSION,
            }
            for d, user in grants
        ),
        key=_order,
    )
    vikars = sorted(
        (vikar_entry(gp.hpr, v) for gp in office.gps for v in gp.vikars),
        key=lambda e: (e["list"], e["from"], _order(e)),
    )
    return {"scheduled_texts": scheduled, "delegations": delegations, "vikars": vikars}


def vikar_entry(list_hpr: str, v: Any) -> dict[str, Any]:
    return {
        "list": list_hpr,
        "hpr": v.hpr,
        "name": v.name,
        "case": v.kind,
        "from": v.starts_on.isoformat(),
        "to": v.ends_on.isoformat(),
        "version": IMMUTABLE_VERSION,
    }


# --- import -------------------------------------------------------------------------------


class BadEntry(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _moment(value: str | None, label: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadEntry(f"{label} «{value}» er ikke et gyldig tidspunkt.") from None


def _day(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadEntry(f"{label} «{value}» er ikke en gyldig dato.") from None


def _canon_closure(e: dict[str, Any]) -> str:
    starts = _moment(e.get("starts_at"), "«starts_at»")
    ends = _moment(e.get("ends_at"), "«ends_at»")
    return json_key(
        {
            "service": e["service"],
            "starts_at": moment_text(starts),
            "ends_at": moment_text(ends),
            "weekdays": sorted(set(e["weekdays"])) if "weekdays" in e else None,
            "daily_from": e.get("daily_from"),
            "daily_to": e.get("daily_to"),
            "note": e.get("note", ""),
        }
    )


def _match(
    stored: list[tuple[str, Step]],
    entries: list[tuple[str, Step | None]],
) -> tuple[list[Step], list[Step]]:
    """(removes, adds): stored keys no entry matches, entries no stored key matches."""
    left = list(stored)
    adds: list[Step] = []
    for key, add in entries:
        hit = next((i for i, (k, _) in enumerate(left) if k == key), None)
        if hit is not None:
            left.pop(hit)
        elif add is not None:
            adds.append(add)
    return [remove for _, remove in left], adds


def _entries(
    raw: list[dict[str, Any]],
    canon: Callable[[dict[str, Any]], str],
    add: Callable[[dict[str, Any]], Step],
    what: str,
    problems: list[str],
) -> list[tuple[str, Step | None]]:
    out: list[tuple[str, Step | None]] = []
    for number, entry in enumerate(raw, 1):
        try:
            key = canon(entry)
        except BadEntry as exc:
            problems.append(f"{what} nr. {number}: {exc.message}")
            continue
        if entry.get("version", IMMUTABLE_VERSION) > IMMUTABLE_VERSION:
            problems.append(
                f"{what} nr. {number}: «version» er {entry['version']}, men slike oppføringer "
                f"endres aldri og har alltid versjon {IMMUTABLE_VERSION}."
            )
            continue
        out.append((key, add(entry)))
    return out


def gp_steps(
    session: Session, identity: Identity, gp: Gp, entry: dict[str, Any], where: str
) -> tuple[list[Step], list[str]]:
    """Steps for one GP's `closures` and `holidays` (each only when it stands in `entry`)."""
    problems: list[str] = []
    removes: list[Step] = []
    adds: list[Step] = []
    who = f"{where} – {gp.name}"
    if "closures" in entry:
        stored = [
            (
                _canon_closure(closure_entry(c)),
                (
                    f"{who}: stengning fjernet ({_closure_label(c)})",
                    lambda cid=c.id: editing.remove_closure(session, identity, cid),
                ),
            )
            for c in gp.closures
        ]

        def add(e: dict[str, Any]) -> Step:
            return (f"{who}: ny stengning ({_entry_label(e)})", lambda: _add_closure(e))

        def _add_closure(e: dict[str, Any]) -> object:
            kwargs: dict[str, Any] = {"note": e.get("note", "")}
            if any(k in e for k in ("weekdays", "daily_from", "daily_to")):
                kwargs.update(
                    weekdays=tuple(e.get("weekdays", ())),
                    daily_from=e.get("daily_from"),
                    daily_to=e.get("daily_to"),
                )
            if "starts_at" in e or "ends_at" in e:
                kwargs.update(
                    starts_at=_moment(e.get("starts_at"), "«starts_at»"),
                    ends_at=_moment(e.get("ends_at"), "«ends_at»"),
                )
            return editing.add_closure(session, identity, gp.hpr, e["service"], **kwargs)

        found = _entries(entry["closures"], _canon_closure, add, "stengning", problems)
        r, a = _match(stored, found)
        removes += r
        adds += a
    if "holidays" in entry:
        step, problem = _holiday_step(session, identity, gp, entry["holidays"], who)
        if problem:
            problems.append(problem)
        if step:
            adds.append(step)
    return removes + adds, [f"fastlegen med HPR {gp.hpr}: {p}" for p in problems]


def _holiday_step(
    session: Session, identity: Identity, gp: Gp, wanted: dict[str, Any] | None, who: str
) -> tuple[Step | None, str | None]:
    rule = gp.holiday_rule
    stored = (list(rule_services(rule)), rule.eves) if rule is not None else ([], False)
    version = rule.version if rule is not None else 0
    if wanted is None:
        if stored[0] or stored[1]:
            return None, (
                "«holidays» er null, men en helligdagsstengning er lagret "
                f"(versjon {version}). Bruk verdien fra en ny eksport."
            )
        return None, None
    services = [s for s in PATIENT_SERVICES if s in wanted["services"]]
    given = wanted.get("version")
    if rule is not None and given is not None and given > version:
        return None, (
            f"«holidays.version» er {given}, men den lagrede versjonen er {version}. Bruk "
            "versjonen fra en eksport."
        )
    if (services, wanted["eves"]) == stored:
        return None, None
    expected = version if rule is None or given is None else given
    label = f"{who}: {describe_rule(tuple(services), wanted['eves']).lower()}"
    return (
        label,
        lambda: set_holiday_rule(session, identity, gp.hpr, services, wanted["eves"], expected),
    ), None


def _closure_label(c: ServiceClosure) -> str:
    return _entry_label(closure_entry(c))


def _entry_label(e: dict[str, Any]) -> str:
    name = CATALOG.patient_service(e["service"]).name
    if "weekdays" in e:
        return f"{name}, ukeplan {e.get('daily_from')}–{e.get('daily_to')}"
    start, end = e.get("starts_at"), e.get("ends_at")
    try:
        s, t = _moment(start, ""), _moment(end, "")
        return f"{name}, {short_moment(s)}–{short_moment(t)}" if s and t else name
    except BadEntry:
        return name


def office_steps(
    session: Session, identity: Identity, office: Office, doc: dict[str, Any], where: str
) -> tuple[list[Step], list[str]]:
    """Steps for the office's `scheduled_texts`, `delegations` and `vikars`."""
    problems: list[str] = []
    removes: list[Step] = []
    adds: list[Step] = []
    her_id = office.her_id

    def run(stored: list[tuple[str, Step]], found: list[tuple[str, Step | None]]) -> None:
        r, a = _match(stored, found)
        removes.extend(r)
        adds.extend(a)

    if "scheduled_texts" in doc:
        rows = session.scalars(select(ScheduledText).where(ScheduledText.office_id == office.id))

        def canon_text(e: dict[str, Any]) -> str:
            starts = _moment(e["starts_at"], "«starts_at»")
            ends = _moment(e["ends_at"], "«ends_at»")
            if starts is None or ends is None or starts.tzinfo is None or ends.tzinfo is None:
                raise BadEntry("tidspunktene må ha tidssone.")
            return json_key([e["area"], e["text"], moment_text(starts), moment_text(ends)])

        stored = [
            (
                json_key([t.area, t.text, moment_text(t.starts_at), moment_text(t.ends_at)]),
                (
                    f"{where} – {CATALOG.area(t.area).name}: tidsbegrenset tekst fjernet",
                    lambda tid=t.id: editing.remove_scheduled_text(session, identity, tid),
                ),
            )
            for t in rows
        ]

        def add_text(e: dict[str, Any]) -> Step:
            return (
                f"{where} – {CATALOG.area(e['area']).name}: ny tidsbegrenset tekst",
                lambda: editing.add_scheduled_text(
                    session,
                    identity,
                    her_id,
                    e["area"],
                    e["text"],
                    _moment(e["starts_at"], "«starts_at»"),  # type: ignore[arg-type]
                    _moment(e["ends_at"], "«ends_at»"),  # type: ignore[arg-type]
                ),
            )

        found = _entries(doc["scheduled_texts"], canon_text, add_text, "tidsbegrenset tekst",
                         problems)  # fmt: skip
        run(stored, found)
    if "delegations" in doc:
        grants = session.execute(
            select(Delegation, User)
            .join(User, Delegation.user_id == User.id)
            .where(Delegation.office_id == office.id, Delegation.revoked_at.is_(None))
        ).all()

        def canon_grant(e: dict[str, Any]) -> str:
            ends = _moment(e.get("ends_at"), "«ends_at»")
            if ends is not None and ends.tzinfo is None:
                raise BadEntry("«ends_at» må ha tidssone.")
            return json_key([e["login"], e["name"], moment_text(ends)])

        stored = [
            (
                json_key([u.login, u.display_name, moment_text(d.ends_at)]),
                (
                    f"{where} – tilgangen til {u.display_name} trukket tilbake",
                    lambda did=d.id: editing.revoke_delegation(session, identity, did),
                ),
            )
            for d, u in grants
        ]

        def add_grant(e: dict[str, Any]) -> Step:
            return (
                f"{where} – tilgang gitt til {e['name']} ({e['login']})",
                lambda: editing.delegate(
                    session,
                    identity,
                    her_id,
                    e["login"],
                    e["name"],
                    ends_at=_moment(e.get("ends_at"), "«ends_at»"),
                ),
            )

        run(stored, _entries(doc["delegations"], canon_grant, add_grant, "delegering", problems))
    if "vikars" in doc:
        lists = {gp.hpr: gp for gp in office.gps}

        def canon_vikar(e: dict[str, Any]) -> str:
            if e["list"] not in lists:
                raise BadEntry(f"fastlegen med HPR {e['list']} har ikke liste ved {her_id}.")
            first, last = _day(e["from"], "«from»"), _day(e["to"], "«to»")
            return json_key([e["list"], e["hpr"], e["name"], e["case"], str(first), str(last)])

        stored = [
            (
                json_key([gp.hpr, v.hpr, v.name, v.kind, str(v.starts_on), str(v.ends_on)]),
                (
                    f"{where} – vikar {v.name} fjernet fra listen til {gp.name}",
                    lambda vid=v.id: remove_vikar(session, identity, vid),
                ),
            )
            for gp in office.gps
            for v in gp.vikars
        ]

        def add_v(e: dict[str, Any]) -> Step:
            return (
                f"{where} – vikar {e['name']} for listen til {lists[e['list']].name}",
                lambda: add_vikar(
                    session,
                    identity,
                    e["list"],
                    e["hpr"],
                    e["name"],
                    _day(e["from"], "«from»"),
                    _day(e["to"], "«to»"),
                    e["case"],
                ),
            )

        run(stored, _entries(doc["vikars"], canon_vikar, add_v, "vikar", problems))
    return removes + adds, problems
