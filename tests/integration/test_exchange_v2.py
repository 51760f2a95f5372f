"""helsetilbud.office/2: an export keeps closures, holiday rules, scheduled texts, delegations
and vikars; importing it goes through the dashboard's rights and rules, all or nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.bootstrap import load_catalog_tools
from helsetilbud.cli import main
from helsetilbud.db import (
    SessionFactory,
    make_engine,
    make_session_factory,
    transaction,
    upgrade_schema,
)
from helsetilbud.exchange import export_office, import_offices
from helsetilbud.model import Gp, Office
from helsetilbud.oslo_time import OSLO
from helsetilbud.public_holidays import set_holiday_rule
from helsetilbud.sample import build_sample
from helsetilbud.vikar import add_vikar
from tests.builders import SmallCountry
from tests.integration.db_state import dump_database as dump

TODAY = datetime.now(OSLO).date()
VERA = "2000001"


def fill(session, her_id: str, kari: str) -> None:  # type: ignore[no-untyped-def]
    """Closures, a holiday rule, a scheduled text, a delegation and a vikar at one office."""
    admin = load_identity(session, "forvalter")
    soon = datetime.combine(TODAY + timedelta(days=30), datetime.min.time(), tzinfo=OSLO)
    editing.add_closure(session, admin, kari, "reseptfornyelse", starts_at=soon,
                        ends_at=soon + timedelta(days=14), note="Ferie")  # fmt: skip
    editing.add_closure(session, admin, kari, "e_konsultasjon", weekdays=(5, 6),
                        daily_from="00:00", daily_to="00:00")  # fmt: skip
    set_holiday_rule(session, admin, kari, ["timebestilling", "e_konsultasjon"], True, 0)
    editing.add_scheduled_text(session, admin, her_id, "timebestilling", "Stengt i romjulen.",
                               soon, soon + timedelta(days=5))  # fmt: skip
    editing.delegate(session, admin, her_id, "ny-stab", "Nina Stab", ends_at=soon)
    add_vikar(session, admin, kari, VERA, "Vera Vikar", TODAY + timedelta(days=40),
              TODAY + timedelta(days=60), "fravaer")  # fmt: skip


def _write(tmp_path: Path, name: str, docs: list[dict]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), "utf-8")
    return path


def _export(factory: SessionFactory, her_id: str) -> dict:
    with factory() as s:
        return json.loads(export_office(s, her_id))


def test_the_export_holds_every_part_with_its_version_and_an_unchanged_import_changes_nothing(
    engine: Engine, factory: SessionFactory, country: SmallCountry, url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    with transaction(factory) as s:
        fill(s, country.office_a, country.kari)
    doc = _export(factory, country.office_a)
    kari = doc["gps"][0]
    assert doc["format"] == "helsetilbud.office/2"
    assert [c["service"] for c in kari["closures"]] == ["reseptfornyelse", "e_konsultasjon"]
    assert all(c["version"] == 1 for c in kari["closures"])
    assert kari["holidays"] == {"services": ["timebestilling", "e_konsultasjon"], "eves": True,
                                "version": 1}  # fmt: skip
    assert doc["scheduled_texts"][0]["text"] == "Stengt i romjulen."
    assert [d["login"] for d in doc["delegations"]] == ["ny-stab", "stab-a"]
    assert doc["vikars"][0]["hpr"] == VERA and doc["vikars"][0]["version"] == 1
    before = dump(engine)
    path = _write(tmp_path, "alt.jsonl", [doc])
    assert main(["import", str(path), "--as", "forvalter", "--db", url]) == 0
    assert "Ingen endringer" in capsys.readouterr().out
    assert dump(engine) == before


def test_a_sample_office_exported_and_imported_into_a_fresh_sample_country_exports_the_same(
    tmp_path: Path,
) -> None:
    factories = []
    for name in ("a", "b"):
        eng = make_engine(f"sqlite:///{tmp_path / name}.sqlite")
        upgrade_schema(eng)
        factory = make_session_factory(eng)
        with transaction(factory) as s:
            load_catalog_tools(s)
            build_sample(s, seed=7, offices=4)
        factories.append(factory)
    first, fresh = factories
    with first() as s:
        office = s.scalar(select(Office).order_by(Office.her_id))
        assert office is not None
        her_id = office.her_id
        kari = s.scalar(select(Gp.hpr).where(Gp.office_id == office.id).order_by(Gp.hpr))
    with transaction(first) as s:
        fill(s, her_id, str(kari))
        exported = export_office(s, her_id)
    with transaction(fresh) as s:
        report = import_offices(s, load_identity(s, "forvalter"), exported)
    assert len(report.changes) == 6  # two closures, holidays, text, delegation, vikar
    with fresh() as s:
        assert export_office(s, her_id).encode() == exported.encode()


def test_a_vikar_imports_the_office_text_inside_the_period_and_not_once_removed(
    engine: Engine, factory: SessionFactory, country: SmallCountry, url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    with transaction(factory) as s:
        row = add_vikar(s, load_identity(s, country.kari), country.kari, VERA, "Vera Vikar",
                        TODAY, TODAY + timedelta(days=3))  # fmt: skip
    doc = _export(factory, country.office_a)
    doc["info_texts"]["timebestilling"]["text"] = "Vera Vikar har listen denne uken."
    path = _write(tmp_path, "vikar.jsonl", [doc])
    other = _export(factory, country.office_b)
    other["info_texts"]["timebestilling"]["text"] = "Vera prøver et annet kontor."
    before = dump(engine)
    assert main(["import", str(_write(tmp_path, "b.jsonl", [other])), "--as", VERA,
                 "--db", url]) == 1  # fmt: skip
    assert dump(engine) == before
    assert main(["import", str(path), "--as", VERA, "--db", url]) == 0
    doc["info_texts"]["timebestilling"] = {"text": "Igjen.", "version": 2}
    with transaction(factory) as s:
        from helsetilbud.vikar import remove_vikar

        remove_vikar(s, load_identity(s, country.kari), row.id)
    capsys.readouterr()
    before = dump(engine)
    assert main(["import", str(_write(tmp_path, "igjen.jsonl", [doc])), "--as", VERA,
                 "--db", url]) == 1  # fmt: skip
    assert "Vera Vikar" in capsys.readouterr().err
    assert dump(engine) == before


def test_a_closure_left_out_of_the_file_is_removed_and_one_added_is_created(
    factory: SessionFactory, country: SmallCountry, url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    with transaction(factory) as s:
        fill(s, country.office_a, country.kari)
    doc = _export(factory, country.office_a)
    kari = doc["gps"][0]
    kari["closures"] = kari["closures"][1:] + [
        {"service": "timebestilling", "weekdays": [0, 1, 2, 3, 4], "daily_from": "16:00",
         "daily_to": "08:00"}
    ]  # fmt: skip
    assert main(["import", str(_write(tmp_path, "ny.jsonl", [doc])), "--as", country.kari,
                 "--db", url]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "stengning fjernet" in out and "ny stengning" in out
    after = _export(factory, country.office_a)["gps"][0]["closures"]
    assert [c["service"] for c in after] == ["timebestilling", "e_konsultasjon"]


def _break(doc: dict, case: str) -> None:
    doc["info_texts"]["timebestilling"]["text"] = "En gyldig endring som ikke skal lagres."
    if case == "a /1 document with closures":
        doc["format"] = "helsetilbud.office/1"
    elif case == "a date that does not exist":
        doc["vikars"][0]["from"] = "2027-02-30"
    elif case == "a vikar for a list of another office":
        doc["vikars"][0]["list"] = "1000003"
    elif case == "a closure that has ended":
        doc["gps"][0]["closures"].append(
            {"service": "timebestilling", "starts_at": "2020-01-01T08:00:00+01:00",
             "ends_at": "2020-01-02T08:00:00+01:00"}
        )  # fmt: skip
    elif case == "an unknown vikar case":
        doc["vikars"][0]["case"] = "ferievikar"
    elif case == "a stale holiday rule":
        doc["gps"][0]["holidays"] = None


@pytest.mark.parametrize(
    ("case", "named"),
    [
        ("a /1 document with closures", "ukjent felt «closures»"),
        ("a date that does not exist", "«2027-02-30» er ikke en gyldig dato"),
        ("a vikar for a list of another office", "HPR 1000003 har ikke liste ved 100001"),
        ("a closure that has ended", "har allerede passert"),
        ("an unknown vikar case", "«vikars.1.case» må være en av"),
        ("a stale holiday rule", "en helligdagsstengning er lagret"),
    ],
)
def test_a_bad_part_of_a_2_file_is_named_and_nothing_changes(
    engine: Engine, factory: SessionFactory, country: SmallCountry, url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], case: str, named: str,
) -> None:  # fmt: skip
    with transaction(factory) as s:
        fill(s, country.office_a, country.kari)
    doc = _export(factory, country.office_a)
    _break(doc, case)
    before = dump(engine)
    assert main(["import", str(_write(tmp_path, "feil.jsonl", [doc])), "--as", "forvalter",
                 "--db", url]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "Ingenting er endret" in err and named in err, err
    assert dump(engine) == before


def test_export_format_1_leaves_out_what_2_added(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "en.json"
    assert main(["export", "office", "100001", "--format", "1", "--out", str(out),
                 "--db", url]) == 0  # fmt: skip
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "helsetilbud.office/1"
    assert "vikars" not in doc and "closures" not in doc["gps"][0]
    assert main(["import", str(out), "--as", "forvalter", "--db", url]) == 0
