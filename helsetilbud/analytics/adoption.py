"""Which offices use which triage tool: the office-by-service matrix and shares per tool."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import case, func, select

from helsetilbud.analytics._common import (
    ASSIGNMENTS,
    OFFICES,
    TOOL_SERVICES,
    Bind,
    connect,
    read,
)
from helsetilbud.catalog import CATALOG, TRIAGE_SERVICES

__all__ = ["adoption", "adoption_matrix"]


def adoption_matrix(bind: Bind) -> pd.DataFrame:
    """One row per office (her_id, name, fylke) and a column per triage service: tool id or None.

    Pivoted in SQL with one conditional MAX per service; sorted by HER-id.
    """
    a = ASSIGNMENTS.alias("a")
    o = OFFICES.alias("o")
    per_service = [
        func.max(case((a.c.service == slug, a.c.tool_id))).label(slug) for slug in TRIAGE_SERVICES
    ]
    stmt = (
        select(o.c.her_id, o.c.name, o.c.fylke, *per_service)
        .select_from(o.outerjoin(a, a.c.office_id == o.c.id))
        .group_by(o.c.id, o.c.her_id, o.c.name, o.c.fylke)
        .order_by(o.c.her_id)
    )
    with connect(bind) as conn:
        frame = read(conn, stmt)
    for slug in TRIAGE_SERVICES:
        frame[slug] = frame[slug].astype(object).where(frame[slug].notna(), None)
    return frame.reset_index(drop=True)


def adoption(bind: Bind, by_fylke: bool = False) -> pd.DataFrame:
    """Per triage service and tool (None = Ingen): offices and share (0..1) of the offices.

    Columns: [fylke,] service, tool, offices, share. Every tool allowed for a service gets a
    row (0 offices when unused); an office without a tool, or without a row for the service,
    counts as None. With `by_fylke` the shares are of the offices in each fylke.
    """
    a = ASSIGNMENTS.alias("a")
    o = OFFICES.alias("o")
    group = [o.c.fylke] if by_fylke else []
    with_tool = (
        select(*group, a.c.service, a.c.tool_id.label("tool"), func.count().label("offices"))
        .select_from(a.join(o, o.c.id == a.c.office_id))
        .where(a.c.tool_id.is_not(None))
        .group_by(*group, a.c.service, a.c.tool_id)
    )
    totals = select(*group, func.count().label("total")).select_from(o).group_by(*group)
    allowed = select(TOOL_SERVICES.c.service, TOOL_SERVICES.c.tool_id.label("tool"))
    with connect(bind) as conn:
        used = read(conn, with_tool)
        office_totals = read(conn, totals)
        allowed_pairs = read(conn, allowed)
    return _shares(used, office_totals, allowed_pairs, by_fylke)


def _shares(
    used: pd.DataFrame, totals: pd.DataFrame, allowed: pd.DataFrame, by_fylke: bool
) -> pd.DataFrame:
    keys = ["fylke"] if by_fylke else []
    if not by_fylke:
        totals = totals.assign(_all=1)
        used = used.assign(_all=1)
        keys_join = ["_all"]
    else:
        keys_join = keys
    services = pd.DataFrame({"service": list(TRIAGE_SERVICES)})
    pairs = pd.concat(
        [allowed[allowed["service"].isin(TRIAGE_SERVICES)], used[["service", "tool"]]]
    ).drop_duplicates()
    grid = totals[keys_join + ["total"]].merge(pairs, how="cross")
    grid = grid.merge(used, on=[*keys_join, "service", "tool"], how="left")
    grid["offices"] = grid["offices"].fillna(0).astype("int64")
    with_any = grid.groupby([*keys_join, "service"], as_index=False)["offices"].sum()
    none = totals[keys_join + ["total"]].merge(services, how="cross")
    none = none.merge(with_any, on=[*keys_join, "service"], how="left")
    none["offices"] = (none["total"] - none["offices"].fillna(0)).astype("int64")
    none["tool"] = None
    frame = pd.concat([grid, none], ignore_index=True)
    frame["tool"] = frame["tool"].astype(object).where(frame["tool"].notna(), None)
    frame["share"] = (frame["offices"] / frame["total"]).where(frame["total"] > 0, 0.0)
    service_rank = {slug: i for i, slug in enumerate(TRIAGE_SERVICES)}
    fylke_rank = {name: i for i, name in enumerate(CATALOG.fylker)}
    frame["_s"] = frame["service"].map(service_rank)
    frame["_t"] = frame["tool"].map(lambda t: (1, "") if t is None else (0, t))
    sort = ["_s", "_t"]
    if by_fylke:
        frame["_f"] = frame["fylke"].map(lambda f: (fylke_rank.get(f, len(fylke_rank)), f))
        sort = ["_f", *sort]
    frame = frame.sort_values(sort, kind="stable")
    columns = [*keys, "service", "tool", "offices", "share"]
    return frame[columns].reset_index(drop=True)
