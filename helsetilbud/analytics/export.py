"""Frames as files: JSON records, CSV and Excel (openpyxl), with Norwegian headers for people.

The texts in them are written by offices, so a spreadsheet must never run them: a CSV cell
that starts like a formula gets a leading apostrophe (OWASP's CSV-injection advice), and an
Excel cell holding text is always a string cell, never a formula.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from helsetilbud.analytics.labels import COLUMN_LABELS, labelled

if TYPE_CHECKING:
    from helsetilbud.analytics.charts import Chart

__all__ = ["neutralised", "records", "to_csv_text", "to_xlsx_bytes"]

# What makes a spreadsheet read a cell as a formula (OWASP), and the full-width look-alikes.
FORMULA_STARTERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# Columns holding slugs: Excel gets the slug ("kode") and the name side by side.
CODE_COLUMNS = ("service", "tool", "area", "flag", "measure", "key")
PERCENT_COLUMNS = ("share",)
CHART_SHEET = "Figurer"
ROW_PIXELS = 20  # openpyxl's default row height (15 pt) in pixels


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts (Python ints, floats, str, None) in column order, for JSON."""
    columns = list(frame.columns)
    return [
        {c: _plain(v) for c, v in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def _neutral(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTERS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot start a formula: "=1+1" becomes "'=1+1". Numbers, also
    negative ones, are left as they are; so are the column names."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_neutral)
    return out


def to_csv_text(
    frame: pd.DataFrame, tools: dict[str, str] | None = None, *, patient: bool = False
) -> str:
    """CSV for spreadsheets in Norway: Norwegian headers and names, ";" and decimal comma;
    text cells neutralised (`neutralised`)."""
    shown = neutralised(labelled(frame, tools, patient=patient))
    return shown.to_csv(index=False, sep=";", decimal=",")


def to_xlsx_bytes(
    frame: pd.DataFrame,
    tools: dict[str, str] | None = None,
    sheet: str = "Rapport",
    *,
    patient: bool = False,
    charts: Sequence[Chart] = (),
) -> bytes:
    """An Excel workbook: a sheet with a code and a name column for each slug column, shares
    as numbers formatted as percent, other numbers as numbers; with `charts`, a second sheet
    «Figurer» with each chart's title, its summary and its PNG image."""
    names = labelled(frame, tools, patient=patient)
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    headers: list[str] = []
    columns: list[tuple[pd.Series, str | None]] = []
    for column in frame.columns:
        label = COLUMN_LABELS.get(column, column)
        if column in CODE_COLUMNS:
            headers += [f"{label} (kode)", label]
            columns += [(frame[column], None), (names[label], None)]
        else:
            headers.append(label)
            columns.append((frame[column], "0.0%" if column in PERCENT_COLUMNS else None))
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i in range(len(frame)):
        ws.append([_plain(series.iloc[i]) for series, _ in columns])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl reads "=…" as a formula; keep it text
    for index, (_, number_format) in enumerate(columns, start=1):
        if number_format:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    ws.freeze_panes = "A2"
    if charts:
        _chart_sheet(book.create_sheet(CHART_SHEET), charts)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _chart_sheet(ws: Worksheet, charts: Sequence[Chart]) -> None:
    """Per chart: its title (bold), its summary, then the image; the next chart below it."""
    from openpyxl.drawing.image import Image  # needs Pillow

    ws.column_dimensions["A"].width = 140
    row = 1
    for chart in charts:
        title = ws.cell(row=row, column=1, value=chart.title)
        summary = ws.cell(row=row + 1, column=1, value=chart.alt)
        for cell in (title, summary):
            cell.data_type = "s"  # our own words, but never a formula
        title.font = Font(bold=True, size=13)
        summary.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row + 1].height = 45
        image = Image(io.BytesIO(chart.png))
        ws.add_image(image, f"A{row + 2}")
        row += 2 + math.ceil(chart.height / ROW_PIXELS) + 2
