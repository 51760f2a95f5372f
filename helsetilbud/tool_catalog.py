"""The forvalter's catalogue of triage tools: add a tool, publish a new version, roll out.

A roll-out ("replace tool X with tool Y for service S at every office that uses X") is first
a dry run that lists the offices; applied, it changes each of them through `editing.set_tool`
inside the caller's one transaction, so one failing office refuses the whole roll-out, and
records one `rollout` audit event beside the offices' own.

Each publish keeps the Questionnaire before and after in its audit event, so every version
published here can be shown and compared again (`tool_versions`).
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from helsetilbud import editing
from helsetilbud.access import Identity, require_catalog_admin
from helsetilbud.audit import loads, record, resolve_now
from helsetilbud.catalog import CATALOG, TRIAGE_SERVICES
from helsetilbud.errors import HelsetilbudError, NotFound, ValidationError
from helsetilbud.forms import Questionnaire, QuestionnaireError, load_questionnaires
from helsetilbud.model import AuditEvent, Office, ToolAssignment, ToolService, TriageTool
from helsetilbud.tool_diff import ToolDiff, diff_questionnaires

TOOL = "tool"  # audit entity of a tool added or published (key: tool id)
ROLLOUT = "rollout"  # audit entity of an applied roll-out (key: service)


def allowed_tools(session: Session, service: str) -> list[TriageTool]:
    """The published tools the catalogue allows in front of `service`: standard first, by title."""
    if service not in TRIAGE_SERVICES:
        raise ValidationError(f"Ukjent tjeneste «{service}».", field="service")
    return list(
        session.scalars(
            select(TriageTool)
            .join(ToolService, ToolService.tool_id == TriageTool.id)
            .where(ToolService.service == service, TriageTool.status == "published")
            .order_by(TriageTool.standard.desc(), TriageTool.title)
        )
    )


def _one_questionnaire(raw: str | dict[str, Any]) -> tuple[Questionnaire, dict[str, Any]]:
    try:
        data = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError as exc:
        msg = f"Filen er ikke gyldig JSON: {exc.msg} (linje {exc.lineno})."
        raise QuestionnaireError(msg) from exc
    if not isinstance(data, dict):
        raise QuestionnaireError("Filen er ikke et FHIR-skjema (forventet et JSON-objekt).")
    found = load_questionnaires(data)
    if len(found) != 1:
        raise QuestionnaireError(
            f"Samlingen inneholder {len(found)} skjemaer; et verktøy må være ett skjema."
        )
    return found[0], found[0].source


def check_questionnaire(raw: str | dict[str, Any]) -> Questionnaire:
    """The one Questionnaire in `raw`, checked as `helsetilbud form check` checks a file (its
    `warnings` filled in); QuestionnaireError in Norwegian when it cannot be a tool."""
    return _one_questionnaire(raw)[0]


def slug_for(title: str) -> str:
    """A tool id from a title: "Forny resept 2" -> "forny-resept-2"."""
    ascii_title = title.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    ascii_title = unicodedata.normalize("NFKD", ascii_title.lower()).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.decode()).strip("-")[:80] or "verktoy"


def _check_kind_and_services(kind: str, services: list[str]) -> None:
    if kind not in CATALOG.tool_kinds:
        known = ", ".join(CATALOG.tool_kinds)
        raise ValidationError(f"Ukjent verktøytype «{kind}». Gyldige: {known}.", field="kind")
    if not services:
        raise ValidationError("Velg minst én tjeneste verktøyet kan brukes for.", field="services")
    for service in services:
        if service not in TRIAGE_SERVICES:
            raise ValidationError(f"Ukjent tjeneste «{service}».", field="services")


def add_tool(
    session: Session,
    identity: Identity,
    questionnaire: str | dict[str, Any],
    *,
    kind: str,
    services: list[str],
    tool_id: str | None = None,
    standard: bool = False,
    description: str = "",
    now: datetime | None = None,
) -> TriageTool:
    """Add a Questionnaire (e.g. made in structor) as a new, published tool."""
    now = resolve_now(now)
    require_catalog_admin(session, identity)
    _check_kind_and_services(kind, services)
    form, source = _one_questionnaire(questionnaire)
    tool_id = tool_id or slug_for(form.title)
    if session.get(TriageTool, tool_id) is not None:
        raise ValidationError(f"Det finnes allerede et verktøy med id «{tool_id}».", field="id")
    tool = TriageTool(
        id=tool_id,
        title=form.title,
        kind=kind,
        standard=standard,
        description=description,
        questionnaire=json.dumps(source, ensure_ascii=False),
        questionnaire_version=str(form.version or "1"),
        status="published",
        created_at=now,
    )
    tool.services = [ToolService(service=s) for s in sorted(set(services))]
    session.add(tool)
    after = {
        "title": form.title,
        "kind": kind,
        "services": sorted(set(services)),
        "version": tool.questionnaire_version,
        "questionnaire": source,
    }
    record(session, identity, now, None, TOOL, tool_id, None, after)
    session.flush()
    return tool


def publish_version(
    session: Session,
    identity: Identity,
    tool_id: str,
    questionnaire: str | dict[str, Any],
    *,
    now: datetime | None = None,
) -> TriageTool:
    """Replace the tool's Questionnaire with a new version; offices using it get it at once."""
    now = resolve_now(now)
    require_catalog_admin(session, identity)
    tool = session.get(TriageTool, tool_id)
    if tool is None:
        raise NotFound(f"Fant ikke triageringsverktøyet «{tool_id}».", field="id")
    form, source = _one_questionnaire(questionnaire)
    old_source = json.loads(tool.questionnaire)
    old_version = tool.questionnaire_version
    if source == old_source:
        raise ValidationError(
            f"Filen er lik versjon {old_version} av «{tool.label}», som allerede er publisert; "
            "ingenting å publisere.",
            field="file",
        )
    new_version = str(form.version or _next_version(old_version))
    if new_version == old_version:
        raise ValidationError(
            f"Versjon {new_version} av «{tool.label}» er allerede publisert med et annet innhold. "
            "Gi skjemaet et nytt versjonsnummer (feltet «version») og prøv igjen.",
            field="version",
        )
    before = {"title": tool.title, "version": old_version, "questionnaire": old_source}
    tool.title = form.title
    tool.questionnaire = json.dumps(source, ensure_ascii=False)
    tool.questionnaire_version = new_version
    after = {"title": tool.title, "version": new_version, "questionnaire": source}
    record(session, identity, now, None, TOOL, tool_id, before, after)
    session.flush()
    return tool


