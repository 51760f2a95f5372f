"""The command line acts as `--as LOGIN` for operators with database access: each write is
audited with the operating-system user too, and a deactivated login is refused (issue 11,
defect 10). Files it cannot read are named in Norwegian."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.cli import main
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.model import AuditEvent, User
from tests.builders import SmallCountry
from tests.integration.cli_export import export_all
from tests.integration.db_state import dump_database as dump


def edited_export(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = export_all(url, tmp_path, capsys)
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    docs[0]["info_texts"]["timebestilling"]["text"] = "Bestill time på nett."
    out.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), "utf-8")
    return out


def test_every_command_line_write_is_audited_with_the_operating_system_user(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = edited_export(url, tmp_path, capsys)
    assert main(["import", str(exported), "--as", "forvalter", "--db", url]) == 0
    with engine.connect() as conn:
        events = conn.execute(select(AuditEvent.actor, AuditEvent.os_user)).all()
    assert [tuple(e) for e in events] == [("forvalter", pwd.getpwuid(os.geteuid()).pw_name)]


def test_history_names_the_operating_system_user_of_a_command_line_write(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = edited_export(url, tmp_path, capsys)
    assert main(["import", str(exported), "--as", "forvalter", "--db", url]) == 0
    first = exported.read_text(encoding="utf-8").splitlines()[0]
    her_id = json.loads(first)["her_id"]
    capsys.readouterr()
    assert main(["history", her_id, "--db", url]) == 0
    me = pwd.getpwuid(os.geteuid()).pw_name
    assert f"[kommandolinjen, brukeren «{me}»]" in capsys.readouterr().out


def test_a_write_from_the_dashboard_side_has_no_operating_system_user(
    engine: Engine, factory: SessionFactory, country: SmallCountry
) -> None:
    with transaction(factory) as session:
        kari = load_identity(session, country.kari)
        editing.set_info_text(session, kari, country.office_a, "timebestilling", "Hei.", 1)
    with engine.connect() as conn:
        assert conn.execute(select(AuditEvent.os_user)).scalars().all() == [None]


@pytest.mark.parametrize("command", ["import", "tool rollout"])
def test_a_deactivated_user_is_refused_and_nothing_changes(
    engine: Engine,
    factory: SessionFactory,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    exported = edited_export(url, tmp_path, capsys)
    with transaction(factory) as session:
        session.execute(update(User).where(User.login == "forvalter").values(active=False))
    argv = {
        "import": ["import", str(exported)],
        "tool rollout": ["tool", "rollout", "--service", "reseptfornyelse", "--from",
                         "forny-resept", "--to", "standard-sjekkpunkt", "--apply"],
    }[command]  # fmt: skip
    before = dump(engine)
    assert main([*argv, "--as", "forvalter", "--db", url]) == 1
    assert "Brukeren «forvalter» er deaktivert." in capsys.readouterr().err
    assert dump(engine) == before


def test_a_tool_file_that_is_not_utf8_is_refused_in_norwegian(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = tmp_path / "skjema.json"
    form.write_bytes('{"resourceType": "Questionnaire", "title": "Bl\u00e5"}'.encode("latin-1"))
    before = dump(engine)
    argv = ["tool", "add", str(form), "--kind", "kontrollsporsmal", "--services", "e_kontakt"]
    code = main([*argv, "--as", "forvalter", "--db", url])
    err = capsys.readouterr().err
    assert code == 1
    assert "Linje 1, kolonne 47: filen er ikke gyldig UTF-8 (byte 0xE5)" in err
    assert dump(engine) == before


@pytest.mark.parametrize("command", ["import", "tool add"])
def test_a_missing_file_is_named_in_norwegian(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    missing = str(tmp_path / "finnes-ikke.json")
    tool = ["--kind", "kontrollsporsmal", "--services", "e_kontakt"]
    argv = {"import": ["import", missing], "tool add": ["tool", "add", missing, *tool]}[command]
    assert main([*argv, "--as", "forvalter", "--db", url]) == 1
    err = capsys.readouterr().err
    assert f"Kan ikke lese {missing}: filen finnes ikke." in err
    assert "No such file" not in err
