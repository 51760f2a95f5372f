"""«Teksten stemmer fortsatt»: a confirmation without change, audited, in the history, and
counted by the report's «not changed in 12 months»; and the `helsetilbud text` commands."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.cli import main
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.errors import AccessDenied, StaleEdit
from helsetilbud.model import AuditEvent, InfoText, Office
from tests.builders import SmallCountry

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
FOURTEEN_MONTHS_AGO = NOW - timedelta(days=426)
TEXT = "Vi fornyer resepter på hverdager."


def stored(factory: SessionFactory, her_id: str, area: str) -> InfoText:
    with factory() as session:
        row = session.scalar(
            select(InfoText)
            .join(Office, Office.id == InfoText.office_id)
            .where(Office.her_id == her_id, InfoText.area == area)
        )
        assert row is not None
        session.expunge(row)
        return row


def written_long_ago(factory: SessionFactory, country: SmallCountry) -> InfoText:
    """Kari's reseptfornyelse text, saved 14 months before TODAY."""
    with transaction(factory) as session:
        kari = load_identity(session, country.kari)
        editing.set_info_text(
            session, kari, country.office_a, "reseptfornyelse", TEXT, 1, now=FOURTEEN_MONTHS_AGO
        )
    return stored(factory, country.office_a, "reseptfornyelse")


def confirm(factory: SessionFactory, login: str, her_id: str, version: int) -> None:
    with transaction(factory) as session:
        who = load_identity(session, login)
        editing.confirm_info_text(session, who, her_id, "reseptfornyelse", version, now=NOW)


def unchanged_count(url: str, capsys: pytest.CaptureFixture[str]) -> int:
    assert main(["report", "texts", "--format", "json", "--today", str(TODAY), "--db", url]) == 0
    rows = json.loads(capsys.readouterr().out)
    return next(r["flag_unchanged"] for r in rows if r["area"] == "reseptfornyelse")


