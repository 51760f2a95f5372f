"""HTML pieces of the analysts' screens: style, tables, percent, download links."""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from helsetilbud.analytics.charts import Chart

__all__ = ["chart_html", "download_link", "html_table", "percent"]


def percent(share: float) -> str:
    """0.3456 -> "34,6 %"."""
    return f"{share * 100:.1f} %".replace(".", ",")


def html_table(frame: pd.DataFrame, numeric: tuple[str, ...] = ()) -> str:
    """A small styled HTML table (values escaped); `numeric` columns right-aligned."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = "".join(
            f'<td class="ht-num">{html.escape(str(v))}</td>'
            if c in numeric
            else f"<td>{html.escape(str(v))}</td>"
            for c, v in zip(frame.columns, values, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    body = "".join(rows)
    return f'<table class="ht-data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    """An <a download> with the file in a data: URI: no server endpoint needed."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="ht-download" download="{html.escape(filename)}" '
        f'href="data:{mime};base64,{encoded}">{html.escape(label)}</a>'
    )


def chart_html(chart: Chart, *, table: bool = True) -> str:
    """A chart as an <img> (PNG in a data: URI) with its summary as alt text; with `table`,
    the numbers it draws below it in a table that opens on a click."""
    encoded = base64.b64encode(chart.png).decode("ascii")
    alt = html.escape(chart.alt, quote=True)
    out = (
        f'<figure class="ht-chart"><img src="data:image/png;base64,{encoded}" alt="{alt}" '
        f'width="{chart.width}" height="{chart.height}">'
    )
    if table:
        numeric = tuple(chart.table.columns[1:])
        out += (
            f"<figcaption><details><summary>Tallene i figuren «{html.escape(chart.title)}»"
            f"</summary>{html_table(chart.table, numeric=numeric)}</details></figcaption>"
        )
    return out + "</figure>"
