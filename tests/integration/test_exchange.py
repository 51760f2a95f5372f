"""Export and import: the round trip changes nothing; one bad part refuses the whole file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from helsetilbud.cli import main
from tests.integration.cli_export import export_all
from tests.integration.db_state import dump_database as dump


def test_export_gives_every_office_in_the_documented_format(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = export_all(url, tmp_path, capsys).read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    assert [d["her_id"] for d in docs] == ["100001", "100002"]
    first = docs[0]
    assert first["format"] == "helsetilbud.office/2"
    assert set(first["info_texts"]) == {
        "helsekontakt", "reseptfornyelse", "e_konsultasjon", "kontakt_legekontoret",
        "timebestilling",
    }  # fmt: skip
    assert len(first["triage"]) == 8
    assert first["triage"]["reseptfornyelse"] == {"tool": "forny-resept", "version": 1}
    assert first["info_texts"]["helsekontakt"]["text"] == "Velkommen til Sentrum legesenter."
    assert [g["hpr"] for g in first["gps"]] == ["1000001", "1000002"]
    assert first["gps"][1]["services"]["e_konsultasjon"] is False


def test_importing_an_unchanged_export_changes_nothing(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = export_all(url, tmp_path, capsys)
    before = dump(engine)
    assert main(["import", str(exported), "--as", "forvalter", "--db", url]) == 0
    assert "Ingen endringer" in capsys.readouterr().out
    assert dump(engine) == before


def test_an_edited_export_is_applied_and_reported(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = export_all(url, tmp_path, capsys)
    docs = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    docs[0]["info_texts"]["reseptfornyelse"]["text"] = "Bestill fornyelse i god tid før ferien."
    docs[0]["triage"]["e_konsultasjon"]["tool"] = "beskriv-symptomene-dine"
    edited = tmp_path / "endret.jsonl"
    edited.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), "utf-8")
    assert main(["import", str(edited), "--as", "1000001", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Reseptfornyelse: ny tekst" in out and "beskriv-symptomene-dine" in out
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT text, version FROM info_texts WHERE area = 'reseptfornyelse' "
                 "AND office_id = (SELECT id FROM offices WHERE her_id = '100001')")
        ).one()  # fmt: skip
        events = conn.execute(text("SELECT count(*) FROM audit_events")).scalar_one()
    assert tuple(stored) == ("Bestill fornyelse i god tid før ferien.", 2)
    assert events == 2


def _bad(docs: list[dict], case: str) -> str:
    first = docs[0]
    # The first office gets a valid change too, so "changes nothing" means something.
    first["info_texts"]["timebestilling"]["text"] = "Gyldig endring som ikke skal lagres."
    if case == "unknown area":
        first["info_texts"]["tannlege"] = {"text": "x", "version": 1}
    elif case == "text over its limit":
        docs[1]["info_texts"]["reseptfornyelse"]["text"] = "a" * 301
    elif case == "unknown tool":
        docs[1]["triage"]["reseptfornyelse"]["tool"] = "finnes-ikke"
    elif case == "unknown HER-id":
        docs[1]["her_id"] = "999999"
    lines = [json.dumps(d, ensure_ascii=False) for d in docs]
    if case == "malformed JSON":
        lines[1] = lines[1][:-5]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("case", "named"),
    [
        ("unknown area", "ukjent område «tannlege»"),
        ("text over its limit", "301 tegn"),
        ("unknown tool", "finnes-ikke"),
        ("malformed JSON", "Linje 2, kolonne"),
        ("unknown HER-id", "ukjent HER-id 999999"),
    ],
)
def test_an_import_with_one_bad_part_exits_1_names_it_and_changes_nothing(
    engine: Engine,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    named: str,
) -> None:
    exported = export_all(url, tmp_path, capsys)
    docs = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    bad = tmp_path / "feil.jsonl"
    bad.write_text(_bad(docs, case), encoding="utf-8")
    before = dump(engine)
    assert main(["import", str(bad), "--as", "forvalter", "--db", url]) == 1
    err = capsys.readouterr().err
    assert "Ingenting er endret" in err
    assert named in err
    assert dump(engine) == before


def test_an_import_by_a_gp_of_another_office_is_refused_whole(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = export_all(url, tmp_path, capsys)
    docs = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    docs[0]["info_texts"]["timebestilling"]["text"] = "Per prøver å endre Sentrum."
    edited = tmp_path / "endret.jsonl"
    edited.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), "utf-8")
    before = dump(engine)
    assert main(["import", str(edited), "--as", "1000003", "--db", url]) == 1
    assert "Per Berg" in capsys.readouterr().err
    assert dump(engine) == before


def test_an_unknown_login_is_refused(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = export_all(url, tmp_path, capsys)
    assert main(["import", str(exported), "--as", "ukjent", "--db", url]) == 1
    assert "ukjent" in capsys.readouterr().err


def _edit(docs: list[dict], what: str) -> None:
    office_a = docs[0]
    if what == "text":
        office_a["info_texts"]["timebestilling"]["text"] = "Timer kan bestilles hele døgnet."
    elif what == "tool":
        office_a["triage"]["e_konsultasjon"]["tool"] = "standard-sjekkpunkt"
    elif what == "kari's services":
        office_a["gps"][0]["services"]["reseptfornyelse"] = False
    elif what == "ola's services":
        office_a["gps"][1]["services"]["e_konsultasjon"] = True


@pytest.mark.parametrize(
    ("login", "what", "allowed"),
    [
        ("1000001", "text", True),
        ("1000001", "tool", True),
        ("1000001", "kari's services", True),
        ("1000001", "ola's services", False),
        ("stab-a", "text", True),
        ("stab-a", "tool", True),
        ("stab-a", "kari's services", False),
        ("analytiker", "text", False),
        ("analytiker", "tool", False),
        ("forvalter", "ola's services", True),
    ],
)
def test_each_role_may_import_only_what_it_may_edit(
    engine: Engine,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    login: str,
    what: str,
    allowed: bool,
) -> None:
    exported = export_all(url, tmp_path, capsys)
    docs = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    _edit(docs, what)
    edited = tmp_path / "endret.jsonl"
    edited.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), "utf-8")
    before = dump(engine)
    code = main(["import", str(edited), "--as", login, "--db", url])
    out, err = capsys.readouterr()
    if allowed:
        assert code == 0 and "Endret:" in out
        assert dump(engine) != before
    else:
        assert code == 1 and "kan ikke" in err and "Ingenting er endret" in err
        assert dump(engine) == before


def test_a_stale_import_is_refused_with_who_changed_it(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = export_all(url, tmp_path, capsys)
    docs = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    docs[0]["info_texts"]["helsekontakt"]["text"] = "Karis versjon fra eksporten."
    first = tmp_path / "kari.jsonl"
    first.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), "utf-8")
    assert main(["import", str(first), "--as", "1000001", "--db", url]) == 0
    docs[0]["info_texts"]["helsekontakt"]["text"] = "Olas versjon, basert på den gamle."
    second = tmp_path / "ola.jsonl"
    second.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), "utf-8")
    capsys.readouterr()
    before = dump(engine)
    assert main(["import", str(second), "--as", "1000002", "--db", url]) == 1
    assert "Kari Nordmann" in capsys.readouterr().err
    assert dump(engine) == before


def test_init_with_the_same_seed_gives_the_same_export_and_another_seed_another(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exports = []
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        db = f"sqlite:///{tmp_path / name}.sqlite"
        assert main(["init", "--sample", "--seed", seed, "--db", db]) == 0
        assert main(["init", "--sample", "--seed", seed, "--db", db]) == 0  # twice: no harm
        out = tmp_path / f"{name}.jsonl"
        assert main(["export", "all", "--out", str(out), "--db", db]) == 0
        exports.append(out.read_bytes())
    assert "Legekontorer i databasen: 1800" in capsys.readouterr().out
    assert exports[0] == exports[1]
    assert exports[0] != exports[2]
    assert exports[0].count(b"\n") == 1800
