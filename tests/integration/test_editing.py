"""The write path: validated, versioned, audited changes; bad input changes nothing."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.cli import history as history_cli
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.errors import NotFound, StaleEdit, ValidationError
from helsetilbud.model import AuditEvent, InfoText, Office, TriageTool
from tests.builders import SmallCountry
from tests.integration.db_state import dump_database, refused

NOW = datetime(2026, 11, 26, 9, 14, tzinfo=UTC)  # 10:14 in Oslo
C = SmallCountry()
FNR = "15059012387"


def _text(s: Session, her_id: str, area: str) -> InfoText:
    office = s.scalar(select(Office).where(Office.her_id == her_id))
    return s.scalar(select(InfoText).filter_by(office_id=office.id, area=area))


def _set_text(factory: SessionFactory, login: str, text: str, version: int = 1, **kw) -> InfoText:
    with transaction(factory) as s:
        return editing.set_info_text(
            s,
            load_identity(s, login),
            C.office_a,
            "reseptfornyelse",
            text,
            version,
            now=kw.pop("now", NOW),
            **kw,
        )


def test_saving_a_text_bumps_the_version_and_records_who_what_and_when(
    factory: SessionFactory, country: SmallCountry
) -> None:
    row = _set_text(factory, C.kari, "  Resepter fornyes innen tre dager.\r\n")
    assert (row.text, row.version, row.updated_by, row.updated_at) == (
        "Resepter fornyes innen tre dager.",
        2,
        C.kari,
        NOW,
    )
    with transaction(factory) as s:
        (audit,) = s.scalars(select(AuditEvent)).all()
    assert (audit.actor, audit.role, audit.at, audit.entity, audit.key) == (
        C.kari,
        "fastlege",
        NOW,
        "info_text",
        "reseptfornyelse",
    )
    assert json.loads(audit.before) == ""
    assert json.loads(audit.after) == "Resepter fornyes innen tre dager."


def test_script_tags_are_stored_and_returned_as_plain_text(
    factory: SessionFactory, country: SmallCountry
) -> None:
    text = "<script>alert('hei')</script> <b>Velkommen</b> & god dag"
    _set_text(factory, C.kari, text)
    with transaction(factory) as s:
        assert _text(s, C.office_a, "reseptfornyelse").text == text


def test_a_text_of_exactly_the_limit_is_saved_and_one_more_character_is_refused(
    factory: SessionFactory, country: SmallCountry
) -> None:
    assert _set_text(factory, C.kari, "å" * 300).text == "å" * 300
    err = refused(
        factory,
        lambda s: editing.set_info_text(
            s, load_identity(s, C.kari), C.office_a, "reseptfornyelse", "å" * 301, 2, now=NOW
        ),
        ValidationError,
    )
    assert err.message == "Teksten for «Reseptfornyelse» er 301 tegn; grensen er 300."


def test_emoji_and_combining_accents_count_as_one_character_each(
    factory: SessionFactory, country: SmallCountry
) -> None:
    row = _set_text(factory, C.kari, "😀" * 150 + "e\u0301" * 150)
    assert row.text == "😀" * 150 + "é" * 150


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a" * 301, "Teksten for «Reseptfornyelse» er 301 tegn; grensen er 300."),
        (
            "Ring\x07oss",
            "Teksten for «Reseptfornyelse» inneholder et ugyldig kontrolltegn (U+0007).",
        ),
        (
            f"Pasient {FNR} må ringe",
            "Teksten for «Reseptfornyelse» inneholder et fødselsnummer eller D-nummer. "
            "Pasienters identitetsnummer skal aldri stå på en offentlig side.",
        ),
    ],
    ids=["too-long", "control-character", "fodselsnummer"],
)
def test_a_bad_text_is_refused_with_its_norwegian_error_and_changes_nothing(
    factory: SessionFactory, country: SmallCountry, text: str, message: str
) -> None:
    err = refused(
        factory,
        lambda s: editing.set_info_text(
            s, load_identity(s, C.kari), C.office_a, "reseptfornyelse", text, 1, now=NOW
        ),
        ValidationError,
    )
    assert err.message == message


def test_a_number_with_a_wrong_check_digit_is_not_a_fodselsnummer(
    factory: SessionFactory, country: SmallCountry
) -> None:
    assert _set_text(factory, C.kari, "Ring 15059012388").text == "Ring 15059012388"


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (
            lambda s, i: editing.set_info_text(s, i, "999999", "reseptfornyelse", "x", 1),
            NotFound,
            "Fant ikke legekontoret med HER-id 999999.",
        ),
        (
            lambda s, i: editing.set_info_text(s, i, C.office_a, "resepter", "x", 1),
            NotFound,
            "Ukjent informasjonsområde «resepter».",
        ),
        (
            lambda s, i: editing.set_tool(s, i, C.office_a, "labprøver", None, 1),
            NotFound,
            "Ukjent tjeneste for triagering «labprøver».",
        ),
        (
            lambda s, i: editing.set_tool(s, i, C.office_a, "reseptfornyelse", "ukjent", 1),
            NotFound,
            "Fant ikke triageringsverktøyet «ukjent».",
        ),
        (
            lambda s, i: editing.set_tool(s, i, C.office_a, "e_konsultasjon", "forny-resept", 1),
            ValidationError,
            "kan ikke brukes for «",
        ),
        (
            lambda s, i: editing.set_gp_services(s, i, "999", {"timebestilling": False}, 1),
            NotFound,
            "Fant ikke fastlegen med HPR-nummer 999.",
        ),
        (
            lambda s, i: editing.set_gp_services(s, i, C.kari, {"videokonsultasjon": True}, 1),
            NotFound,
            "Ukjent pasienttjeneste «videokonsultasjon».",
        ),
        (
            lambda s, i: editing.set_gp_services(s, i, C.kari, {"timebestilling": "nei"}, 1),
            ValidationError,
            "må slås på eller av",
        ),
        (
            lambda s, i: editing.history(s, i, C.office_a, area="resepter"),
            NotFound,
            "«resepter»",
        ),
    ],
    ids=[
        "unknown-office",
        "unknown-area",
        "unknown-service",
        "unknown-tool",
        "tool-not-for-service",
        "unknown-gp",
        "unknown-patient-service",
        "not-a-bool",
        "history-unknown-area",
    ],
)
def test_unknown_names_and_wrong_choices_are_refused_and_named(
    factory: SessionFactory, country: SmallCountry, call, error, fragment: str
) -> None:
    err = refused(factory, lambda s: call(s, load_identity(s, C.kari)), error)
    assert fragment in err.message


def test_a_tool_is_refused_for_a_service_the_catalogue_does_not_allow_it_for(
    factory: SessionFactory, country: SmallCountry
) -> None:
    err = refused(
        factory,
        lambda s: editing.set_tool(
            s, load_identity(s, C.kari), C.office_a, "e_konsultasjon", "forny-resept", 1, now=NOW
        ),
        ValidationError,
    )
    with transaction(factory) as s:
        label = s.get(TriageTool, "forny-resept").label
    assert err.message == f"Verktøyet «{label}» kan ikke brukes for «e-konsultasjon»."


def test_an_unpublished_tool_cannot_be_chosen(factory: SessionFactory, country: SmallCountry):
    with transaction(factory) as s:
        s.get(TriageTool, "beskriv-symptomene-dine").status = "retired"
    err = refused(
        factory,
        lambda s: editing.set_tool(
            s,
            load_identity(s, C.kari),
            C.office_a,
            "e_konsultasjon",
            "beskriv-symptomene-dine",
            1,
            now=NOW,
        ),
        ValidationError,
    )
    assert "er ikke publisert" in err.message


def test_a_tool_can_be_chosen_and_cleared_to_none(factory: SessionFactory, country: SmallCountry):
    with transaction(factory) as s:
        kari = load_identity(s, C.kari)
        row = editing.set_tool(
            s, kari, C.office_a, "e_konsultasjon", "standard-sjekkpunkt", 1, now=NOW
        )
        assert (row.tool_id, row.version) == ("standard-sjekkpunkt", 2)
        row = editing.set_tool(s, kari, C.office_a, "e_konsultasjon", None, 2, now=NOW)
        assert (row.tool_id, row.version) == (None, 3)
        events = editing.history(s, kari, C.office_a, area="e_konsultasjon")
    assert [(json.loads(e.before), json.loads(e.after)) for e in events] == [
        ("standard-sjekkpunkt", None),
        (None, "standard-sjekkpunkt"),
    ]


def test_a_gp_switches_some_services_and_the_others_stay(factory, country: SmallCountry):
    with transaction(factory) as s:
        gp = editing.set_gp_services(
            s, load_identity(s, C.ola), C.ola, {"timebestilling": False}, 1, now=NOW
        )
        assert gp.services() == {
            "timebestilling": False,
            "reseptfornyelse": True,
            "e_konsultasjon": False,
            "kontakt_legekontoret": True,
        }
        assert gp.version == 2


def test_saving_the_same_value_again_makes_no_new_version_or_event(factory, country):
    _set_text(factory, C.kari, "Samme")
    row = _set_text(factory, C.ola, "Samme", version=2)
    assert row.version == 2
    with transaction(factory) as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_a_stale_write_from_a_second_session_is_refused_with_the_current_value(
    factory: SessionFactory, country: SmallCountry
) -> None:
    first, second = factory(), factory()
    with first.begin(), second.begin():
        seen_by_first = _text(first, C.office_a, "reseptfornyelse").version
        seen_by_second = _text(second, C.office_a, "reseptfornyelse").version
        assert seen_by_first == seen_by_second == 1
    with first.begin():
        editing.set_info_text(
            first,
            load_identity(first, C.kari),
            C.office_a,
            "reseptfornyelse",
            "Karis tekst",
            seen_by_first,
            now=NOW,
        )
    engine = factory.kw["bind"]
    before = dump_database(engine)
    with second.begin(), pytest.raises(StaleEdit) as err:
        editing.set_info_text(
            second,
            load_identity(second, C.ola),
            C.office_a,
            "reseptfornyelse",
            "Olas tekst",
            seen_by_second,
            now=NOW + timedelta(minutes=5),
        )
    assert dump_database(engine) == before
    assert err.value.message == (
        "Teksten ble endret av Kari Nordmann 26.11.2026 kl. 10:14 etter at du begynte å "
        "redigere. Velg om du vil beholde den lagrede teksten eller skrive over den."
    )
    assert err.value.current.value == "Karis tekst"
    assert err.value.current.version == 2
    assert err.value.current.changed_by == "Kari Nordmann"
    assert err.value.current.changed_at == NOW
    first.close()
    second.close()


def test_a_write_that_loses_the_race_after_its_version_check_is_refused_not_lost(
    factory: SessionFactory, country: SmallCountry
) -> None:
    """Another writer commits between the version check and the UPDATE: compare-and-set wins."""
    loser = factory()

    rival_done: list[bool] = []

    def rival_commits_first(session: Session, *_: object) -> None:
        if not rival_done and session.dirty:
            rival_done.append(True)
            _set_text(factory, C.kari, "Vinneren", version=1)

    event.listen(loser, "before_flush", rival_commits_first)
    with pytest.raises(StaleEdit) as err, loser.begin():
        editing.set_info_text(
            loser,
            load_identity(loser, C.ola),
            C.office_a,
            "reseptfornyelse",
            "Taperen",
            1,
            now=NOW,
        )
    loser.close()
    assert err.value.current.value == "Vinneren"
    assert err.value.current.version == 2
    with transaction(factory) as s:
        assert _text(s, C.office_a, "reseptfornyelse").text == "Vinneren"
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_restoring_an_earlier_text_is_a_new_audited_change(factory, country: SmallCountry):
    _set_text(factory, C.kari, "Første")
    _set_text(factory, C.kari, "Andre", version=2)
    with transaction(factory) as s:
        kari = load_identity(s, C.kari)
        first_event = editing.history(s, kari, C.office_a, area="reseptfornyelse")[-1]
        row = editing.restore_info_text(
            s, kari, C.office_a, "reseptfornyelse", first_event.id, 3, now=NOW
        )
        assert (row.text, row.version) == ("Første", 4)
        latest = editing.history(s, kari, C.office_a, area="reseptfornyelse")[0]
        assert (json.loads(latest.before), json.loads(latest.after)) == ("Andre", "Første")
    err = refused(
        factory,
        lambda s: editing.restore_info_text(
            s, load_identity(s, C.kari), C.office_a, "timebestilling", first_event.id, 1
        ),
        NotFound,
    )
    assert "Fant ingen tidligere tekst for «Timebestilling»" in err.message


def test_history_is_newest_first_and_narrows_to_one_area(factory, country: SmallCountry):
    _set_text(factory, C.kari, "En", now=NOW)
    _set_text(factory, C.ola, "To", version=2, now=NOW + timedelta(minutes=1))
    with transaction(factory) as s:
        kari = load_identity(s, C.kari)
        editing.set_info_text(s, kari, C.office_a, "timebestilling", "Tre", 1, now=NOW)
        all_events = editing.history(s, kari, C.office_a)
        one_area = editing.history(s, kari, C.office_a, area="reseptfornyelse")
    assert [json.loads(e.after) for e in all_events] == ["To", "Tre", "En"]
    assert [json.loads(e.after) for e in one_area] == ["To", "En"]


def test_the_history_command_prints_norwegian_lines_in_oslo_time(
    factory: SessionFactory, country: SmallCountry, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_text(factory, C.kari, "Første linje\nandre linje")
    url = factory.kw["bind"].url.render_as_string(hide_password=False)
    parser = argparse.ArgumentParser()
    history_cli.register(parser.add_subparsers())
    args = parser.parse_args(["history", C.office_a, "--area", "reseptfornyelse", "--db", url])
    assert args.handler(args) == 0
    assert capsys.readouterr().out == (
        "26.11.2026 kl. 10:14  Kari Nordmann (fastlege)  Tekst «Reseptfornyelse»: (tom) → "
        "«Første linje ⏎ andre linje»\n"
    )
    args = parser.parse_args(["history", C.office_b, "--as", C.kari, "--db", url])
    assert args.handler(args) == 1
    assert "kan ikke se Fjordlegene" in capsys.readouterr().err
