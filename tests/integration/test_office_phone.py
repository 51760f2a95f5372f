"""The office's phone number from the registry: exported in /2, checked on import, and the
hint «phone differs from the registry» on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from helsetilbud.cli import main
from helsetilbud.office_format import FORMAT_1, document_problems
from tests.builders import SmallCountry
from tests.integration.cli_export import export_all
from tests.integration.db_state import dump_database as dump


@pytest.fixture
def docs(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    out = export_all(url, tmp_path, capsys)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def run_import(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list[dict[str, Any]]
) -> tuple[int, str]:
    path = tmp_path / "import.json"
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8")
    code = main(["import", str(path), "--as", "forvalter", "--db", url])
    return code, capsys.readouterr().err


def test_the_export_gives_the_registry_s_phone_number_or_null(docs: list[dict[str, Any]]) -> None:
    assert [(d["her_id"], d["phone"]) for d in docs] == [
        ("100001", "22 12 34 56"),
        ("100002", None),
    ]
    assert list(docs[0])[:6] == ["format", "her_id", "name", "address", "org_number", "phone"]


def test_the_same_number_written_with_47_and_without_spaces_imports_unchanged(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    before = dump(engine)
    docs[0]["phone"] = "+47 22123456"
    code, err = run_import(url, tmp_path, capsys, docs)
    assert code == 0, err
    assert dump(engine) == before


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("22 99 88 77", "«phone» kommer fra registeret og kan ikke endres ved import "
                        "(registeret har «22 12 34 56»)."),
        (None, "«phone» kommer fra registeret og kan ikke endres ved import"),
        ("1234", "«phone» må være et norsk telefonnummer med åtte sifre, for eksempel "
                 "«22 12 34 56» eller «+47 22 12 34 56»"),
        ("12 34 56 78", "«phone» må være et norsk telefonnummer"),
        ("22 12 34 56 ext 2", "«phone» må være et norsk telefonnummer"),
        (22123456, "«phone» må være tekst eller null, ikke et heltall."),
    ],
)  # fmt: skip
def test_a_phone_number_that_is_not_norwegian_or_not_the_registry_s_is_refused_and_changes_nothing(
    engine: Engine,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    docs: list,
    phone: object,
    message: str,
) -> None:
    before = dump(engine)
    docs[0]["phone"] = phone
    code, err = run_import(url, tmp_path, capsys, docs)
    assert code == 1
    assert message in err and "Ingenting er endret" in err and "Traceback" not in err
    assert dump(engine) == before


def test_an_office_without_a_registry_number_refuses_one_from_the_file(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    docs[1]["phone"] = "55 12 34 56"
    code, err = run_import(url, tmp_path, capsys, docs)
    assert code == 1 and "(registeret har ikke noe nummer)" in err


def test_format_1_has_no_phone_field() -> None:
    doc = {"format": FORMAT_1, "her_id": "100001", "phone": "22 12 34 56"}
    assert document_problems(doc) == ["ukjent felt «phone»."]


def test_text_check_for_an_office_names_a_number_other_than_the_registry_s(
    url: str, country: SmallCountry, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["text", "check", "--area", "kontakt_legekontoret", "--office", country.office_a]
    args += ["--db", url, "--format", "json", "--text"]
    assert main([*args, "Ring oss på 22 99 88 77."]) == 0
    hints = json.loads(capsys.readouterr().out)
    assert [(h["code"], h["start"], h["end"]) for h in hints] == [("phone_registry", 12, 23)]
    assert "kontorets nummer i registeret (22 12 34 56)" in hints[0]["message"]
    assert main([*args, "Ring oss på +47 22 12 34 56."]) == 0
    assert [h["code"] for h in json.loads(capsys.readouterr().out)] == ["phone"]
    b = ["text", "check", "--area", "kontakt_legekontoret", "--office", country.office_b]
    assert main([*b, "--db", url, "--format", "json", "--text", "Ring 22 99 88 77."]) == 0
    assert [h["code"] for h in json.loads(capsys.readouterr().out)] == ["phone"]
