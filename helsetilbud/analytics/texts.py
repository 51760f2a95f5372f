"""How the offices use their info texts: coverage and length spread per area."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import func, select

from helsetilbud.analytics._common import OFFICES, TEXTS, Bind, connect, read, trimmed_length
from helsetilbud.analytics._textrows import read_texts
from helsetilbud.analytics.flags import FLAGS, flag_hits
from helsetilbud.catalog import CATALOG

__all__ = [
    "coverage_from_histogram",
    "length_histogram",
    "near_limit_length",
    "text_coverage",
    "text_summary",
    "weighted_quantile",
]

COVERAGE_COLUMNS = [
    "area",
    "offices",
    "with_text",
    "share",
    "min_length",
    "median_length",
    "p90_length",
    "max_length",
    "limit",
    "near_limit",
]


def near_limit_length(limit: int) -> int:
    """The shortest length counted as near the limit: 90 % of it, rounded up."""
    return -(-limit * 9 // 10)


def length_histogram(bind: Bind) -> pd.DataFrame:
    """Texts per (area, length without surrounding spaces): at most a few hundred rows per area."""
    length = trimmed_length(TEXTS.c.text).label("length")
    stmt = (
        select(TEXTS.c.area, length, func.count().label("texts"))
        .group_by(TEXTS.c.area, length)
        .order_by(TEXTS.c.area, length)
    )
    with connect(bind) as conn:
        return read(conn, stmt)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The q-quantile of `values` repeated `weights` times, interpolated as pandas does."""
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    n = int(weights.sum())
    if n == 0:
        return math.nan
    position = q * (n - 1)
    lower, frac = int(math.floor(position)), position - math.floor(position)
    ends = np.cumsum(weights)  # the value at sorted index i is values[searchsorted(ends, i+1)]
    low = values[np.searchsorted(ends, lower + 1)]
    high = values[np.searchsorted(ends, min(lower + 1, n - 1) + 1)]
    return float(low + (high - low) * frac)


def text_coverage(bind: Bind, today: date | None = None) -> pd.DataFrame:
    """Per info area: offices, offices with a non-empty text and their share, the spread of
    the non-empty texts' lengths (min, median, p90, max), the limit and the count of texts at
    or above 90 % of it. `today` is accepted for symmetry; coverage does not depend on it.
    """
    with connect(bind) as conn:
        histogram = length_histogram(conn)
        offices = conn.scalar(select(func.count()).select_from(OFFICES)) or 0
    return coverage_from_histogram(histogram, int(offices))


def coverage_from_histogram(histogram: pd.DataFrame, offices: int) -> pd.DataFrame:
    """text_coverage's frame from texts per (area, length) and the number of offices."""
    rows = []
    for area in CATALOG.info_areas:
        part = histogram[(histogram["area"] == area.slug) & (histogram["length"] > 0)]
        lengths = part["length"].to_numpy(dtype="int64")
        counts = part["texts"].to_numpy(dtype="int64")
        with_text = int(counts.sum())
        spread = (
            {
                "min_length": float(lengths.min()),
                "median_length": weighted_quantile(lengths, counts, 0.5),
                "p90_length": weighted_quantile(lengths, counts, 0.9),
                "max_length": float(lengths.max()),
            }
            if with_text
            else dict.fromkeys(("min_length", "median_length", "p90_length", "max_length"))
        )
        rows.append(
            {
                "area": area.slug,
                "offices": offices,
                "with_text": with_text,
                "share": with_text / offices if offices else 0.0,
                **spread,
                "limit": area.limit,
                "near_limit": int(counts[lengths >= near_limit_length(area.limit)].sum()),
            }
        )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS).astype(
        {c: "float64" for c in ("min_length", "median_length", "p90_length", "max_length")}
    )


def text_summary(bind: Bind, today: date) -> pd.DataFrame:
    """text_coverage with one more column per flag (FLAGS): texts in the area raising it.

    One read of the texts serves both: the lengths are counted from the rows the flags use,
    once per distinct text.
    """
    with connect(bind) as conn:
        rows = read_texts(conn, today)
    found = flag_hits(rows, today)
    lengths = np.fromiter((len(t.strip(" ")) for t in rows.uniques), "int64", len(rows.uniques))
    span = lengths.max(initial=0) + 1
    areas, slugs = rows.areas
    pairs, counts = np.unique(areas * span + lengths[rows.codes], return_counts=True)
    histogram = pd.DataFrame(
        {"area": np.asarray(slugs, dtype=object)[pairs // span], "length": pairs % span}
    ).assign(texts=counts)
    coverage = coverage_from_histogram(histogram, len(rows.offices["her_id"]))
    rank = rows.area_rank()
    for index, flag, _ in found:
        counts = np.bincount(rank[index], minlength=len(CATALOG.area_slugs) + 1)
        coverage[f"flag_{flag}"] = counts[: len(CATALOG.area_slugs)].astype("int64")
    return coverage[[*COVERAGE_COLUMNS, *(f"flag_{f}" for f in FLAGS)]]
