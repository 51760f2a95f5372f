"""Office export and import in the `helsetilbud.office/1` JSON format.

Export writes one office per line, in HER-id order, byte for byte the same for the same
database. Import applies an edited export through `editing` as the given login: all or
nothing — every problem is collected and named, and on any problem nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from helsetilbud import editing
from helsetilbud.access import Identity
from helsetilbud.catalog import AREAS, CATALOG, PATIENT_SERVICES, TRIAGE_SERVICES
from helsetilbud.errors import HelsetilbudError, ImportFailed, NotFound
from helsetilbud.model import Gp, Office

FORMAT = "helsetilbud.office/1"


def office_document(office: Office) -> dict[str, Any]:
    """One office as the export format's JSON object."""
    texts = {t.area: t for t in office.info_texts}
    tools = {a.service: a for a in office.assignments}
    return {
        "format": FORMAT,
        "her_id": office.her_id,
        "name": office.name,
        "address": f"{office.address}, {office.postal_code} {office.postal_place}",
        "org_number": office.org_number,
        "info_texts": {
            area: {"text": texts[area].text, "version": texts[area].version} for area in AREAS
        },
        "triage": {
            service: {"tool": tools[service].tool_id, "version": tools[service].version}
            for service in TRIAGE_SERVICES
        },
        "gps": [
            {"hpr": gp.hpr, "name": gp.name, "services": gp.services(), "version": gp.version}
            for gp in sorted(office.gps, key=lambda g: g.hpr)
        ],
    }


def _offices_query() -> Any:
    return select(Office).options(
        selectinload(Office.info_texts),
        selectinload(Office.assignments),
        selectinload(Office.gps),
    )


def export_office(session: Session, her_id: str) -> str:
    office = session.scalar(_offices_query().where(Office.her_id == her_id))
    if office is None:
        raise NotFound(f"Fant ikke legekontoret med HER-id {her_id}.", "her_id")
    return json.dumps(office_document(office), ensure_ascii=False, indent=2) + "\n"


def export_all(session: Session, chunk: int = 500) -> Iterator[str]:
    """Every office, one JSON object a line, ordered by HER-id."""
    her_ids = list(session.scalars(select(Office.her_id).order_by(Office.her_id)))
    for start in range(0, len(her_ids), chunk):
        part = her_ids[start : start + chunk]
        offices = session.scalars(_offices_query().where(Office.her_id.in_(part))).all()
        for office in sorted(offices, key=lambda o: o.her_id):
            yield json.dumps(office_document(office), ensure_ascii=False) + "\n"


def parse_documents(raw: str) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """Read a whole export (one pretty object, a list, or one object a line)."""
    problems: list[str] = []
    try:
        whole = json.loads(raw)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict):
        return [("filen", whole)], problems
    if isinstance(whole, list):
        docs = [(f"element {i + 1}", d) for i, d in enumerate(whole) if isinstance(d, dict)]
        if len(docs) != len(whole):
            problems.append("Listen inneholder noe som ikke er et legekontor (JSON-objekt).")
        return docs, problems
    docs = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"Linje {number}: ugyldig JSON ({exc.msg}, tegn {exc.colno}).")
            continue
        if not isinstance(doc, dict):
            problems.append(f"Linje {number}: forventet et JSON-objekt for ett legekontor.")
            continue
        docs.append((f"linje {number}", doc))
    if not docs and not problems:
        problems.append("Filen inneholder ingen legekontorer.")
    return docs, problems


