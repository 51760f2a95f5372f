"""Which patient services the GPs offer: shares by fylke or by office size."""

from __future__ import annotations

from typing import Literal

import pandas as pd
from sqlalchemy import case, func, select

from helsetilbud.analytics._common import GPS, OFFICES, Bind, connect, count_if, read
from helsetilbud.catalog import CATALOG, PATIENT_SERVICES

__all__ = ["OFFICE_SIZES", "service_offering"]

# Office-size buckets by the number of GPs at the office.
OFFICE_SIZES: tuple[str, ...] = ("1", "2-3", "4-5", "6+")
Grouping = Literal["fylke", "office_size"]


def service_offering(bind: Bind, by: Grouping = "fylke") -> pd.DataFrame:
    """Per group and patient service: GPs, GPs offering it, and their share (0..1).

    Columns: fylke | office_size, service, gps, offering, share. Office sizes are the buckets
    of OFFICE_SIZES (GPs at the office); offices without GPs do not count.
    """
    if by not in ("fylke", "office_size"):
        raise ValueError(f"by must be 'fylke' or 'office_size', not {by!r}")
    g, o = GPS.alias("g"), OFFICES.alias("o")
    if by == "fylke":
        source = g.join(o, o.c.id == g.c.office_id)
        group = o.c.fylke.label("fylke")
    else:
        sizes = (
            select(GPS.c.office_id, func.count().label("n")).group_by(GPS.c.office_id).subquery()
        )
        source = g.join(sizes, sizes.c.office_id == g.c.office_id)
        group = case(
            (sizes.c.n <= 1, "1"),
            (sizes.c.n <= 3, "2-3"),
            (sizes.c.n <= 5, "4-5"),
            else_="6+",
        ).label("office_size")
    offering = [count_if(g.c[slug].is_(True)).label(slug) for slug in PATIENT_SERVICES]
    stmt = select(group, func.count().label("gps"), *offering).select_from(source).group_by(group)
    with connect(bind) as conn:
        wide = read(conn, stmt)
    long = wide.melt(
        id_vars=[by, "gps"],
        value_vars=list(PATIENT_SERVICES),
        var_name="service",
        value_name="offering",
    )
    long["offering"] = long["offering"].astype("int64")
    long["gps"] = long["gps"].astype("int64")
    long["share"] = (long["offering"] / long["gps"]).where(long["gps"] > 0, 0.0)
    order = CATALOG.fylker if by == "fylke" else OFFICE_SIZES
    group_rank = {v: i for i, v in enumerate(order)}
    service_rank = {v: i for i, v in enumerate(PATIENT_SERVICES)}
    long = long.assign(
        _g=long[by].map(lambda v: (group_rank.get(v, len(group_rank)), v)),
        _s=long["service"].map(service_rank),
    ).sort_values(["_g", "_s"], kind="stable")
    return long[[by, "service", "gps", "offering", "share"]].reset_index(drop=True)
