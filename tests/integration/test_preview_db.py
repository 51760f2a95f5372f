"""The preview read from a database: drafts are shown but never saved; the CLI writes a file."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from helsetilbud.cli import main
from helsetilbud.db import SessionFactory
from helsetilbud.model import Base
from helsetilbud.patient_view import OSLO, patient_view
from helsetilbud.preview import render_page
from helsetilbud.snapshot import load_snapshot
from tests.builders import SmallCountry

AT = datetime(2026, 11, 26, 12, 0, tzinfo=OSLO)


def all_rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            table.name: sorted(map(tuple, conn.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


def test_a_draft_text_shows_in_the_preview_and_the_database_is_unchanged(
    factory: SessionFactory, country: SmallCountry, engine: Engine
) -> None:
    before = all_rows(engine)
    with factory() as session:
        office = load_snapshot(session, country.office_a)
    draft = "Utkast: vi fornyer resepter bare på tirsdager."
    view = patient_view(office, country.kari, AT, {"reseptfornyelse": draft})
    assert draft in render_page(view, "reseptfornyelse")
    assert draft not in render_page(patient_view(office, country.kari, AT), "reseptfornyelse")
    assert all_rows(engine) == before
    with factory() as session:
        assert load_snapshot(session, country.office_a).texts["reseptfornyelse"] == ""


def test_the_stored_tool_leads_the_patient_through_the_form(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with factory() as session:
        office = load_snapshot(session, country.office_a)
    view = patient_view(office, country.kari, AT)
    assert 'data-testid="form"' in render_page(view, "reseptfornyelse", step="skjema")
    assert 'data-testid="attachment-pdf"' in render_page(view, "reseptfornyelse")
    assert 'data-testid="form"' not in render_page(view, "e_konsultasjon", step="skjema")


def test_the_cli_writes_a_self_contained_page(
    db_url: str, country: SmallCountry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "forside.html"
    code = main(["preview", "--office", country.office_a, "--gp", country.ola,
                 "--at", "2026-11-26T12:00", "--out", str(out), "--db", db_url])  # fmt: skip
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert "Fastlegen din er <strong>Ola Hansen</strong>" in html
    assert 'data-testid="button-e_konsultasjon"' not in html  # Ola has e-konsultasjon off
    assert "Velkommen til Sentrum legesenter." in html
    assert "torsdag 26. november kl. 12:00" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html)
    assert "<script" not in html and "url(" not in html
    assert str(out) in capsys.readouterr().out


def test_the_cli_writes_a_service_page_with_its_form(
    db_url: str, country: SmallCountry, tmp_path: Path
) -> None:
    out = tmp_path / "resept.html"
    code = main(["preview", "--office", country.office_a, "--page", "reseptfornyelse",
                 "--step", "skjema", "--out", str(out), "--db", db_url])  # fmt: skip
    assert code == 0
    assert 'data-testid="form"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--office", "999999"], "Fant ikke legekontoret med HER-id 999999."),
        (["--office", "100001", "--gp", "42"], "Fant ingen fastlege med HPR-nummer 42"),
    ],
)
def test_the_cli_refuses_an_unknown_office_or_gp_in_norwegian(
    db_url: str,
    country: SmallCountry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    out = tmp_path / "x.html"
    assert main(["preview", *extra, "--out", str(out), "--db", db_url]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_the_cli_refuses_a_malformed_moment(
    db_url: str, country: SmallCountry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["preview", "--office", country.office_a, "--at", "i morgen",
              "--out", str(tmp_path / "x.html"), "--db", db_url])  # fmt: skip
    assert exit_info.value.code == 2
    assert "Ugyldig tidspunkt" in capsys.readouterr().err
