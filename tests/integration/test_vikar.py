"""A vikar (seed Q11): who registers them, what they may change and when, what patients see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.cli import main
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.errors import AccessDenied, ValidationError
from helsetilbud.oslo_time import OSLO
from helsetilbud.vikar import add_vikar, remove_vikar
from tests.builders import SmallCountry
from tests.integration.db_state import dump_database as dump
from tests.integration.db_state import refused

FIRST, LAST = date(2027, 7, 1), date(2027, 7, 31)
VERA = "2000001"


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=OSLO)


def register(factory: SessionFactory, c: SmallCountry, kind: str = "fravaer", **kw: object) -> int:
    with transaction(factory) as s:
        row = add_vikar(
            s, load_identity(s, c.kari), c.kari, kw.get("hpr", VERA), kw.get("name", "Vera Vikar"),
            kw.get("first", FIRST), kw.get("last", LAST), kind, now=noon(date(2027, 6, 1)),
        )  # fmt: skip
        return row.id


def edit_text(s, at: datetime, her_id: str) -> object:  # type: ignore[no-untyped-def]
    return editing.set_info_text(
        s, load_identity(s, VERA), her_id, "timebestilling", "Vikar i juli.", 1, now=at
    )


@pytest.mark.parametrize("day", [FIRST, date(2027, 7, 15), LAST], ids=str)
def test_a_vikar_edits_the_office_text_and_the_lists_services_inside_the_period(
    factory: SessionFactory, country: SmallCountry, day: date
) -> None:
    register(factory, country)
    with transaction(factory) as s:
        edit_text(s, noon(day), country.office_a)
        vikar = load_identity(s, VERA)
        editing.set_gp_services(s, vikar, country.kari, {"e_konsultasjon": False}, 1,
                                now=noon(day))  # fmt: skip
        editing.add_closure(s, vikar, country.kari, "reseptfornyelse", weekdays=(5, 6),
                            daily_from="00:00", daily_to="00:00", now=noon(day))  # fmt: skip


@pytest.mark.parametrize(
    "day", [FIRST - timedelta(days=1), LAST + timedelta(days=1)], ids=["day before", "day after"]
)
def test_before_and_after_the_period_the_same_edit_is_refused_and_nothing_changes(
    factory: SessionFactory, country: SmallCountry, day: date
) -> None:
    register(factory, country)
    err = refused(factory, lambda s: edit_text(s, noon(day), country.office_a), AccessDenied)
    assert "Vera Vikar" in err.message
    refused(
        factory,
        lambda s: editing.set_gp_services(
            s, load_identity(s, VERA), country.kari, {"e_konsultasjon": False}, 1, now=noon(day)
        ),
        AccessDenied,
    )


def test_a_vikar_may_not_edit_another_office_or_another_gps_services(
    factory: SessionFactory, country: SmallCountry
) -> None:
    register(factory, country)
    inside = noon(date(2027, 7, 10))
    refused(factory, lambda s: edit_text(s, inside, country.office_b), AccessDenied)
    refused(
        factory,
        lambda s: editing.set_gp_services(
            s, load_identity(s, VERA), country.ola, {"timebestilling": False}, 1, now=inside
        ),
        AccessDenied,
    )


def test_a_removed_vikar_may_no_longer_edit_inside_the_period(
    factory: SessionFactory, country: SmallCountry
) -> None:
    vikar_id = register(factory, country)
    with transaction(factory) as s:
        remove_vikar(s, load_identity(s, country.staff), vikar_id, now=noon(date(2027, 7, 2)))
    refused(factory, lambda s: edit_text(s, noon(date(2027, 7, 3)), country.office_a), AccessDenied)


@pytest.mark.parametrize(
    ("login", "allowed"),
    [("1000001", True), ("stab-a", True), ("forvalter", True), ("1000002", False),
     ("1000003", False), ("analytiker", False)],
)  # fmt: skip
def test_the_lists_gp_delegated_staff_and_forvalter_register_vikars_and_no_one_else(
    factory: SessionFactory, country: SmallCountry, login: str, allowed: bool
) -> None:
    def call(s):  # type: ignore[no-untyped-def]
        return add_vikar(s, load_identity(s, login), country.kari, VERA, "Vera", FIRST, LAST)

    if allowed:
        with transaction(factory) as s:
            call(s)
    else:
        refused(factory, call, AccessDenied)


@pytest.mark.parametrize(
    ("kind", "other", "clash"),
    [("fravaer", "fravaer", True), ("en_vikar", "flere_vikarer", True),
     ("flere_vikarer", "flere_vikarer", False)],
)  # fmt: skip
def test_overlapping_vikars_are_refused_unless_the_case_is_several_vikars(
    factory: SessionFactory, country: SmallCountry, kind: str, other: str, clash: bool
) -> None:
    register(factory, country, kind)

    def second(s):  # type: ignore[no-untyped-def]
        return add_vikar(s, load_identity(s, country.kari), country.kari, "2000002", "Vidar",
                         date(2027, 7, 20), date(2027, 8, 10), other)  # fmt: skip

    if clash:
        assert "overlapper" in refused(factory, second, ValidationError).message
    else:
        with transaction(factory) as s:
            second(s)


def _cli(url: str, *args: str) -> int:
    return main([*args, "--db", url])


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--list", "9999999"], "Fant ikke fastlegen med HPR-nummer 9999999"),
        (["--from", "2027-08-01", "--to", "2027-07-01"], "slutter (01.07.2027) før"),
        (["--hpr", "1000001"], "er Kari Nordmann selv"),
        (["--from", "2027-02-30"], "er ikke en dato"),
    ],
)
def test_the_vikar_command_refuses_bad_input_in_norwegian_and_changes_nothing(
    engine: Engine, url: str, capsys: pytest.CaptureFixture[str], args: list[str], named: str
) -> None:
    base = {"--list": "1000001", "--hpr": VERA, "--name": "Vera", "--from": "2027-07-01",
            "--to": "2027-07-31", "--as": "1000001"}  # fmt: skip
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    before = dump(engine)
    assert _cli(url, "vikar", "add", *[x for kv in base.items() for x in kv]) == 1
    err = capsys.readouterr().err
    assert "Ingenting er endret" in err and named in err
    assert dump(engine) == before


def test_vikar_add_list_and_remove_on_the_command_line(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(url, "vikar", "add", "--list", "1000001", "--hpr", VERA, "--name", "Vera Vikar",
                "--from", "2027-07-01", "--to", "2027-07-31", "--as", "stab-a") == 0  # fmt: skip
    assert _cli(url, "vikar", "list", "--office", "100001") == 0
    out = capsys.readouterr().out
    assert "Vera Vikar (HPR 2000001) 01.07.2027–31.07.2027" in out
    assert _cli(url, "vikar", "remove", "--list", "1000001", "--hpr", VERA, "--as", "1000001") == 0
    assert _cli(url, "vikar", "list", "--office", "100001") == 0
    assert "Ingen vikarer" in capsys.readouterr().out


CASES = {
    "en_vikar": ("Fastlegen din er <strong>Vera Vikar</strong> (vikar)",
                 "Til Fastlege <strong>Vera Vikar</strong> (vikar)"),
    "flere_vikarer": ("betjenes av <strong>vikarer ved Sentrum legesenter</strong>",
                      "Til Fastlegelisten din ved <strong>Sentrum legesenter</strong>"),
    "fravaer": ("Fastlegen din er <strong>Kari Nordmann</strong>",
                "Til Fastlege <strong>Kari Nordmann</strong>"),
}  # fmt: skip


def _preview(url: str, tmp_path: Path, at: str, page: str) -> str:
    out = tmp_path / f"{page}-{at}.html"
    args = ["preview", "--office", "100001", "--gp", "1000001", "--at", at, "--page", page]
    assert _cli(url, *args, "--out", str(out)) == 0
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", list(CASES))
def test_the_preview_shows_each_vikar_case_inside_the_period_and_the_ordinary_page_outside(
    factory: SessionFactory, country: SmallCountry, url: str, tmp_path: Path, kind: str
) -> None:
    register(factory, country, kind)
    line, recipient = CASES[kind]
    front = _preview(url, tmp_path, "2027-07-10T10:00", "forside")
    message = _preview(url, tmp_path, "2027-07-10T10:00", "e_konsultasjon")
    assert line in front and f'data-vikar="{kind}"' in front
    assert 'data-testid="vikar-line"' in front
    assert recipient in message
    assert front.count('data-testid="button-') == 4  # every button stays
    if kind == "fravaer":
        assert "Vera Vikar er vikar og svarer deg" in front
    outside = _preview(url, tmp_path, "2027-08-01T10:00", "forside")
    assert "Fastlegen din er <strong>Kari Nordmann</strong>" in outside
    assert "data-vikar" not in outside and "vikar-line" not in outside


def test_closure_commands_add_weekly_and_holiday_closures_list_and_remove_them(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    kari = ["--gp", "1000001"]
    assert _cli(url, "closure", "add", *kari, "--all", "--holidays", "--as", "1000001") == 0
    weekend = ["--weekly", "lørdag,søndag", "00:00-00:00", "--note", "helg"]
    assert _cli(url, "closure", "add", *kari, "--service", "reseptfornyelse", *weekend,
                "--as", "1000001") == 0  # fmt: skip
    assert _cli(url, "closure", "list", *kari) == 0
    out = capsys.readouterr().out
    assert "Alle fire tjenestene stengt på helligdager" in out
    assert "nr. 1: Reseptfornyelse stengt hver lørdag, søndag kl. 00:00–00:00 (helg)" in out
    assert _cli(url, "closure", "remove", "--id", "1", "--as", "1000001") == 0
    assert _cli(url, "closure", "remove", *kari, "--all", "--holidays", "--as", "1000001") == 0
    assert _cli(url, "closure", "list", *kari) == 0
    assert "Ingen tjenester stengt på helligdager" in capsys.readouterr().out


def test_a_closure_by_another_gp_or_with_a_bad_time_is_refused_and_changes_nothing(
    engine: Engine, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(engine)
    assert _cli(url, "closure", "add", "--gp", "1000001", "--all", "--holidays",
                "--as", "1000002") == 1  # fmt: skip
    period = ["--from", "2027-07-01T25:00", "--to", "2027-07-02"]
    assert _cli(url, "closure", "add", "--gp", "1000001", "--service", "timebestilling",
                *period, "--as", "1000001") == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "kan ikke endre tjenestene" in err and "er ikke et tidspunkt" in err
    assert dump(engine) == before
