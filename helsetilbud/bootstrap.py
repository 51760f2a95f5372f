"""Create or upgrade a database, load the tool catalogue and, when asked, the sample country."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from helsetilbud.catalog import CATALOG
from helsetilbud.db import make_session_factory, transaction, upgrade_schema
from helsetilbud.model import Office, ToolService, TriageTool


@dataclass(frozen=True)
class InitResult:
    tools_added: int
    sample_offices: int
    offices: int


def _file_version(questionnaire: str) -> str:
    """The Questionnaire's own `version`, else "1" (as `tool_catalog.add_tool` stores it)."""
    try:
        named = json.loads(questionnaire).get("version")
    except (ValueError, AttributeError):
        named = None
    return str(named or "1")


def load_catalog_tools(session: Session) -> int:
    """Add the catalogue's tools that the database lacks, each with its file's version.

    Existing tools are left alone, except that a tool still holding its catalogue file
    unchanged gets that file's version number (earlier databases stored "1" for every one)."""
    known = {tool.id: tool for tool in session.scalars(select(TriageTool))}
    added = 0
    for spec in CATALOG.tools:
        text = spec.questionnaire_path.read_text(encoding="utf-8")
        version = _file_version(text)
        existing = known.get(spec.id)
        if existing is not None:
            if existing.questionnaire == text and existing.questionnaire_version != version:
                existing.questionnaire_version = version
            continue
        tool = TriageTool(
            id=spec.id,
            title=spec.title,
            kind=spec.kind,
            standard=spec.standard,
            description=spec.description,
            questionnaire=text,
            questionnaire_version=version,
            status="published",
        )
        tool.services = [ToolService(service=s) for s in spec.services]
        session.add(tool)
        added += 1
    session.flush()
    return added


def init_database(engine: Engine, *, sample: bool = False, seed: int = 7) -> InitResult:
    """Migrate, load the catalogue, and with `sample` build the synthetic country once."""
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        added = load_catalog_tools(session)
        offices = session.scalar(select(func.count()).select_from(Office)) or 0
        built = 0
        if sample and offices == 0:
            from helsetilbud.sample import build_sample

            built = build_sample(session, seed=seed).offices
            offices = built
    return InitResult(tools_added=added, sample_offices=built, offices=offices)
