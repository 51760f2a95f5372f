"""Spreadsheet output neutralises formula starters (OWASP CSV injection) and never writes a
formula into an xlsx cell."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from helsetilbud import analytics as an

STARTERS = ["=1+1", "+47 22 33 44 55", "-2+3", "@SUM(A1)", "\tx", "\rx", "\uff1d1+1"]


@pytest.mark.parametrize("value", STARTERS)
def test_csv_puts_an_apostrophe_before_every_formula_starter(value: str) -> None:
    frame = pd.DataFrame({"text": [value, "Vanlig tekst"], "value": [-1, 2]})
    assert an.neutralised(frame)["text"].tolist() == ["'" + value, "Vanlig tekst"]
    assert an.neutralised(frame)["value"].tolist() == [-1, 2]  # numbers stay numbers
    assert f"'{value}"[:2] in an.to_csv_text(frame)


@pytest.mark.parametrize("value", STARTERS)
def test_every_text_is_a_string_cell_in_xlsx_with_its_text_unchanged(value: str) -> None:
    frame = pd.DataFrame({"text": [value], "value": [-1]})
    sheet = load_workbook(io.BytesIO(an.to_xlsx_bytes(frame))).active
    text, number = sheet["A2"], sheet["B2"]
    # (an XML file cannot keep a lone CR: Excel and openpyxl read it back as LF)
    assert (text.value, text.data_type) == (value.replace("\r", "\n"), "s")
    assert (number.value, number.data_type) == (-1, "n")
