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
    assert "bare for analytikere" in view.children[1].value