def _next_version(version: str | None) -> str:
    """ "3" -> "4"; "1.0.0" -> "1.0.1"; anything else gets ".1" added."""
    head, dot, last = (version or "0").rpartition(".")
    return f"{head}{dot}{int(last) + 1}" if last.isdigit() else f"{version}.1"


def preview_publish(
    session: Session, tool_id: str, questionnaire: str | dict[str, Any]
) -> ToolDiff:
    """What publishing `questionnaire` as the next version of `tool_id` would change (read only)."""
    tool = session.get(TriageTool, tool_id)
    if tool is None:
        raise NotFound(f"Fant ikke triageringsverktøyet «{tool_id}».", field="id")
    new = check_questionnaire(questionnaire)
    old = check_questionnaire(tool.questionnaire)
    old.version = tool.questionnaire_version
    if new.version is None:
        new.version = _next_version(old.version)
    return diff_questionnaires(old, new)


@dataclass(frozen=True)
class ToolVersion:
    """One published version of a tool; `questionnaire` is None when it was not kept (a
    version published before versions were kept in the audit log)."""

    version: str
    title: str
    questionnaire: dict[str, Any] | None
    published_at: datetime | None
    published_by: str | None


def tool_versions(session: Session, tool_id: str) -> list[ToolVersion]:
    """The tool's versions, oldest first; the last one is the version offices use now."""
    tool = session.get(TriageTool, tool_id)
    if tool is None:
        raise NotFound(f"Fant ikke triageringsverktøyet «{tool_id}».", field="id")
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == TOOL, AuditEvent.key == tool_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    versions: list[ToolVersion] = []
    for event in events:
        before, after = loads(event.before), loads(event.after)
        if not isinstance(after, dict):
            continue
        if not versions and isinstance(before, dict):  # the catalogue's version from data/
            versions.append(_version(before, None, None, tool))
        versions.append(_version(after, event.at, event.actor, tool))
    current = json.loads(tool.questionnaire)
    shown = tool.questionnaire_version
    if versions and versions[-1].version == shown and versions[-1].questionnaire is None:
        versions[-1] = dataclasses.replace(versions[-1], questionnaire=current)
    elif not versions or versions[-1].version != shown:
        versions.append(ToolVersion(shown, tool.title, current, None, None))
    return versions


