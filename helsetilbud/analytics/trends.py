"""Trends from the audit log: tool adoption at each month's end and text changes per month.

Offices with a tool at a month's end are reconstructed backwards from today's state: the
current count minus the net effect (to a tool: +1, to none: −1) of every later tool change.
Months are calendar months in UTC.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, func, literal, or_, select

from helsetilbud.analytics._common import (
    ASSIGNMENTS,
    AUDIT,
    Bind,
    connect,
    count_if,
    month_of,
    read,
    start_of_day,
)
from helsetilbud.catalog import AREAS, TRIAGE_SERVICES

__all__ = ["MEASURES", "months_back", "trends"]

MONTHS = 24
# with_tool: offices with a tool at month end (key: service); to_tool / to_none: tool changes
# in the month (key: service); text_changes: info text changes in the month (key: area).
MEASURES: tuple[str, ...] = ("with_tool", "to_tool", "to_none", "text_changes")
TOOL_ASSIGNMENT = "tool_assignment"
INFO_TEXT = "info_text"


def months_back(today: date, count: int = MONTHS) -> list[str]:
    """The `count` months up to and including today's, oldest first, as "YYYY-MM"."""
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _has_tool(column):  # type: ignore[no-untyped-def]
    return and_(column.is_not(None), column != literal("null"))


def trends(bind: Bind, today: date) -> pd.DataFrame:
    """Long frame of the 24 months up to today's: month ("YYYY-MM"), measure, key, value.

    Measures (MEASURES): with_tool and to_tool/to_none per triage service, text_changes per
    info area. Every month, measure and key has a row (0 when nothing happened).
    """
    months = months_back(today)
    first = start_of_day(date.fromisoformat(f"{months[0]}-01"))
    end = start_of_day(date(today.year + today.month // 12, today.month % 12 + 1, 1))
    e = AUDIT.alias("e")
    with connect(bind) as conn:
        month = month_of(conn, e.c.at).label("month")
        to_tool = and_(_has_tool(e.c.after), ~_has_tool(e.c.before))
        to_none = and_(~_has_tool(e.c.after), _has_tool(e.c.before))
        tool_changes = read(
            conn,
            select(
                month,
                e.c.key.label("key"),
                count_if(to_tool).label("to_tool"),
                count_if(to_none).label("to_none"),
            )
            .where(e.c.entity == TOOL_ASSIGNMENT, or_(to_tool, to_none))
            .group_by(month, e.c.key),
        )
        text_changes = read(
            conn,
            select(month, e.c.key.label("key"), func.count().label("value"))
            .where(e.c.entity == INFO_TEXT, e.c.at >= first, e.c.at < end)
            .group_by(month, e.c.key),
        )
        now = read(
            conn,
            select(ASSIGNMENTS.c.service.label("key"), func.count().label("now"))
            .where(ASSIGNMENTS.c.tool_id.is_not(None))
            .group_by(ASSIGNMENTS.c.service),
        )
    return _assemble(months, tool_changes, text_changes, now)


def _grid(months: list[str], keys: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame([(m, k) for m in months for k in keys], columns=["month", "key"])


def _assemble(
    months: list[str], changes: pd.DataFrame, texts: pd.DataFrame, now: pd.DataFrame
) -> pd.DataFrame:
    changes = changes.astype({"to_tool": "int64", "to_none": "int64"})
    changes["net"] = changes["to_tool"] - changes["to_none"]
    current = dict(zip(now["key"], now["now"].astype("int64"), strict=True))
    frames = []
    tools = _grid(months, TRIAGE_SERVICES).merge(changes, on=["month", "key"], how="left")
    tools[["to_tool", "to_none"]] = tools[["to_tool", "to_none"]].fillna(0).astype("int64")
    # net change per month and service over the whole log; with_tool(m) = now − net after m
    net = changes.pivot_table(
        index="month", columns="key", values="net", aggfunc="sum", fill_value=0
    ).reindex(columns=list(TRIAGE_SERVICES), fill_value=0)
    net = net.reindex(net.index.union(months), fill_value=0).sort_index()
    after = net.iloc[::-1].cumsum().iloc[::-1] - net  # changes in later months only
    now_counts = pd.Series({k: current.get(k, 0) for k in TRIAGE_SERVICES})
    with_tool = (now_counts - after).loc[months].stack()
    tools["with_tool"] = (
        with_tool.reindex(pd.MultiIndex.from_frame(tools[["month", "key"]])).astype("int64").values
    )
    for measure in ("with_tool", "to_tool", "to_none"):
        frames.append(
            tools[["month", "key", measure]]
            .rename(columns={measure: "value"})
            .assign(measure=measure)
        )
    text = _grid(months, AREAS).merge(texts, on=["month", "key"], how="left")
    text["value"] = text["value"].fillna(0).astype("int64")
    frames.append(text.assign(measure="text_changes"))
    frame = pd.concat(frames, ignore_index=True)[["month", "measure", "key", "value"]]
    frame["value"] = frame["value"].astype("int64")
    return frame.reset_index(drop=True)
