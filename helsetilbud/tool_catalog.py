"""The forvalter's catalogue of triage tools: add a tool, publish a new version, roll out.

A roll-out ("replace tool X with tool Y for service S at every office that uses X") is first
a dry run that lists the offices; applied, it changes each of them through `editing.set_tool`
inside the caller's one transaction, so one failing office refuses the whole roll-out.
"""

from __future__ import annotations

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
from helsetilbud.audit import record, resolve_now
from helsetilbud.catalog import CATALOG, TRIAGE_SERVICES
from helsetilbud.errors import HelsetilbudError, NotFound, ValidationError
from helsetilbud.forms import Questionnaire, QuestionnaireError, load_questionnaires
from helsetilbud.model import Office, ToolAssignment, ToolService, TriageTool

TOOL = "tool"


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
    after = {"title": form.title, "kind": kind, "services": sorted(set(services))}
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
    before = {"title": tool.title, "version": tool.questionnaire_version}
    tool.title = form.title
    tool.questionnaire = json.dumps(source, ensure_ascii=False)
    tool.questionnaire_version = str(form.version or int(tool.questionnaire_version or 0) + 1)
    after = {"title": tool.title, "version": tool.questionnaire_version}
    record(session, identity, now, None, TOOL, tool_id, before, after)
    session.flush()
    return tool


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
    now: datetime | None = None,
) -> RolloutPlan:
    """List (dry run) or change every office using `from_tool` for `service` to `to_tool`."""
    now = resolve_now(now)
    require_catalog_admin(session, identity)
    if service not in TRIAGE_SERVICES:
        raise ValidationError(f"Ukjent tjeneste «{service}».", field="service")
    for tool_id in (from_tool, to_tool):
        if session.get(TriageTool, tool_id) is None:
            raise NotFound(f"Fant ikke triageringsverktøyet «{tool_id}».", field="tool")
    rows = session.execute(
        select(Office.her_id, Office.name, ToolAssignment.version)
        .join(ToolAssignment, ToolAssignment.office_id == Office.id)
        .where(ToolAssignment.service == service, ToolAssignment.tool_id == from_tool)
        .order_by(Office.her_id)
    ).all()
    offices = tuple((her_id, name) for her_id, name, _ in rows)
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
    return RolloutPlan(service, from_tool, to_tool, offices, apply)