def _version(
    data: dict[str, Any], at: datetime | None, actor: str | None, tool: TriageTool
) -> ToolVersion:
    source = data.get("questionnaire")
    return ToolVersion(
        str(data.get("version") or tool.questionnaire_version),
        str(data.get("title") or tool.title),
        source if isinstance(source, dict) else None,
        at,
        actor,
    )


def catalog_events(session: Session, limit: int = 100) -> list[AuditEvent]:
    """The catalogue's own history (tools added and published, roll-outs), newest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity.in_((TOOL, ROLLOUT)))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class RolloutPlan:
    service: str
    from_tool: str
    to_tool: str
    offices: tuple[tuple[str, str], ...]  # (her_id, name)
    applied: bool


def rollout(
    session: Session,
    identity: Identity,
    service: str,
    from_tool: str,
    to_tool: str,
    *,
    apply: bool = False,
    expected: tuple[str, ...] | None = None,
    now: datetime | None = None,
) -> RolloutPlan:
    """List (dry run) or change every office using `from_tool` for `service` to `to_tool`.

    With `expected` (the HER-ids a dry run listed), an apply is refused unless exactly those
    offices still use `from_tool`."""
    now = resolve_now(now)
    require_catalog_admin(session, identity)
    if service not in TRIAGE_SERVICES:
        raise ValidationError(f"Ukjent tjeneste «{service}».", field="service")
    for tool_id in (from_tool, to_tool):
        if session.get(TriageTool, tool_id) is None:
            raise NotFound(f"Fant ikke triageringsverktøyet «{tool_id}».", field="tool")
    if from_tool == to_tool:
        raise ValidationError("Fra-verktøy og til-verktøy er det samme.", field="tool")
    rows = session.execute(
        select(Office.her_id, Office.name, ToolAssignment.version)
        .join(ToolAssignment, ToolAssignment.office_id == Office.id)
        .where(ToolAssignment.service == service, ToolAssignment.tool_id == from_tool)
        .order_by(Office.her_id)
    ).all()
    offices = tuple((her_id, name) for her_id, name, _ in rows)
    if apply and expected is not None and tuple(expected) != tuple(h for h, _ in offices):
        raise ValidationError(
            "Utrullingen ble avvist, ingen legekontorer er endret: hvilke legekontorer som "
            f"bruker verktøyet, er endret siden prøvekjøringen (nå {len(offices)}, da "
            f"{len(expected)}). Kjør prøvekjøringen på nytt.",
            field="rollout",
        )
    if apply:
        problems = []
        for her_id, name, version in rows:
            try:
                with session.begin_nested():
                    editing.set_tool(session, identity, her_id, service, to_tool, version, now=now)
            except HelsetilbudError as exc:
                problems.append(f"{name} ({her_id}): {exc.message}")
        if problems:
            raise ValidationError(
                "Utrullingen ble avvist, ingen legekontorer er endret: " + "; ".join(problems),
                field="rollout",
            )
        if offices:
            before = {"tool": from_tool, "offices": [h for h, _ in offices]}
            record(session, identity, now, None, ROLLOUT, service, before, {"tool": to_tool})
            session.flush()
    return RolloutPlan(service, from_tool, to_tool, offices, apply)
