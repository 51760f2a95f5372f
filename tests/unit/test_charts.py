"""The analysts' charts are PNG images with a Norwegian summary and the table they draw."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image

from helsetilbud import analytics as an
from helsetilbud.analytics import charts
from helsetilbud.catalog import TRIAGE_SERVICES

TOOLS = {"forny-resept": "Forny resept (Standard)"}


def _adoption() -> pd.DataFrame:
    rows = []
    for service in TRIAGE_SERVICES:
        if service == "reseptfornyelse":
            rows += [(service, "forny-resept", 339, 0.339), (service, None, 661, 0.661)]
        else:
            rows.append((service, None, 1000, 1.0))
    return pd.DataFrame(rows, columns=["service", "tool", "offices", "share"])


def _fylker() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "fylke": ["Oslo", "Vestland", "Nordland"],
            "offices": [400, 350, 250],
            "matching": [200, 100, 39],
            "share": [0.5, 100 / 350, 39 / 250],
        }
    )


def _trend() -> pd.DataFrame:
    rows = []
    for i, month in enumerate(["2026-09", "2026-10", "2026-11"]):
        for service in TRIAGE_SERVICES:
            value = 10 + i if service == "e_konsultasjon" else 0
            rows.append((month, "with_tool", service, value))
        rows.append((month, "text_changes", "reseptfornyelse", [3, 7, 1][i]))
    return pd.DataFrame(rows, columns=["month", "measure", "key", "value"])


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        return image.size


@pytest.mark.parametrize(
    ("share", "text"), [(0.339, "33,9 %"), (1.0, "100,0 %"), (0.0, "0,0 %"), (0.12345, "12,3 %")]
)
def test_a_share_is_written_with_decimal_comma_and_a_spaced_percent_sign(
    share: float, text: str
) -> None:
    assert charts.percent(share) == text


def test_numbers_get_decimal_comma_and_a_space_between_thousands() -> None:
    assert charts.number(1234.5) == "1\u00a0234,5"
    assert charts.number(12.0) == "12"
    assert charts.number(1800, 0) == "1\u00a0800"
    assert charts.month_name("2026-11") == "nov. 2026"


def test_the_adoption_chart_is_a_png_summarised_with_its_key_numbers() -> None:
    chart = charts.adoption_chart(_adoption(), TOOLS)
    assert _size(chart.png) == (chart.width, chart.height) == (900, 420)
    assert "1\u00a0000 legekontorer" in chart.alt
    assert "høyest andel med et verktøy har Reseptfornyelse (33,9 %)" in chart.alt
    assert chart.alt.endswith(".") and chart.alt.count(". ") == 0  # one sentence
    row = chart.table[chart.table["Verktøy"] == "Forny resept (Standard)"]
    assert row[["Tjeneste", "Legekontorer", "Andel"]].values.tolist() == [
        ["Reseptfornyelse", "339", "33,9 %"]
    ]


def test_the_axes_of_the_adoption_chart_read_as_norwegian_percent() -> None:
    labels = [charts._PERCENT_AXIS(v, 0) for v in (0, 20, 33.9, 100)]
    assert labels == ["0 %", "20 %", "33,9 %", "100 %"]


def test_the_fylke_chart_names_the_highest_and_lowest_fylke() -> None:
    chart = charts.fylke_chart(_fylker(), "et verktøy (alle tjenester)")
    assert _size(chart.png) == (900, 400)
    assert "høyest i Oslo (50,0 %, 200 av 400)" in chart.alt
    assert "lavest i Nordland (15,6 %, 39 av 250)" in chart.alt
    assert list(chart.table.columns) == [
        "Fylke", "Legekontorer", "Med et verktøy (alle tjenester)", "Andel"
    ]  # fmt: skip


def test_the_trend_chart_tells_the_last_month_and_the_busiest_month_of_text_changes() -> None:
    chart = charts.trend_chart(_trend())
    assert _size(chart.png) == (900, 600)
    assert "fra sep. 2026 til nov. 2026" in chart.alt
    assert "(nov. 2026: e-konsultasjon 12)" in chart.alt
    assert "11 tekstendringer i alt, flest i okt. 2026 (7)" in chart.alt
    assert chart.table.values.tolist() == [
        ["sep. 2026", "10", "3"], ["okt. 2026", "11", "7"], ["nov. 2026", "12", "1"]
    ]  # fmt: skip
    assert list(chart.table.columns) == ["Måned", "e-konsultasjon", "Tekstendringer"]


def test_the_excel_file_gets_a_figure_sheet_with_every_chart_when_charts_are_given() -> None:
    shown = [charts.adoption_chart(_adoption(), TOOLS), charts.trend_chart(_trend())]
    frame = pd.DataFrame({"text": ["=1+1"], "value": [-1]})
    book = load_workbook(io.BytesIO(an.to_xlsx_bytes(frame, charts=shown)))
    assert book.sheetnames == ["Rapport", "Figurer"]
    figures = book["Figurer"]
    assert figures["A1"].value == "Verktøy per tjeneste"
    assert figures["A2"].value == shown[0].alt
    assert len(figures._images) == 2
    assert (book.active["A2"].value, book.active["A2"].data_type) == ("=1+1", "s")


def test_the_excel_file_has_one_sheet_when_no_charts_are_given() -> None:
    frame = pd.DataFrame({"text": ["x"]})
    assert load_workbook(io.BytesIO(an.to_xlsx_bytes(frame))).sheetnames == ["Rapport"]


def _versions() -> pd.DataFrame:
    rows = [
        ("2026-09", "standard-sjekkpunkt", "1.0.0", 40, 0, 0, 0),
        ("2026-09", "beskriv-symptomene-dine", "1.0.0", 5, 1, 0, 0),
        ("2026-10", "standard-sjekkpunkt", "1.0.0", 0, 0, 40, 0),
        ("2026-10", "beskriv-symptomene-dine", "1.1.0", 45, 40, 0, 0),
        ("2026-11", "standard-sjekkpunkt", "1.0.0", 3, 3, 0, 0),
        ("2026-11", "beskriv-symptomene-dine", "1.1.0", 42, 0, 3, 3),
    ]
    columns = ["month", "tool", "version", "offices", "moved_in", "moved_out", "went_back"]
    return pd.DataFrame(rows, columns=columns)


def test_the_tool_version_chart_tells_each_version_s_offices_and_who_went_back() -> None:
    names = {"beskriv-symptomene-dine": "Beskriv symptomene dine"}
    chart = charts.tool_version_chart(_versions(), names, "e-konsultasjon")
    assert _size(chart.png) == (chart.width, chart.height) == (900, 600)
    assert "fra sep. 2026 til nov. 2026 for e-konsultasjon" in chart.alt
    assert "Beskriv symptomene dine versjon 1.1.0: 42" in chart.alt
    assert "44 bytter til et verktøy, 3 tilbake til verktøyet legekontoret hadde før" in (chart.alt)
    assert chart.table.values.tolist()[-1] == [
        "nov. 2026", "Beskriv symptomene dine", "1.1.0", "42", "0", "3", "3"
    ]  # fmt: skip
    assert ["okt. 2026", "standard-sjekkpunkt", "1.0.0", "0", "0", "40", "0"] in (
        chart.table.values.tolist()
    )
