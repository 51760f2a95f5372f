"""The analysts' adoption screen, driven without a browser on the small country."""

from __future__ import annotations

import base64
import io
import re
from datetime import date

import openpyxl
from sqlalchemy import Engine

from helsetilbud.access import load_identity
from helsetilbud.db import SessionFactory
from helsetilbud.ui.adoption_view import ALL, NONE, AdoptionView
from tests.builders import SmallCountry

TODAY = date(2026, 11, 26)


def _download(view: AdoptionView, suffix: str) -> bytes:
    match = re.search(
        rf'download="[^"]+\.{suffix}" href="data:[^;]+;base64,([^"]+)"', view.downloads.value
    )
    assert match, view.downloads.value
    return base64.b64decode(match.group(1))


def test_choosing_a_service_and_tool_keeps_the_offices_that_use_it(
    engine: Engine, country: SmallCountry
) -> None:
    view = AdoptionView(engine, TODAY)
    assert len(view.selected_offices()) == 2
    view.service.value = "reseptfornyelse"
    assert [label for label, _ in view.tool.options] == [
        "Alle verktøy", "Ingen", "Forny resept (Standard)"
    ]  # fmt: skip
    view.tool.value = "forny-resept"
    assert view.selected_offices()["her_id"].tolist() == [country.office_a]
    assert "1 av 2 legekontorer valgt" in view.heading.value
    view.tool.value = NONE
    assert view.selected_offices()["her_id"].tolist() == [country.office_b]


def test_the_fylke_filter_narrows_the_tables(engine: Engine, country: SmallCountry) -> None:
    view = AdoptionView(engine, TODAY)
    view.fylke.value = "Vestland"
    assert view.selected_offices()["her_id"].tolist() == [country.office_b]
    frame = view.adoption_frame()
    resept = frame[frame["service"] == "reseptfornyelse"]
    assert resept[["tool", "offices", "share"]].values.tolist() == [[None, 1, 1.0]]
    assert "Fjordlegene" in view.flag_table.value or "Tom tekst" in view.text_table.value


def test_excel_and_csv_downloads_hold_the_selected_offices(
    engine: Engine, country: SmallCountry
) -> None:
    view = AdoptionView(engine, TODAY)
    view.service.value = "reseptfornyelse"
    view.tool.value = "forny-resept"
    sheet = openpyxl.load_workbook(io.BytesIO(_download(view, "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("HER-id", "Legekontor", "Fylke")
    assert [r[:3] for r in rows[1:]] == [(country.office_a, "Sentrum legesenter", "Oslo")]
    assert "Forny resept (Standard)" in rows[1]
    csv = _download(view, "csv").decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("HER-id;Legekontor;Fylke;")
    assert len(csv.splitlines()) == 2
    view.service.value = ALL
    assert view.tool.value == ALL


def test_summary_gives_stable_counts(engine: Engine, country: SmallCountry) -> None:
    summary = AdoptionView(engine, TODAY).summary()
    assert summary.startswith("Legekontorer: 2\n")
    assert "  Reseptfornyelse – Forny resept (Standard): 1 (50,0 %)" in summary
    assert "  Tom tekst: 9" in summary


def test_a_gp_is_shown_a_refusal(
    factory: SessionFactory, engine: Engine, country: SmallCountry
) -> None:
    with factory() as session:
        gp = load_identity(session, country.kari)
    view = AdoptionView(engine, TODAY, gp)
    assert not view.allowed
    assert "bare for analytikere" in view.no_access.value


def _images(value: str) -> list[tuple[bytes, str]]:
    found = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', value)
    return [(base64.b64decode(data), alt) for data, alt in found]


def test_every_chart_is_a_png_image_with_a_norwegian_summary_not_figure_text(
    engine: Engine, country: SmallCountry
) -> None:
    view = AdoptionView(engine, TODAY)
    for widget in (view.adoption_chart, view.fylke_chart, view.trend_chart):
        ((png, alt),) = _images(widget.value)
        assert png.startswith(b"\x89PNG") and len(png) > 5_000
        assert alt.endswith(".") and "<Figure" not in widget.value
    assert "Reseptfornyelse (50,0 %)" in view.adoption_chart.value
    assert "høyest i Oslo (100,0 %, 1 av 1)" in view.fylke_chart.value
    assert "<table" in view.trend_chart.value  # the numbers the trend chart draws


def test_the_charts_follow_the_filters(engine: Engine, country: SmallCountry) -> None:
    view = AdoptionView(engine, TODAY)
    view.service.value = "reseptfornyelse"
    view.tool.value = NONE
    ((_, alt),) = _images(view.fylke_chart.value)
    assert "med ingen verktøy (Reseptfornyelse)" in alt
    assert "høyest i Vestland (100,0 %, 1 av 1)" in alt


def test_the_excel_download_holds_the_charts_on_a_figure_sheet(
    engine: Engine, country: SmallCountry
) -> None:
    view = AdoptionView(engine, TODAY)
    book = openpyxl.load_workbook(io.BytesIO(_download(view, "xlsx")))
    assert book.sheetnames == ["Legekontorer", "Figurer"]
    assert len(book["Figurer"]._images) == 3
    titles = [c.value for (c,) in book["Figurer"].iter_rows(max_col=1) if c.font.bold]
    assert titles[0] == "Verktøy per tjeneste" and titles[2] == "Utvikling per måned"
