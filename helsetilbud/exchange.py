"""Office export (`helsetilbud.office/2`) and import (/1 and /2) as JSON.

Export writes one office per line, in HER-id order, byte for byte the same for the same
database. Import applies an edited export through `editing` as the given login: all or
nothing — every problem is collected and named, and on any problem nothing is written.
What /2 adds (closures, holiday rule, scheduled texts, delegations, vikars) is in
`exchange_lists`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from helsetilbud import editing
from helsetilbud.access import Identity
from helsetilbud.catalog import AREAS, CATALOG, TRIAGE_SERVICES
from helsetilbud.errors import HelsetilbudError, ImportFailed, NotFound
from helsetilbud.exchange_lists import gp_parts, gp_steps, office_parts, office_rows, office_steps
from helsetilbud.json_input import JsonDocument, JsonInputError, decode, read_values, shown
from helsetilbud.model import Gp, Office
from helsetilbud.office_format import FORMAT_1, FORMAT_2, document_problems
from helsetilbud.text_hints.numbers import digits_of

FORMAT = FORMAT_2


def _address(office: Office) -> str:
    return f"{office.address}, {office.postal_code} {office.postal_place}"


def office_document(office: Office, rows: Any = None, *, format: str = FORMAT) -> dict[str, Any]:
    """One office as the export format's JSON object (/2 needs `rows` from `office_rows`)."""
    texts = {t.area: t for t in office.info_texts}
    tools = {a.service: a for a in office.assignments}
    doc = {
        "format": format,
        "her_id": office.her_id,
        "name": office.name,
        "address": _address(office),
        "org_number": office.org_number,
        **({"phone": office.phone} if format == FORMAT_2 else {}),
        "info_texts": {
            area: {"text": texts[area].text, "version": texts[area].version} for area in AREAS
        },
        "triage": {
            service: {"tool": tools[service].tool_id, "version": tools[service].version}
            for service in TRIAGE_SERVICES
        },
        "gps": [
            {
                "hpr": gp.hpr,
                "name": gp.name,
                "services": gp.services(),
                "version": gp.version,
                **(gp_parts(gp) if format == FORMAT_2 else {}),
            }
            for gp in sorted(office.gps, key=lambda g: g.hpr)
        ],
    }
    if format == FORMAT_2:
        doc.update(office_parts(office, rows))
    return doc


def _offices_query() -> Any:
    return select(Office).options(
        selectinload(Office.info_texts),
        selectinload(Office.assignments),
        selectinload(Office.gps).selectinload(Gp.closures),
        selectinload(Office.gps).selectinload(Gp.vikars),
        selectinload(Office.gps).selectinload(Gp.holiday_rule),
    )


def export_office(session: Session, her_id: str, *, format: str = FORMAT) -> str:
    office = session.scalar(_offices_query().where(Office.her_id == her_id))
    if office is None:
        raise NotFound(f"Fant ikke legekontoret med HER-id {her_id}.", "her_id")
    doc = office_document(office, office_rows(session, [office.id]), format=format)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def export_all(session: Session, chunk: int = 500, *, format: str = FORMAT) -> Iterator[str]:
    """Every office, one JSON object a line, ordered by HER-id."""
    her_ids = list(session.scalars(select(Office.her_id).order_by(Office.her_id)))
    for start in range(0, len(her_ids), chunk):
        part = her_ids[start : start + chunk]
        offices = session.scalars(_offices_query().where(Office.her_id.in_(part))).all()
        rows = office_rows(session, [o.id for o in offices])
        for office in sorted(offices, key=lambda o: o.her_id):
            doc = office_document(office, rows, format=format)
            yield json.dumps(doc, ensure_ascii=False) + "\n"


def _where(doc: JsonDocument, count: int) -> str:
    if count == 1:
        return "filen"
    if doc.first_line == doc.last_line:
        return f"linje {doc.first_line}"
    return f"linjene {doc.first_line}–{doc.last_line}"


def parse_documents(raw: str | bytes) -> tuple[list[tuple[str, Any]], list[str]]:
    """Read a whole export (one pretty object, a list, or one object a line).

    Returns (where, value) for each office document, and the problems that stop the reading:
    the first JSON error with its line and column, or a file without any office.
    """
    try:
        values = read_values(decode(raw) if isinstance(raw, bytes) else raw)
    except JsonInputError as exc:
        return [], [exc.message]
    docs: list[tuple[str, Any]] = []
    for value in values:
        if isinstance(value.value, list):
            docs += [(f"element {i + 1}", item) for i, item in enumerate(value.value)]
        else:
            docs.append((_where(value, len(values)), value.value))
    if not docs:
        return [], ["Filen inneholder ingen legekontorer."]
    return docs, []


@dataclass
class ImportReport:
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


Step = tuple[str, Callable[[], object]]


