"""Analytics and `helsetilbud report`, cross-checked against SQL written here, independently."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from sqlalchemy import Engine, text, update

from helsetilbud import analytics as an
from helsetilbud.access import load_identity
from helsetilbud.bootstrap import load_catalog_tools
from helsetilbud.catalog import AREAS, CATALOG, TRIAGE_SERVICES
from helsetilbud.cli import main
from helsetilbud.db import (
    SessionFactory,
    make_engine,
    make_session_factory,
    transaction,
    upgrade_schema,
)
from helsetilbud.editing import set_info_text, set_tool
from helsetilbud.model import InfoText, Office, ToolAssignment
from tests.builders import SmallCountry, add_office

TODAY = date(2026, 11, 26)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _report(engine: Engine, tmp_path: Path, *args: str) -> list[dict]:
    out = tmp_path / f"{args[0]}.json"
    code = main(
        ["report", *args, "--format", "json", "--out", str(out), "--today", TODAY.isoformat()]
        + ["--db", _url(engine)]
    )
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8"))


# --- independent SQL -------------------------------------------------------------------------


def _sql_adoption(engine: Engine, by_fylke: bool) -> dict[tuple, tuple[int, float]]:
    """(fylke?, service, tool) -> (offices, share), from plain SQL; missing rows count as none."""
    with engine.connect() as conn:
        totals = dict(
            conn.execute(text("SELECT fylke, count(*) FROM offices GROUP BY fylke")).all()
        )
        rows = conn.execute(
            text(
                "SELECT o.fylke, a.service, a.tool_id, count(*) FROM tool_assignments a "
                "JOIN offices o ON o.id = a.office_id WHERE a.tool_id IS NOT NULL "
                "GROUP BY o.fylke, a.service, a.tool_id"
            )
        ).all()
    groups = sorted(totals) if by_fylke else [None]
    found: dict[tuple, tuple[int, float]] = {}
    for group in groups:
        total = totals[group] if by_fylke else sum(totals.values())
        with_tool: Counter[str] = Counter()
        used: Counter[tuple[str, str]] = Counter()
        for fylke, service, tool, n in rows:
            if by_fylke and fylke != group:
                continue
            used[(service, tool)] += n
            with_tool[service] += n
        for (service, tool), n in used.items():
            found[(group, service, tool)] = (n, n / total)
        for service in TRIAGE_SERVICES:
            none = total - with_tool[service]
            found[(group, service, None)] = (none, none / total)
    return found


def _check_adoption(engine: Engine, tmp_path: Path, by_fylke: bool) -> list[dict]:
    args = ("adoption", "--by-fylke") if by_fylke else ("adoption",)
    report = _report(engine, tmp_path, *args)
    expected = _sql_adoption(engine, by_fylke)
    keys = ["fylke", "service", "tool", "offices", "share"] if by_fylke else None
    seen = set()
    for row in report:
        assert list(row) == (keys or ["service", "tool", "offices", "share"])
        key = (row.get("fylke"), row["service"], row["tool"])
        offices, share = expected.get(key, (0, 0.0))
        assert row["offices"] == offices, key
        assert math.isclose(row["share"], share, abs_tol=1e-12), key
        seen.add(key)
    assert {k for k, (n, _) in expected.items() if n} <= seen
    return report


def _sql_lengths(engine: Engine) -> dict[str, list[int]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT area, text FROM info_texts")).all()
    lengths: dict[str, list[int]] = {area: [] for area in AREAS}
    for area, value in rows:
        stripped = (value or "").strip(" ")
        if stripped:
            lengths[area].append(len(stripped))
    return lengths


# Independent, deliberately plain detectors for the flag counts of `report texts`.
_MONTHS = "januar februar mars april mai juni juli august september oktober november desember"


def _independent_flags(value: str, standard: str | None, stale: bool) -> set[str]:
    if not value.strip():
        return {"empty"}
    found = {"unchanged"} if stale else set()
    words = re.findall(r"\w[\w-]*", value.lower())
    if any((w.startswith("korona") and not w.startswith("koronar")) or w.startswith("covid")
           for w in words):  # fmt: skip
        found.add("korona")
    for d, m, y in re.findall(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)", value):
        try:
            if date(int(y), int(m), int(d)) < TODAY:
                found.add("past_date")
        except ValueError:
            pass
    for d, name, y in re.findall(r"(\d{1,2})\.? (\w+) (\d{4})", value.lower()):
        if name in _MONTHS.split():
            month = _MONTHS.split().index(name) + 1
            if date(int(y), month, int(d)) < TODAY:
                found.add("past_date")
    squeezed = re.sub(r"\d{1,2}\.\d{1,2}\.\d{4}", "", value)
    if re.search(r"(?<![\d+])(\+47 ?)?\d( ?\d){7}(?!\d)", squeezed):
        found.add("phone")
    if re.search(r"www\.|https?://|[a-z0-9]\.(no|com|org|net)\b", value.lower()):
        found.add("web")
    if standard:
        plain = " ".join(re.sub(r"[^\w]+", " ", value.lower()).split())
        if " ".join(re.sub(r"[^\w]+", " ", standard.lower()).split()) in plain:
            found.add("standard_text")
    return found


def _check_texts(engine: Engine, tmp_path: Path) -> list[dict]:
    report = _report(engine, tmp_path, "texts")
    lengths = _sql_lengths(engine)
    cutoff = datetime(TODAY.year, TODAY.month, TODAY.day) - timedelta(days=365)
    with engine.connect() as conn:
        offices = conn.execute(text("SELECT count(*) FROM offices")).scalar_one()
        rows = conn.execute(
            text(
                "SELECT t.area, t.text, t.updated_at, o.name, o.address, o.postal_code, "
                "o.postal_place FROM info_texts t JOIN offices o ON o.id = t.office_id"
            )
        ).all()
    flags: dict[str, Counter[str]] = {area: Counter() for area in AREAS}
    for area, value, updated, name, address, code, place in rows:
        if isinstance(updated, str):
            updated = datetime.fromisoformat(updated)
        stale = updated is None or updated.replace(tzinfo=None) < cutoff
        standard = (
            f"{name} {address} {code} {place}"
            if area == "helsekontakt"
            else CATALOG.area(area).standard_text
        )
        flags[area].update(_independent_flags(value or "", standard, stale))
    assert [r["area"] for r in report] == list(AREAS)
    for row in report:
        area, values = row["area"], np.array(lengths[row["area"]])
        limit = CATALOG.area(area).limit
        assert row["offices"] == offices
        assert row["with_text"] == len(values)
        assert math.isclose(row["share"], len(values) / offices)
        assert row["limit"] == limit
        assert row["near_limit"] == int((values >= 0.9 * limit).sum())
        if len(values):
            assert row["min_length"] == values.min()
            assert row["max_length"] == values.max()
            assert math.isclose(row["median_length"], float(np.percentile(values, 50)))
            assert math.isclose(row["p90_length"], float(np.percentile(values, 90)))
        else:
            assert row["min_length"] is None and row["median_length"] is None
        for flag in an.FLAGS:
            assert row[f"flag_{flag}"] == flags[area][flag], (area, flag)
    return report


# --- the small country (SQLite and PostgreSQL) -----------------------------------------------


def test_report_adoption_counts_each_tool_and_none_per_service(
    engine: Engine, country: SmallCountry, tmp_path: Path
) -> None:
    report = _check_adoption(engine, tmp_path, by_fylke=False)
    rows = {(r["service"], r["tool"]): r for r in report}
    assert rows[("reseptfornyelse", "forny-resept")]["offices"] == 1
    assert rows[("reseptfornyelse", "forny-resept")]["share"] == 0.5
    assert rows[("reseptfornyelse", None)]["offices"] == 1
    assert rows[("e_konsultasjon", "beskriv-symptomene-dine")]["offices"] == 0
    assert [r["service"] for r in report if r["tool"] is None] == list(TRIAGE_SERVICES)


def test_a_malformed_helsetilbud_today_is_named_and_no_report_is_written(
    engine: Engine,
    country: SmallCountry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HELSETILBUD_TODAY", "2026-13-40")
    out = tmp_path / "adoption.json"
    code = main(
        ["report", "adoption", "--format", "json", "--out", str(out)] + ["--db", _url(engine)]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "HELSETILBUD_TODAY «2026-13-40» er ikke en dato på formen ÅÅÅÅ-MM-DD." in err
    assert "Uventet feil" not in err
    assert not out.exists()


def test_report_adoption_by_fylke_uses_each_fylke_as_the_whole(
    engine: Engine, country: SmallCountry, tmp_path: Path
) -> None:
    report = _check_adoption(engine, tmp_path, by_fylke=True)
    oslo = {(r["service"], r["tool"]): r for r in report if r["fylke"] == "Oslo"}
    assert oslo[("reseptfornyelse", "forny-resept")]["share"] == 1.0


def test_report_texts_matches_independent_sql(
    engine: Engine, country: SmallCountry, tmp_path: Path
) -> None:
    report = _check_texts(engine, tmp_path)
    helsekontakt = report[0]
    assert helsekontakt["with_text"] == 1 and helsekontakt["flag_empty"] == 1


def test_adoption_matrix_has_a_column_per_triage_service(
    engine: Engine, country: SmallCountry
) -> None:
    matrix = an.adoption_matrix(engine)
    assert list(matrix.columns) == ["her_id", "name", "fylke", *TRIAGE_SERVICES]
    assert matrix["her_id"].tolist() == [country.office_a, country.office_b]
    assert matrix.loc[0, "reseptfornyelse"] == "forny-resept"
    assert matrix.loc[1, "reseptfornyelse"] is None


def test_service_offering_counts_gps_by_fylke_and_office_size(
    engine: Engine, country: SmallCountry
) -> None:
    by_fylke = an.service_offering(engine, by="fylke")
    oslo = by_fylke[(by_fylke["fylke"] == "Oslo") & (by_fylke["service"] == "e_konsultasjon")]
    assert oslo[["gps", "offering", "share"]].values.tolist() == [[2, 1, 0.5]]
    by_size = an.service_offering(engine, by="office_size")
    assert sorted(set(by_size["office_size"])) == ["1", "2-3"]
    assert by_size.groupby("office_size")["gps"].first().to_dict() == {"1": 1, "2-3": 2}


def test_trends_rebuild_each_month_end_from_the_audit_log(
    factory: SessionFactory, engine: Engine, country: SmallCountry
) -> None:
    march = datetime(2026, 3, 10, 9, tzinfo=UTC)
    with transaction(factory) as session:
        admin = load_identity(session, country.admin)
        row = session.query(ToolAssignment).filter_by(service="e_kontakt").first()
        her_id = session.get(Office, row.office_id).her_id
        set_tool(session, admin, her_id, "e_kontakt", "standard-sjekkpunkt", row.version, now=march)
    with transaction(factory) as session:
        admin = load_identity(session, country.admin)
        text_row = session.query(InfoText).filter_by(area="timebestilling").first()
        office = session.get(Office, text_row.office_id)
        set_info_text(
            session, admin, office.her_id, "timebestilling", "Ring oss.", text_row.version,
            now=march + timedelta(days=40),
        )  # fmt: skip
    frame = an.trends(engine, TODAY)
    assert frame["month"].nunique() == 24
    series = frame[(frame["measure"] == "with_tool") & (frame["key"] == "e_kontakt")]
    by_month = dict(zip(series["month"], series["value"], strict=True))
    assert by_month["2026-02"] == 0 and by_month["2026-03"] == 1 and by_month["2026-11"] == 1
    to_tool = frame[(frame["measure"] == "to_tool") & (frame["key"] == "e_kontakt")]
    assert to_tool["value"].sum() == 1
    texts = frame[(frame["measure"] == "text_changes") & (frame["value"] > 0)]
    assert texts[["month", "key", "value"]].values.tolist() == [["2026-04", "timebestilling", 1]]
    resept = frame[(frame["measure"] == "with_tool") & (frame["key"] == "reseptfornyelse")]
    assert set(resept["value"]) == {1}  # chosen before any history: constant


def test_regression_check_lists_failures_office_by_office(
    factory: SessionFactory, engine: Engine, country: SmallCountry
) -> None:
    assert an.regression_check(engine, TODAY).summary == "2 av 2 legekontorer består kontrollen."
    with transaction(factory) as session:
        office = session.query(Office).filter_by(her_id=country.office_b).one()
        session.execute(
            update(ToolAssignment)
            .where(ToolAssignment.office_id == office.id, ToolAssignment.service == "e_kontakt")
            .values(tool_id="forny-resept")
        )
        session.execute(
            update(InfoText)
            .where(InfoText.office_id == office.id, InfoText.area == "helsekontakt")
            .values(text="x" * 201)
        )
        session.query(InfoText).filter_by(office_id=office.id, area="timebestilling").delete()
    result = an.regression_check(engine, TODAY)
    assert result.summary == "1 av 2 legekontorer består kontrollen."
    assert set(result.failures["her_id"]) == {country.office_b}
    problems = " | ".join(result.failures["problem"])
    assert "ikke tillatt for denne tjenesten" in problems
    assert "201 tegn; grensen er 200" in problems
    assert "Har 4 tekster; skal ha 5." in problems


# --- text flags on crafted texts -------------------------------------------------------------

CRAFTED = {
    "reseptfornyelse": "Koronavaksine settes på onsdager. Ring 22 33 44 55 ved spørsmål.",
    "e_konsultasjon": "Stengt 01.06.2026 og fra 3. januar 2027. Se https://legene.no/ferie.",
    "kontakt_legekontoret": CATALOG.area("kontakt_legekontoret").standard_text
    + " Svar kommer raskt.",
    "timebestilling": "Covid-19: bruk munnbind. Ring +47 91234567 eller se www.lege.no.",
}


def test_text_flags_detect_each_flag_on_crafted_texts(
    factory: SessionFactory, engine: Engine, country: SmallCountry
) -> None:
    with transaction(factory) as session:
        add_office(session, "100003", "Kryss legesenter", fylke="Agder", texts=CRAFTED)
        session.execute(
            update(InfoText)
            .where(InfoText.area == "reseptfornyelse")
            .values(updated_at=datetime(2025, 11, 1, tzinfo=UTC))
        )
        session.execute(
            update(InfoText)
            .where(InfoText.area != "reseptfornyelse")
            .values(updated_at=datetime(2026, 11, 1, tzinfo=UTC))
        )
    flags = an.text_flags(engine, TODAY)
    mine = flags[flags["her_id"] == "100003"]
    got = {(r.area, r.flag): r.detail for r in mine.itertuples()}
    assert got == {
        ("helsekontakt", "empty"): "",
        ("reseptfornyelse", "unchanged"): "",
        ("reseptfornyelse", "korona"): "Koronavaksine",
        ("reseptfornyelse", "phone"): "22 33 44 55",
        ("e_konsultasjon", "past_date"): "01.06.2026",
        ("e_konsultasjon", "web"): "https://legene.no/ferie",
        ("kontakt_legekontoret", "standard_text"): "inneholder standardteksten",
        ("timebestilling", "korona"): "Covid-19",
        ("timebestilling", "phone"): "+47 91234567",
        ("timebestilling", "web"): "www.lege.no",
    }
    assert list(mine.columns) == ["her_id", "name", "area", "flag", "text", "detail"]
    assert set(flags["flag"]) <= set(an.FLAG_LABELS)


@pytest.mark.parametrize(
    ("value", "flag"),
    [
        ("Vi har stengt 24. desember 2026.", None),
        ("Kom innom 12.12.2025.", "past_date"),
        ("Koronarsykdom følges opp av fastlegen.", None),
        ("Telefon 1234567 (sju sifre).", None),
        ("Telefon 123 45 678.", "phone"),
        ("Skriv til post@kontoret.com.", "web"),
        ("KORONA-tiltakene er borte.", "korona"),
        ("31.02.2025 finnes ikke.", None),
    ],
)
def test_find_flags_tells_flags_from_look_alikes(value: str, flag: str | None) -> None:
    found = set(an.find_flags(value, today=TODAY))
    assert found == ({flag} if flag else set())


def test_find_flags_knows_a_copied_standard_text_despite_case_and_spacing() -> None:
    standard = CATALOG.area("reseptfornyelse").standard_text
    copied = standard.upper().replace(" ", "  ")
    found = an.find_flags(copied, today=TODAY, standard=standard)
    assert found == {"standard_text": "lik standardteksten"}


# --- xlsx ------------------------------------------------------------------------------------


def test_report_adoption_xlsx_holds_the_same_numbers_as_the_json(
    engine: Engine, country: SmallCountry, tmp_path: Path
) -> None:
    _xlsx_equals_json(engine, tmp_path)


def _xlsx_equals_json(engine: Engine, tmp_path: Path) -> None:
    report = _report(engine, tmp_path, "adoption")
    out = tmp_path / "adopsjon.xlsx"
    args = ["report", "adoption", "--format", "xlsx", "--out", str(out), "--db", _url(engine)]
    assert main(args) == 0
    book = openpyxl.load_workbook(out)
    sheet = book.active
    assert book.sheetnames == ["Verktøy", "Figurer"]
    assert len(book["Figurer"]._images) == 1
    assert book["Figurer"]["A1"].value == "Verktøy per tjeneste"
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == (
        "Tjeneste (kode)", "Tjeneste", "Verktøy (kode)", "Verktøy", "Legekontorer", "Andel"
    )  # fmt: skip
    assert [(s, t, n) for s, _, t, _, n, _ in rows] == [
        (r["service"], r["tool"], r["offices"]) for r in report
    ]
    # Excel keeps 15 significant digits
    for row, r in zip(rows, report, strict=True):
        assert math.isclose(row[5], r["share"], rel_tol=1e-14, abs_tol=1e-15)
    assert {r[3] for r in rows if r[2] is None} == {an.NO_TOOL}


@pytest.mark.parametrize(
    ("kind", "title"),
    [(["adoption", "--by-fylke"], "Verktøy per tjeneste"), (["trends"], "Utvikling per måned")],
)
def test_report_xlsx_draws_its_chart_from_its_own_rows(
    engine: Engine, country: SmallCountry, tmp_path: Path, kind: list[str], title: str
) -> None:
    out = tmp_path / "rapport.xlsx"
    assert main(["report", *kind, "--format", "xlsx", "--out", str(out), "--db", _url(engine)]) == 0
    figures = openpyxl.load_workbook(out)["Figurer"]
    assert figures["A1"].value == title and len(figures._images) == 1
    if kind[0] == "adoption":  # the two offices, summed over their fylker
        assert "av 2 legekontorer" in figures["A2"].value
        assert "høyest andel med et verktøy har Reseptfornyelse (50,0 %)" in figures["A2"].value


def test_report_xlsx_without_out_is_refused(engine: Engine, country: SmallCountry) -> None:
    assert main(["report", "adoption", "--format", "xlsx", "--db", _url(engine)]) == 2


def test_report_table_is_norwegian(
    engine: Engine, country: SmallCountry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "adoption", "--today", "2026-11-26", "--db", _url(engine)]) == 0
    out = capsys.readouterr().out
    assert "Tjeneste" in out and "Legekontorer" in out and "Andel" in out
    assert "Forny resept (Standard)" in out and "50,0 %" in out and "Ingen" in out
    assert "reseptfornyelse" not in out


# --- the sample country (300 offices, SQLite) ------------------------------------------------


@pytest.fixture(scope="module")
def sample_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    from helsetilbud.sample import build_sample

    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.sqlite'}"
    eng = make_engine(url)
    upgrade_schema(eng)
    with transaction(make_session_factory(eng)) as session:
        load_catalog_tools(session)
        build_sample(session, seed=7, offices=300, today=TODAY)
    yield eng
    eng.dispose()


def test_sample_report_adoption_matches_independent_sql(
    sample_engine: Engine, tmp_path: Path
) -> None:
    report = _check_adoption(sample_engine, tmp_path, by_fylke=False)
    assert sum(r["offices"] for r in report) == 300 * len(TRIAGE_SERVICES)
    _check_adoption(sample_engine, tmp_path, by_fylke=True)


def test_sample_report_texts_matches_independent_sql(sample_engine: Engine, tmp_path: Path) -> None:
    report = _check_texts(sample_engine, tmp_path)
    for flag in ("empty", "unchanged", "korona", "past_date", "phone", "web"):
        assert sum(r[f"flag_{flag}"] for r in report) > 0, flag


def test_sample_report_adoption_xlsx_holds_the_same_numbers_as_the_json(
    sample_engine: Engine, tmp_path: Path
) -> None:
    _xlsx_equals_json(sample_engine, tmp_path)


def test_sample_adoption_matrix_agrees_with_adoption(sample_engine: Engine) -> None:
    matrix = an.adoption_matrix(sample_engine)
    shares = an.adoption(sample_engine)
    assert len(matrix) == 300 and matrix["her_id"].is_unique
    for row in shares.itertuples():
        column = matrix[row.service]
        count = column.isna().sum() if row.tool is None else (column == row.tool).sum()
        assert count == row.offices


def test_sample_passes_the_regression_check(sample_engine: Engine) -> None:
    result = an.regression_check(sample_engine, TODAY)
    assert result.failures.empty
    assert result.summary == "300 av 300 legekontorer består kontrollen."
