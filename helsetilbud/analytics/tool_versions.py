"""Adoption over time per tool version, from the audit log: who moved to a tool, who went back.

An office's tool for a service at a month's end is the `after` of its last tool change before
the month ended; before its first change it is that change's `before`, and without changes it
is today's. The version a tool had at a month's end is the one its last publish event before
then named (decision 0017: every office using a tool gets a new version at once). Months are
calendar months in UTC, the 24 up to today's, as in `analytics.trends`.

«Went back» is an office's own change that undoes its previous change for the service, to a
tool (a roll-out from A to B, then the office chooses A again); a roll-out's own changes never
count as going back, and a tool given up for none counts as moved away.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select

from helsetilbud.access import FORVALTER
from helsetilbud.analytics._common import (
    ASSIGNMENTS,
    AUDIT,
    OFFICES,
    TOOLS,
    Bind,
    connect,
    read,
    start_of_day,
)
from helsetilbud.analytics.trends import months_back
from helsetilbud.audit import TOOL_ASSIGNMENT
from helsetilbud.catalog import TRIAGE_SERVICES
from helsetilbud.errors import ValidationError

__all__ = ["TOOL_EVENT", "tool_returns", "tool_version_adoption"]

TOOL_EVENT = "tool"  # the audit entity of a tool added or published (tool_catalog.TOOL)
COLUMNS = ["month", "tool", "version", "offices", "moved_in", "moved_out", "went_back"]
RETURN_COLUMNS = ["her_id", "name", "service", "at", "left", "back_to", "since"]


def _decoded(text: object) -> object:
    return None if text is None or pd.isna(text) else json.loads(str(text))


def _month_end(month: str) -> pd.Timestamp:
    year, mm = map(int, month.split("-"))
    return pd.Timestamp(start_of_day(date(year + mm // 12, mm % 12 + 1, 1)))


def _changes(bind: Bind, service: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every tool change (office_id, service, at, before, after, previous change's before and
    after), oldest first per office and service; and today's assignments."""
    e = AUDIT.alias("e")
    changes = select(
        e.c.id, e.c.office_id, e.c.key.label("service"), e.c.at, e.c.role, e.c.before, e.c.after
    ).where(e.c.entity == TOOL_ASSIGNMENT)
    now = select(ASSIGNMENTS.c.office_id, ASSIGNMENTS.c.service, ASSIGNMENTS.c.tool_id)
    if service is not None:
        changes = changes.where(e.c.key == service)
        now = now.where(ASSIGNMENTS.c.service == service)
    with connect(bind) as conn:
        events = read(conn, changes)
        current = read(conn, now)
    events = events[events["service"].isin(TRIAGE_SERVICES)].copy()
    events["at"] = pd.to_datetime(events["at"], utc=True)
    for column in ("before", "after"):
        events[column] = events[column].map(_decoded).astype(object)
    events = events.sort_values(["office_id", "service", "at", "id"], kind="stable")
    pair = events.groupby(["office_id", "service"], sort=False)
    events["prev_before"] = pair["before"].shift(1)
    events["prev_after"] = pair["after"].shift(1)
    current["tool_id"] = current["tool_id"].astype(object).where(current["tool_id"].notna(), None)
    return events.reset_index(drop=True), current


def _reverts(events: pd.DataFrame) -> pd.Series:
    """True where the office itself (not a forvalter's roll-out) undid its previous change for
    the service, back to a tool."""
    return (
        (events["role"] != FORVALTER)
        & events["after"].notna()
        & (events["prev_after"].map(str) == events["before"].map(str))
        & (events["prev_before"].map(str) == events["after"].map(str))
        & events["prev_after"].notna()
    )


@dataclass(frozen=True)
class _Versions:
    publishes: pd.DataFrame  # tool, at, version (each publish's new version), oldest first
    replaced: dict[str, str]  # per tool, the version its first publish replaced
    today: dict[str, str]  # per tool, its version now

    def at(self, tool: str, end: pd.Timestamp) -> str:
        """The version `tool` had just before `end`."""
        own = self.publishes[self.publishes["tool"] == tool]
        done = own[own["at"] < end]
        if len(done):
            return str(done["version"].iloc[-1])
        if len(own) and self.replaced.get(tool):
            return self.replaced[tool]
        return self.today.get(tool, "1")