def _registry_problems(office: Office, doc: dict[str, Any]) -> list[str]:
    stored = {"name": office.name, "address": _address(office), "org_number": office.org_number}
    problems = [
        f"«{key}» kommer fra registeret og kan ikke endres ved import."
        for key, value in stored.items()
        if key in doc and doc[key] != value
    ]
    if "phone" in doc and _digits(doc["phone"]) != _digits(office.phone):
        known = f"«{office.phone}»" if office.phone else "ikke noe nummer"
        problems.append(
            f"«phone» kommer fra registeret og kan ikke endres ved import (registeret har {known})."
        )
    return problems


def _digits(phone: str | None) -> str:
    return digits_of(phone) if phone else ""


def _version_problem(key: str, given: int, stored: int) -> str | None:
    """A version newer than the stored one cannot come from an export."""
    if given <= stored:
        return None
    return (
        f"«{key}.version» er {given}, men den lagrede versjonen er {stored}. Bruk versjonen "
        "fra en eksport."
    )


def _steps(
    session: Session, identity: Identity, office: Office, doc: dict[str, Any]
) -> tuple[list[Step], list[str]]:
    her_id, where = office.her_id, f"{office.name} ({office.her_id})"
    texts = {t.area: t for t in office.info_texts}
    tools = {a.service: a for a in office.assignments}
    gps = {g.hpr: g for g in office.gps}
    steps: list[Step] = []
    problems: list[str] = []
    for area, entry in doc.get("info_texts", {}).items():
        problem = _version_problem(f"info_texts.{area}", entry["version"], texts[area].version)
        if problem:
            problems.append(problem)
        elif entry["text"] != texts[area].text:
            steps.append(
                (
                    f"{where} – {CATALOG.area(area).name}: ny tekst",
                    lambda a=area, e=entry: editing.set_info_text(
                        session, identity, her_id, a, e["text"], e["version"]
                    ),
                )
            )
    for service, entry in doc.get("triage", {}).items():
        stored = tools[service]
        problem = _version_problem(f"triage.{service}", entry["version"], stored.version)
        if problem:
            problems.append(problem)
        elif entry["tool"] != stored.tool_id:
            name = CATALOG.triage_service(service).name
            tool = shown(entry["tool"] or "Ingen")
            steps.append(
                (
                    f"{where} – {name}: verktøy «{tool}»",
                    lambda s=service, e=entry: editing.set_tool(
                        session, identity, her_id, s, e["tool"], e["version"]
                    ),
                )
            )
    for entry in doc.get("gps", []):
        gp: Gp | None = gps.get(entry["hpr"])
        if gp is None:
            problems.append(f"fastlegen med HPR {entry['hpr']} har ikke liste ved {her_id}.")
            continue
        problem = _version_problem(f"gps (HPR {gp.hpr})", entry["version"], gp.version)
        wanted: dict[str, bool] = entry.get("services", {})
        if problem:
            problems.append(problem)
        elif any(gp.services()[slug] != on for slug, on in wanted.items()):
            steps.append(
                (
                    f"{where} – tjenestene til {gp.name}",
                    lambda h=gp.hpr, w=wanted, e=entry: editing.set_gp_services(
                        session, identity, h, w, e["version"]
                    ),
                )
            )
        more, trouble = gp_steps(session, identity, gp, entry, where)
        steps += more
        problems += trouble
    more, trouble = office_steps(session, identity, office, doc, where)
    return steps + more, problems + trouble


def _apply(
    session: Session, identity: Identity, where: str, doc: dict[str, Any], report: ImportReport
) -> None:
    office = session.scalar(_offices_query().where(Office.her_id == doc["her_id"]))
    if office is None:
        report.problems.append(f"{where}: ukjent HER-id {doc['her_id']}.")
        return
    steps, problems = _steps(session, identity, office, doc)
    problems = _registry_problems(office, doc) + problems
    report.problems.extend(f"{where}: {problem}" for problem in problems)
    for label, step in steps:
        try:
            with session.begin_nested():
                step()
            report.changes.append(label)
        except HelsetilbudError as exc:
            report.problems.append(f"{where}: {exc.message}")


def import_offices(session: Session, identity: Identity, raw: str | bytes) -> ImportReport:
    """Apply an edited export inside the caller's transaction; raise ImportFailed on any problem.

    The caller rolls back on ImportFailed, so a file with one bad part changes nothing.
    """
    docs, problems = parse_documents(raw)
    report = ImportReport(problems=problems)
    for where, doc in docs:
        shape = document_problems(doc)
        if shape:
            report.problems.extend(f"{where}: {problem}" for problem in shape)
            continue
        _apply(session, identity, where, doc, report)
    if report.problems:
        raise ImportFailed(report.problems)
    return report


__all__ = [
    "FORMAT",
    "FORMAT_1",
    "FORMAT_2",
    "ImportReport",
    "export_all",
    "export_office",
    "import_offices",
]
