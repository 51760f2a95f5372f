"""Texts an office wrote stay data in NHN's spreadsheets: no formula runs (issue 11, defect 2)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.cli import main
from helsetilbud.db import SessionFactory, transaction
from tests.builders import SmallCountry

FORMULA = '=HYPERLINK("https://evil.no/x","Ring 22 33 44 55")'


@pytest.fixture
def url(engine: Engine, factory: SessionFactory, country: SmallCountry) -> str:
    with transaction(factory) as session:
        kari = load_identity(session, country.kari)
        editing.set_info_text(session, kari, country.office_a, "kontakt_legekontoret", FORMULA, 1)
    return engine.url.render_as_string(hide_password=False)


def report(url: str, tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"tekster.{fmt}"
    args = ["report", "texts", "--flags", "--format", fmt, "--out", str(out), "--db", url]
    assert main([*args, "--today", "2026-06-01"]) == 0
    return out


def test_a_formula_shaped_text_is_a_plain_string_cell_in_the_xlsx_report(
    url: str, tmp_path: Path
) -> None:
    sheet = load_workbook(report(url, tmp_path, "xlsx")).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA]
    assert cells, "the text is in the report"
    assert all(cell.data_type == "s" for cell in cells)


def test_a_formula_shaped_text_starts_with_an_apostrophe_in_the_csv_report(
    url: str, tmp_path: Path
) -> None:
    rows = list(csv.DictReader(io.StringIO(report(url, tmp_path, "csv").read_text("utf-8"))))
    texts = {
        row["text"]
        for row in rows
        if row["area"] == "kontakt_legekontoret" and row["her_id"] == "100001"
    }
    assert texts == {"'" + FORMULA}
    assert not any(value.startswith(("=", "+", "-", "@")) for r in rows for value in r.values())