def _versions(bind: Bind) -> _Versions:
    e = AUDIT.alias("e")
    query = (
        select(e.c.key.label("tool"), e.c.at, e.c.before, e.c.after)
        .where(e.c.entity == TOOL_EVENT)
        .order_by(e.c.at, e.c.id)
    )
    with connect(bind) as conn:
        events = read(conn, query)
        tools = read(conn, select(TOOLS.c.id, TOOLS.c.questionnaire_version))
    events["at"] = pd.to_datetime(events["at"], utc=True)
    events["version"] = [_version_of(a) for a in events["after"]]
    replaced: dict[str, str] = {}
    for tool, before in zip(events["tool"], events["before"], strict=True):
        replaced.setdefault(tool, _version_of(before) or "")
    publishes = events.dropna(subset=["version"])[["tool", "at", "version"]]
    today = dict(zip(tools["id"], tools["questionnaire_version"].map(str), strict=True))
    return _Versions(publishes.reset_index(drop=True), replaced, today)


def _version_of(text: object) -> str | None:
    data = _decoded(text)
    return str(data["version"]) if isinstance(data, dict) and data.get("version") else None


def _states(events: pd.DataFrame, current: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """(office_id, service, tool) of every office and service just before `end`."""
    keys = ["office_id", "service"]
    state = current.set_index(keys)["tool_id"].astype(object).copy()
    if len(events):
        # drop_duplicates, not groupby().first()/last(): those skip None (no tool)
        first = events.drop_duplicates(keys, keep="first").set_index(keys)["before"]
        state.loc[first.index.intersection(state.index)] = first
        done = events[events["at"] < end]
        if len(done):
            last = done.drop_duplicates(keys, keep="last").set_index(keys)["after"]
            state.loc[last.index.intersection(state.index)] = last
    return state.rename("tool").reset_index()


def tool_version_adoption(bind: Bind, today: date, service: str | None = None) -> pd.DataFrame:
    """Per month (the 24 up to today's) and tool: the tool's version at the month's end, the
    offices using it then (for `service`, or for any service), and in the month the changes to
    it (moved_in), away from it (moved_out) and away from it back to the tool an office had
    before (went_back). Columns: COLUMNS; a tool appears when it was used or changed."""
    if service is not None and service not in TRIAGE_SERVICES:
        raise ValidationError(f"Ukjent tjeneste «{service}».", field="service")
    months = months_back(today)
    events, current = _changes(bind, service)
    versions = _versions(bind)
    events["month"] = events["at"].dt.strftime("%Y-%m")
    events["reverts"] = _reverts(events)
    rows = []
    for month in months:
        end = _month_end(month)
        state = _states(events, current, end)
        used = state[state["tool"].notna()].groupby("tool")["office_id"].nunique()
        moves = events[events["month"] == month]
        tools = set(used.index) | set(moves["before"].dropna()) | set(moves["after"].dropna())
        for tool in sorted(map(str, tools)):
            into = (moves["after"].map(str) == tool) & (moves["before"].map(str) != tool)
            away = (moves["before"].map(str) == tool) & (moves["after"].map(str) != tool)
            rows.append(
                (
                    month,
                    tool,
                    versions.at(tool, end),
                    int(used.get(tool, 0)),
                    int(into.sum()),
                    int(away.sum()),
                    int((away & moves["reverts"]).sum()),
                )
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def tool_returns(bind: Bind, service: str | None = None) -> pd.DataFrame:
    """Every office that went back: left a tool for the one it had before (RETURN_COLUMNS:
    her_id, name, service, at, left, back_to, since = when it had moved to `left`), newest
    first."""
    if service is not None and service not in TRIAGE_SERVICES:
        raise ValidationError(f"Ukjent tjeneste «{service}».", field="service")
    events, _ = _changes(bind, service)
    if not len(events):
        return pd.DataFrame(columns=RETURN_COLUMNS)
    pair = events.groupby(["office_id", "service"], sort=False)
    events["since"] = pair["at"].shift(1)
    back = events[_reverts(events)]
    with connect(bind) as conn:
        offices = read(conn, select(OFFICES.c.id, OFFICES.c.her_id, OFFICES.c.name))
    back = back.merge(offices, left_on="office_id", right_on="id", how="left")
    back = back.rename(columns={"before": "left", "after": "back_to"})
    back = back.sort_values(["at", "her_id"], ascending=[False, True], kind="stable")
    return back[RETURN_COLUMNS].reset_index(drop=True)
