"""Frames as files: JSON records, CSV and Excel (openpyxl), with Norwegian headers for people."""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from helsetilbud.analytics.labels import COLUMN_LABELS, labelled

__all__ = ["records", "to_csv_text", "to_xlsx_bytes"]

# Columns holding slugs: Excel gets the slug ("kode") and the name side by side.
CODE_COLUMNS = ("service", "tool", "area", "flag", "measure", "key")
PERCENT_COLUMNS = ("share",)


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


def to_csv_text(
    frame: pd.DataFrame, tools: dict[str, str] | None = None, *, patient: bool = False
) -> str:
    """CSV for spreadsheets in Norway: Norwegian headers and names, ";" and decimal comma."""
    return labelled(frame, tools, patient=patient).to_csv(index=False, sep=";", decimal=",")


def to_xlsx_bytes(
    frame: pd.DataFrame,
    tools: dict[str, str] | None = None,
    sheet: str = "Rapport",
    *,
    patient: bool = False,
) -> bytes:
    """An Excel workbook of one sheet: a code and a name column for each slug column,
    shares as numbers formatted as percent, other numbers as numbers."""
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
    for index, (_, number_format) in enumerate(columns, start=1):
        if number_format:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
