"""The info texts as arrays, read once for text_flags and text_summary.

One row per text; the office columns once per office; each distinct text once (many offices
share a text word for word), so that per-text work runs once per distinct text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from operator import itemgetter

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select, and_, case, or_, select

from helsetilbud.analytics._common import OFFICES, TEXTS
from helsetilbud.catalog import CATALOG
from helsetilbud.text_hints.patterns import stale_cutoff


@dataclass(frozen=True)
class TextRows:
    """The texts read, one row each, as arrays; the offices' columns in `offices`."""

    office: np.ndarray  # the row's position in the office columns
    area: np.ndarray  # slugs (object)
    stale: np.ndarray  # not changed for over 12 months, or never
    codes: np.ndarray  # the row's text is uniques[codes[i]]
    uniques: list[str]
    offices: dict[str, np.ndarray]  # her_id, name, address, postal_code, postal_place

    def in_area(self, slug: str) -> np.ndarray:
        """Whether each row is in the area `slug`."""
        codes, slugs = self.areas
        return codes == (slugs.index(slug) if slug in slugs else -2)

    def area_rank(self) -> np.ndarray:
        """Each row's area as its position in the catalogue (unknown areas last)."""
        codes, slugs = self.areas
        rank = {slug: n for n, slug in enumerate(CATALOG.area_slugs)}
        return np.asarray([rank.get(s, len(rank)) for s in slugs], dtype="int64")[codes]

    def area_slugs(self, rows: np.ndarray) -> np.ndarray:
        """The areas of `rows`, each slug one object (cheaper to take than the strings read)."""
        codes, slugs = self.areas
        return np.asarray(slugs, dtype=object)[codes[rows]]

    @cached_property
    def areas(self) -> tuple[np.ndarray, list[str]]:
        """Each row's area as a code, and the slugs the codes stand for."""
        codes, slugs = pd.factorize(self.area)
        return codes, list(slugs)


def columns(conn: Connection, stmt: Select) -> list[np.ndarray]:
    """The columns of `stmt` as object arrays, read from the DBAPI cursor: plain strings and
    integers need no result processing, and SQLAlchemy's rows cost more than the read."""
    with conn.execute(stmt) as result:
        rows = result.cursor.fetchall()
    return [
        np.fromiter(map(itemgetter(i), rows), object, len(rows))
        for i in range(len(stmt.selected_columns))
    ]


def read_texts(conn: Connection, today: date) -> TextRows:
    """Every text with its office and whether it is stale: neither changed nor confirmed
    («Teksten stemmer fortsatt») since today − 365 days."""
    t, o = TEXTS, OFFICES
    cutoff = stale_cutoff(today)
    changed = or_(t.c.updated_at.is_(None), t.c.updated_at < cutoff)
    confirmed = or_(t.c.confirmed_at.is_(None), t.c.confirmed_at < cutoff)
    old = case((and_(changed, confirmed), 1), else_=0)
    office_id, area, text, stale = columns(conn, select(t.c.office_id, t.c.area, t.c.text, old))
    names = ("her_id", "name", "address", "postal_code", "postal_place")
    # HER-id order: the report's rows then take the offices' strings in memory order
    offices = select(o.c.id, *(o.c[n] for n in names)).order_by(o.c.her_id)
    ids, *office_columns = columns(conn, offices)
    office = pd.Index(ids.astype("int64")).get_indexer(office_id.astype("int64"))
    known = office >= 0  # an inner join
    if not known.all():
        office, area, text, stale = office[known], area[known], text[known], stale[known]
    codes, uniques = pd.factorize(text)
    by_name = dict(zip(names, office_columns, strict=True))
    return TextRows(office, area, stale.astype(bool), codes, list(uniques), by_name)
