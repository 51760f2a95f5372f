"""HTML pieces of the analysts' screens: style, tables, percent, download links."""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from helsetilbud.analytics.charts import Chart

__all__ = ["STYLE", "chart_html", "download_link", "html_table", "percent"]

STYLE = """<style>
.ht-adopt { font-family: "Source Sans Pro", system-ui, sans-serif; color: #2B2C2B; }
.ht-adopt table.ht-data { border-collapse: collapse; font-size: 14px; margin: 4px 0 12px 0; }
.ht-adopt table.ht-data th { background: #E4F7F9; text-align: left; padding: 4px 8px;
  border-bottom: 2px solid #188097; }
.ht-adopt table.ht-data td { padding: 3px 8px; border-bottom: 1px solid #e0e0e0; }
.ht-adopt table.ht-data td.ht-num { text-align: right; font-variant-numeric: tabular-nums; }
.ht-adopt a.ht-download { background: #188097; color: #fff; padding: 6px 12px;
  border-radius: 4px; text-decoration: none; margin-right: 8px; }
.ht-adopt a.ht-download:hover { background: #08667C; }
.ht-adopt .ht-muted { color: #6b6b6b; font-size: 13px; }
.ht-adopt figure.ht-chart { margin: 8px 0 16px 0; }
.ht-adopt figure.ht-chart img { max-width: 100%; height: auto; display: block; }
.ht-adopt figure.ht-chart figcaption { font-size: 14px; color: #2B2C2B; max-width: 900px; }
.ht-adopt .ht-notice { background: #FDF8DF; padding: 6px 10px; border-left: 4px solid #C83521; }
</style>"""


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