def test_a_confirmed_text_unchanged_for_14_months_is_no_longer_counted_as_unchanged(
    factory: SessionFactory, country: SmallCountry, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = written_long_ago(factory, country)
    assert unchanged_count(url, capsys) == 1
    confirm(factory, country.kari, country.office_a, before.version)
    assert unchanged_count(url, capsys) == 0
    after = stored(factory, country.office_a, "reseptfornyelse")
    assert (after.text, after.version, after.updated_at) == (
        TEXT,
        before.version,
        before.updated_at,
    )
    assert (after.confirmed_by, after.confirmed_at) == (country.kari, NOW)
    assert main(["history", country.office_a, "--area", "reseptfornyelse", "--db", url]) == 0
    newest = capsys.readouterr().out.splitlines()[0]
    assert newest == (
        "26.11.2026 kl. 10:30  Kari Nordmann (fastlege)  Tekst «Reseptfornyelse» bekreftet uten "
        f"endring: «{TEXT}»"
    )


def test_a_confirmation_counts_for_twelve_months_and_then_the_text_is_unchanged_again(
    engine: Engine, factory: SessionFactory, country: SmallCountry
) -> None:
    from helsetilbud.analytics import text_flags

    confirm(factory, country.kari, country.office_a, written_long_ago(factory, country).version)

    def unchanged(today: date) -> list[str]:
        flags = text_flags(engine, today)
        return flags[flags["flag"] == "unchanged"]["area"].tolist()

    assert "reseptfornyelse" not in unchanged(TODAY + timedelta(days=364))
    assert "reseptfornyelse" in unchanged(TODAY + timedelta(days=366))


def test_a_confirmation_on_a_text_someone_changed_meanwhile_is_refused_and_writes_nothing(
    factory: SessionFactory, country: SmallCountry
) -> None:
    seen = written_long_ago(factory, country).version
    with transaction(factory) as session:
        ola = load_identity(session, country.ola)
        editing.set_info_text(session, ola, country.office_a, "reseptfornyelse", "Nytt.", seen)
    with pytest.raises(StaleEdit, match="Ola Hansen"):
        confirm(factory, country.kari, country.office_a, seen)
    assert stored(factory, country.office_a, "reseptfornyelse").confirmed_at is None


@pytest.mark.parametrize("who", ["analyst", "per"])
def test_only_those_who_may_edit_the_text_may_confirm_it(
    factory: SessionFactory, country: SmallCountry, who: str
) -> None:
    version = written_long_ago(factory, country).version
    with pytest.raises(AccessDenied):
        confirm(factory, getattr(country, who), country.office_a, version)
    with factory() as session:
        confirmations = session.scalar(
            select(func.count()).where(AuditEvent.entity == "info_text_confirmed")
        )
    assert confirmations == 0


def test_a_confirmation_leaves_an_open_editors_version_valid(
    factory: SessionFactory, country: SmallCountry
) -> None:
    version = written_long_ago(factory, country).version
    confirm(factory, country.kari, country.office_a, version)
    with transaction(factory) as session:
        ola = load_identity(session, country.ola)
        editing.set_info_text(session, ola, country.office_a, "reseptfornyelse", "Ny.", version)
    assert stored(factory, country.office_a, "reseptfornyelse").text == "Ny."


def test_text_check_prints_the_hints_as_json_with_their_positions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = "Vi tilbyr koronatest. Stengt 01.07.2025."
    args = ["text", "check", "--area", "reseptfornyelse", "--text", text, "--format", "json"]
    assert main([*args, "--today", str(TODAY)]) == 0
    hints = json.loads(capsys.readouterr().out)
    assert [(h["code"], h["start"], h["end"]) for h in hints] == [
        ("korona", 10, 20),
        ("past_date", 29, 39),
    ]
    assert all(set(h) == {"code", "message", "start", "end"} for h in hints)


def test_text_check_reads_a_file_and_says_when_there_is_nothing_to_remark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tekst.txt"
    path.write_text("Ring oss gjerne hvis du lurer på noe.", encoding="utf-8")
    assert main(["text", "check", "--area", "kontakt_legekontoret", "--file", str(path)]) == 0
    assert capsys.readouterr().out == "Ingen merknader til teksten.\n"
    assert main(["text", "check", "--area", "tull", "--text", "x"]) == 1
    assert "Ukjent informasjonsområde «tull»" in capsys.readouterr().err
    assert main(["text", "check", "--area", "timebestilling", "--file", str(tmp_path)]) == 1
    assert "det er en mappe" in capsys.readouterr().err


def test_text_check_with_an_office_uses_its_review_dates_and_registry_text(
    url: str, country: SmallCountry, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = "Sentrum legesenter\nStorgata 1, 0155 OSLO"
    args = ["text", "check", "--area", "helsekontakt", "--office", country.office_a, "--db", url]
    assert main([*args, "--text", registry, "--format", "json"]) == 0
    assert [h["code"] for h in json.loads(capsys.readouterr().out)] == ["standard_text"]
    stored_text = "Velkommen til Sentrum legesenter."  # never changed: unchanged for a year
    assert main([*args, "--text", stored_text, "--format", "json"]) == 0
    assert [h["code"] for h in json.loads(capsys.readouterr().out)] == ["unchanged"]
    assert main([*args, "--text", "x"]) == 0
    assert "Ingen merknader" in capsys.readouterr().out


def test_text_confirm_on_the_command_line_is_audited_and_refused_in_norwegian(
    factory: SessionFactory, url: str, country: SmallCountry, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["text", "confirm", "--office", country.office_a, "--area", "helsekontakt"]
    assert main([*args, "--as", country.kari, "--db", url]) == 0
    assert "stemmer fortsatt" in capsys.readouterr().out
    assert stored(factory, country.office_a, "helsekontakt").confirmed_by == country.kari
    assert main([*args, "--as", country.analyst, "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Ikke bekreftet. Ingenting er endret.") and "analytikere" in err
    assert main([*args, "--as", "ukjent", "--db", url]) == 1
    assert "Fant ingen bruker" in capsys.readouterr().err