@dataclass
class ImportReport:
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _check_shape(where: str, doc: dict[str, Any]) -> list[str]:
    problems = []
    if doc.get("format") != FORMAT:
        problems.append(f"{where}: «format» må være «{FORMAT}».")
    if not isinstance(doc.get("her_id"), str):
        problems.append(f"{where}: HER-id mangler.")
    for key, known, label in (
        ("info_texts", AREAS, "område"),
        ("triage", TRIAGE_SERVICES, "tjeneste"),
    ):
        part = doc.get(key, {})
        if not isinstance(part, dict):
            problems.append(f"{where}: «{key}» må være et objekt.")
            continue
        for slug, entry in part.items():
            if slug not in known:
                problems.append(f"{where}: ukjent {label} «{slug}».")
            elif not isinstance(entry, dict) or not isinstance(entry.get("version"), int):
                problems.append(f"{where}: «{key}.{slug}» må ha «version» som heltall.")
            elif key == "info_texts" and not isinstance(entry.get("text"), str):
                problems.append(f"{where}: teksten for «{slug}» må være en tekststreng.")
            elif key == "triage" and not isinstance(entry.get("tool"), str | None):
                problems.append(f"{where}: verktøyet for «{slug}» må være en id eller null.")
    for gp in doc.get("gps", []) if isinstance(doc.get("gps", []), list) else [None]:
        if not isinstance(gp, dict) or not isinstance(gp.get("version"), int):
            problems.append(f"{where}: hver fastlege i «gps» må ha «hpr» og «version».")
            continue
        for slug in gp.get("services", {}):
            if slug not in PATIENT_SERVICES:
                problems.append(
                    f"{where}: ukjent pasienttjeneste «{slug}» for HPR {gp.get('hpr')}."
                )
    return problems


def _apply(
    session: Session, identity: Identity, where: str, doc: dict[str, Any], report: ImportReport
) -> None:
    her_id = doc["her_id"]
    office = session.scalar(_offices_query().where(Office.her_id == her_id))
    if office is None:
        report.problems.append(f"{where}: ukjent HER-id {her_id}.")
        return
    for key, stored in (("name", office.name), ("org_number", office.org_number)):
        if key in doc and doc[key] != stored:
            report.problems.append(
                f"{where}: «{key}» kommer fra registeret og kan ikke endres ved import."
            )
    texts = {t.area: t for t in office.info_texts}
    tools = {a.service: a for a in office.assignments}
    gps = {g.hpr: g for g in office.gps}
    steps: list[tuple[str, Any]] = []
    for area, entry in doc.get("info_texts", {}).items():
        if entry.get("text") != texts[area].text:
            label = f"{office.name} ({her_id}) – {CATALOG.area(area).name}: ny tekst"
            steps.append(
                (
                    label,
                    lambda a=area, e=entry: editing.set_info_text(
                        session, identity, her_id, a, e.get("text"), e["version"]
                    ),
                )
            )
    for service, entry in doc.get("triage", {}).items():
        if entry.get("tool") != tools[service].tool_id:
            name = CATALOG.triage_service(service).name
            label = f"{office.name} ({her_id}) – {name}: verktøy «{entry.get('tool') or 'Ingen'}»"
            steps.append(
                (
                    label,
                    lambda s=service, e=entry: editing.set_tool(
                        session, identity, her_id, s, e.get("tool"), e["version"]
                    ),
                )
            )
    for entry in doc.get("gps", []):
        gp: Gp | None = gps.get(entry.get("hpr"))
        if gp is None:
            report.problems.append(
                f"{where}: fastlegen med HPR {entry.get('hpr')} har ikke liste ved {her_id}."
            )
            continue
        wanted = entry.get("services", {})
        if any(gp.services()[slug] != bool(on) for slug, on in wanted.items()):
            steps.append(
                (
                    f"{office.name} ({her_id}) – tjenestene til {gp.name}",
                    lambda h=gp.hpr, w=wanted, e=entry: editing.set_gp_services(
                        session, identity, h, {k: bool(v) for k, v in w.items()}, e["version"]
                    ),
                )
            )
    for label, step in steps:
        try:
            with session.begin_nested():
                step()
            report.changes.append(label)
        except HelsetilbudError as exc:
            report.problems.append(f"{where}: {exc.message}")


def import_offices(session: Session, identity: Identity, raw: str) -> ImportReport:
    """Apply an edited export inside the caller's transaction; raise ImportFailed on any problem.

    The caller rolls back on ImportFailed, so a file with one bad part changes nothing.
    """
    docs, problems = parse_documents(raw)
    report = ImportReport(problems=problems)
    for where, doc in docs:
        shape = _check_shape(where, doc)
        if shape:
            report.problems.extend(shape)
            continue
        _apply(session, identity, where, doc, report)
    if report.problems:
        raise ImportFailed(report.problems)
    return report


__all__ = ["FORMAT", "ImportReport", "export_all", "export_office", "import_offices"]
