"""Shared helpers: a connection from an Engine or Connection, the tables, SQL snippets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

import pandas as pd
from sqlalchemy import Connection, Engine, case, func, literal
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Select

from helsetilbud.model import (
    AuditEvent,
    Gp,
    InfoText,
    Office,
    ToolAssignment,
    ToolService,
    TriageTool,
)
from helsetilbud.oslo_time import configured_today

Bind = Engine | Connection

OFFICES = Office.__table__
GPS = Gp.__table__
TEXTS = InfoText.__table__
ASSIGNMENTS = ToolAssignment.__table__
TOOLS = TriageTool.__table__
TOOL_SERVICES = ToolService.__table__
AUDIT = AuditEvent.__table__


@contextmanager
def connect(bind: Bind) -> Iterator[Connection]:
    """The connection given, or a new one from the engine (closed afterwards)."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as conn:
            yield conn


def read(conn: Connection, stmt: Select) -> pd.DataFrame:
    """`pd.read_sql` of a Core select."""
    return pd.read_sql(stmt, conn)


def start_of_day(day: date) -> datetime:
    """Midnight UTC of `day`, aware."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END), portable across SQLite and PostgreSQL."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def trimmed_length(column: ColumnElement[str]) -> ColumnElement[int]:
    """Characters of the text without surrounding spaces (NULL counts as empty)."""
    return func.length(func.trim(func.coalesce(column, literal(""))))


def month_of(conn: Connection, column: ColumnElement[datetime]) -> ColumnElement[str]:
    """The UTC month of a timestamp as "YYYY-MM" in SQL (SQLite and PostgreSQL)."""
    if conn.dialect.name == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def default_today() -> date:
    """The day the reports are for: HELSETILBUD_TODAY (YYYY-MM-DD) when set, else today in
    Oslo (`oslo_time.configured_today`)."""
    return configured_today()
