"""The regression check NHN runs after a change to the text rules or the tool catalogue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import and_, func, select

from helsetilbud.analytics._common import (
    ASSIGNMENTS,
    OFFICES,
    TEXTS,
    TOOL_SERVICES,
    TOOLS,
    Bind,
    connect,
)
from helsetilbud.catalog import AREAS, CATALOG, TRIAGE_SERVICES

__all__ = ["CATALOGUE_OFFICE", "RegressionResult", "regression_check"]

FAILURE_COLUMNS = ["her_id", "name", "problem"]
CATALOGUE_OFFICE = "Verktøykatalogen"  # the "name" of failures that concern no single office


@dataclass(frozen=True)
class RegressionResult:
    """Failures (her_id, name, problem) and how many offices pass."""

    failures: pd.DataFrame
    offices: int
    passing: int

    @property
    def summary(self) -> str:
        """The one closing line: "1798 av 1800 legekontorer består kontrollen." """
        return f"{self.passing} av {self.offices} legekontorer består kontrollen."

    def failures_text(self, limit: int | None = None) -> str:
        """The failures office by office (the catalogue first), in Norwegian; at most `limit`
        offices, with a line saying how many more there are."""
        if self.failures.empty:
            return "Ingen feil funnet."
        blocks: list[str] = []
        groups = list(self.failures.groupby(["her_id", "name"], sort=False))
        for (her_id, name), part in groups[:limit]:
            title = f"{name} (HER-id {her_id})" if her_id else name
            blocks.append("\n".join([f"{title}:", *(f"  – {p}" for p in part["problem"])]))
        if limit is not None and len(groups) > limit:
            blocks.append(f"… og {len(groups) - limit} til.")
        return "\n".join(blocks)


def _service_name(slug: str) -> str:
    try:
        return CATALOG.triage_service(slug).name
    except KeyError:
        return slug


def _text_failures(conn) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    from helsetilbud.text_rules import text_problems

    o, t = OFFICES.alias("o"), TEXTS.alias("t")
    rows = conn.execute(
        select(o.c.her_id, o.c.name, t.c.area, t.c.text)
        .select_from(t.join(o, o.c.id == t.c.office_id))
        .where(func.length(func.coalesce(t.c.text, "")) > 0)
    )
    found = []
    for her_id, name, area, text in rows:
        if area not in AREAS:
            found.append((her_id, name, f"Har en tekst for et ukjent område «{area}»."))
            continue
        found += [(her_id, name, problem) for problem in text_problems(area, text)]
    return found


def _count_failures(conn) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    o = OFFICES.alias("o")
    texts = (
        select(TEXTS.c.office_id, func.count().label("n"))
        .where(TEXTS.c.area.in_(AREAS))
        .group_by(TEXTS.c.office_id)
        .subquery()
    )
    tools = (
        select(ASSIGNMENTS.c.office_id, func.count().label("n"))
        .where(ASSIGNMENTS.c.service.in_(TRIAGE_SERVICES))
        .group_by(ASSIGNMENTS.c.office_id)
        .subquery()
    )
    n_texts = func.coalesce(texts.c.n, 0)
    n_tools = func.coalesce(tools.c.n, 0)
    rows = conn.execute(
        select(o.c.her_id, o.c.name, n_texts, n_tools)
        .select_from(
            o.outerjoin(texts, texts.c.office_id == o.c.id).outerjoin(
                tools, tools.c.office_id == o.c.id
            )
        )
        .where((n_texts != len(AREAS)) | (n_tools != len(TRIAGE_SERVICES)))
    )
    found = []
    for her_id, name, n_text, n_tool in rows:
        if n_text != len(AREAS):
            found.append((her_id, name, f"Har {n_text} tekster; skal ha {len(AREAS)}."))
        if n_tool != len(TRIAGE_SERVICES):
            found.append(
                (her_id, name, f"Har {n_tool} verktøyvalg; skal ha {len(TRIAGE_SERVICES)}.")
            )
    return found


def _tool_choice_failures(conn) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    o, a, tool = OFFICES.alias("o"), ASSIGNMENTS.alias("a"), TOOLS.alias("tool")
    allowed = TOOL_SERVICES.alias("allowed")
    rows = conn.execute(
        select(
            o.c.her_id,
            o.c.name,
            a.c.service,
            a.c.tool_id,
            tool.c.id,
            tool.c.status,
            allowed.c.tool_id,
        )
        .select_from(
            a.join(o, o.c.id == a.c.office_id)
            .outerjoin(tool, tool.c.id == a.c.tool_id)
            .outerjoin(
                allowed,
                and_(allowed.c.tool_id == a.c.tool_id, allowed.c.service == a.c.service),
            )
        )
        .where(
            a.c.tool_id.is_not(None),
            tool.c.id.is_(None) | (tool.c.status != "published") | allowed.c.tool_id.is_(None),
        )
    )
    found = []
    for her_id, name, service, tool_id, exists, status, is_allowed in rows:
        where = f"Verktøyet «{tool_id}» for «{_service_name(service)}»"
        if exists is None:
            found.append((her_id, name, f"{where} finnes ikke i katalogen."))
            continue
        if status != "published":
            found.append((her_id, name, f"{where} er ikke publisert (status «{status}»)."))
        if is_allowed is None:
            found.append((her_id, name, f"{where} er ikke tillatt for denne tjenesten."))
    return found


def _questionnaire_failures(conn) -> tuple[list[tuple[str, str, str]], set[str]]:  # type: ignore[no-untyped-def]
    from helsetilbud.forms import QuestionnaireError, load_questionnaires

    found: list[tuple[str, str, str]] = []
    broken: set[str] = set()
    for spec in CATALOG.tools:
        try:
            load_questionnaires(spec.questionnaire_path)
        except (QuestionnaireError, ValueError, TypeError, AttributeError) as exc:
            found.append(
                ("", CATALOGUE_OFFICE, f"Katalogfilen til «{spec.id}» kan ikke lastes: {exc}")
            )
    for tool_id, source in conn.execute(
        select(TOOLS.c.id, TOOLS.c.questionnaire).order_by(TOOLS.c.id)
    ):
        try:
            load_questionnaires(json.loads(source))
        except (QuestionnaireError, ValueError, TypeError, AttributeError) as exc:
            broken.add(tool_id)
            found.append(("", CATALOGUE_OFFICE, f"Skjemaet til «{tool_id}» kan ikke lastes: {exc}"))
    return found, broken


def regression_check(bind: Bind, today: date | None = None) -> RegressionResult:
    """Check every office against today's rules and the catalogue; failures office by office.

    An office passes when its texts break no text rule, it has one text per info area and one
    tool choice per triage service, and each chosen tool exists, is published, is allowed for
    the service and has a Questionnaire the forms engine loads. Failures of the catalogue
    itself are listed with an empty her_id and the name CATALOGUE_OFFICE.
    """
    with connect(bind) as conn:
        catalogue, broken = _questionnaire_failures(conn)
        found = _count_failures(conn) + _tool_choice_failures(conn) + _text_failures(conn)
        if broken:
            o, a = OFFICES.alias("o"), ASSIGNMENTS.alias("a")
            for her_id, name, service, tool_id in conn.execute(
                select(o.c.her_id, o.c.name, a.c.service, a.c.tool_id)
                .select_from(a.join(o, o.c.id == a.c.office_id))
                .where(a.c.tool_id.in_(sorted(broken)))
            ):
                found.append(
                    (
                        her_id,
                        name,
                        f"Verktøyet «{tool_id}» for «{_service_name(service)}» har et skjema "
                        "som ikke kan lastes.",
                    )
                )
        offices = conn.scalar(select(func.count()).select_from(OFFICES)) or 0
    failures = pd.DataFrame.from_records(found, columns=FAILURE_COLUMNS)
    failures = failures.sort_values(["her_id", "problem"], kind="stable").reset_index(drop=True)
    failures = pd.concat(
        [failures[failures["her_id"] == ""], failures[failures["her_id"] != ""]],
        ignore_index=True,
    )
    failing = failures.loc[failures["her_id"] != "", "her_id"].nunique()
    return RegressionResult(failures=failures, offices=int(offices), passing=int(offices - failing))
