"""Import refuses, in Norwegian and without a traceback, every input that is not what the
format says, and a refusal changes nothing (issue 11, defects 3–8)."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from helsetilbud.cli import main
from tests.integration.cli_export import export_all
from tests.integration.db_state import dump_database as dump

FNR = "15059012387"  # a valid synthetic fødselsnummer (15.05.1990)


@pytest.fixture
def docs(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    out = export_all(url, tmp_path, capsys)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def lines(docs: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n"


def run_import(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes
) -> tuple[int, str, str]:
    path = tmp_path / "import.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code = main(["import", str(path), "--as", "forvalter", "--db", url])
    out, err = capsys.readouterr()
    return code, out, err


def refused(
    engine: Engine,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | bytes,
) -> str:
    """Import `content`, expect a refusal with no traceback and no change; return stderr."""
    before = dump(engine)
    code, _, err = run_import(url, tmp_path, capsys, content)
    assert code == 1, err
    assert "Ingenting er endret" in err
    assert "Traceback" not in err and "Uventet feil" not in err
    assert dump(engine) == before
    return err


def test_the_text_false_for_a_service_switch_is_refused_and_the_service_stays_closed(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    docs[0]["gps"][1]["services"]["e_konsultasjon"] = "false"  # Ola's service is closed
    err = refused(engine, url, tmp_path, capsys, lines(docs))
    assert (
        "«services.e_konsultasjon» for fastlegen med HPR 1000002 må være true eller false, "
        "ikke tekst." in err
    )


def test_null_for_a_service_switch_is_refused_and_the_service_stays_open(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    docs[0]["gps"][0]["services"]["timebestilling"] = None
    err = refused(engine, url, tmp_path, capsys, lines(docs))
    assert "«services.timebestilling» for fastlegen med HPR 1000001" in err
    assert "ikke null" in err


def _crashers() -> dict[str, tuple[Callable[[list[dict[str, Any]]], str], str]]:
    def deep_file(docs: list) -> str:
        return "[" * 100_000 + "]" * 100_000

    def deep_value(docs: list) -> str:
        docs[0]["info_texts"]["reseptfornyelse"]["text"] = "DYPT"
        return lines(docs).replace('"DYPT"', "[" * 5000 + "]" * 5000)

    def long_version(docs: list) -> str:
        docs[0]["info_texts"]["reseptfornyelse"]["version"] = 424242
        return lines(docs).replace("424242", "9" * 4401)

    def lone_surrogate(docs: list) -> str:
        docs[1]["her_id"] = "\ud800"
        return "\n".join(json.dumps(d) for d in docs)  # ASCII JSON: "\ud800" as an escape

    def hpr_list(docs: list) -> str:
        docs[0]["gps"][0]["hpr"] = ["1000001"]
        return lines(docs)

    def services_null(docs: list) -> str:
        docs[0]["gps"][0]["services"] = None
        return lines(docs)

    def services_list(docs: list) -> str:
        docs[0]["gps"][0]["services"] = ["timebestilling"]
        return lines(docs)

    return {
        "deeply nested file": (deep_file, "Linje 1: verdien er nøstet for dypt"),
        "deeply nested value": (deep_value, "nøstet for dypt"),
        "version of 4401 digits": (
            long_version,
            "«info_texts.reseptfornyelse.version» må være et heltall, ikke et tall med 4401 sifre",
        ),
        "lone surrogate in her_id": (lone_surrogate, "«her_id» må være bare sifre"),
        "hpr as a list": (
            hpr_list,
            "«hpr» for fastlege nr. 1 i «gps» må være tekst, ikke en liste",
        ),
        "services as null": (
            services_null,
            "«services» for fastlegen med HPR 1000001 må være et objekt, ikke null",
        ),
        "services as a list": (
            services_list,
            "«services» for fastlegen med HPR 1000001 må være et objekt, ikke en liste",
        ),
    }


@pytest.mark.parametrize("case", list(_crashers()))
def test_inputs_that_crashed_are_refused_with_a_norwegian_message_naming_the_field(
    engine: Engine,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    docs: list,
    case: str,
) -> None:
    make, named = _crashers()[case]
    err = refused(engine, url, tmp_path, capsys, make(docs))
    assert named in err


def test_a_pretty_export_with_one_trailing_comma_names_that_comma_once_in_norwegian(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    pretty = json.dumps(docs[0], ensure_ascii=False, indent=2).splitlines()
    at = next(i for i, line in enumerate(pretty) if line.strip().startswith('"version": 1'))
    pretty[at] += ","  # the comma that ends the line before "}"
    err = refused(engine, url, tmp_path, capsys, "\n".join(pretty) + "\n")
    problems = [line for line in err.splitlines() if line.startswith("  - ")]
    column = len(pretty[at])
    assert problems == [
        f"  - Linje {at + 1}, kolonne {column}: ugyldig JSON – komma for mye før slutten på "
        "objektet eller listen."
    ]
    assert "Expecting" not in err and "Extra data" not in err


def test_an_export_saved_with_a_utf8_bom_is_accepted(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    docs[0]["info_texts"]["timebestilling"]["text"] = "Timer kan bestilles hele døgnet."
    code, out, err = run_import(
        url, tmp_path, capsys, codecs.BOM_UTF8 + lines(docs).encode("utf-8")
    )
    assert code == 0, err
    assert "Timebestilling: ny tekst" in out


def test_invalid_utf8_is_refused_with_the_line_and_column_in_norwegian(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    docs[1]["info_texts"]["timebestilling"]["text"] = "Ring oss på dagtid."
    raw = lines(docs).encode("utf-8").replace("på".encode(), b"p\xe5")  # Latin-1 å
    column = lines(docs).splitlines()[1].index("på") + 2
    err = refused(engine, url, tmp_path, capsys, raw)
    assert f"Linje 2, kolonne {column}: filen er ikke gyldig UTF-8 (byte 0xE5)" in err
    assert "codec" not in err


def test_a_key_written_twice_is_refused(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    line = json.dumps(docs[0], ensure_ascii=False)
    twice = line.replace('"her_id": "100001"', '"her_id": "100001", "her_id": "100002"')
    err = refused(engine, url, tmp_path, capsys, twice + "\n")
    assert "feltet «her_id» står to ganger i samme objekt" in err


def test_a_changed_address_is_refused_like_the_name(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    docs[0]["address"] = "Falsk gate 9, 0001 OSLO"
    err = refused(engine, url, tmp_path, capsys, lines(docs))
    assert "«address» kommer fra registeret og kan ikke endres ved import." in err


@pytest.mark.parametrize("content", ["[]", "[]\n[]\n", "   \n"])
def test_a_file_without_offices_is_refused(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    err = refused(engine, url, tmp_path, capsys, content)
    assert "Filen inneholder ingen legekontorer." in err


@pytest.mark.parametrize("version", [-1, 0, 2**31, 10**25])
def test_a_version_out_of_range_is_refused_as_such_not_as_a_stale_edit(
    engine: Engine,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    docs: list,
    version: int,
) -> None:
    docs[0]["info_texts"]["reseptfornyelse"] = {"text": "Ny tekst.", "version": version}
    err = refused(engine, url, tmp_path, capsys, lines(docs))
    assert "«info_texts.reseptfornyelse.version» må være et heltall fra 1 til 2147483647" in err
    assert "ble endret" not in err


def test_a_version_newer_than_the_stored_one_is_refused_as_such(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    docs[0]["info_texts"]["reseptfornyelse"] = {"text": "Ny tekst.", "version": 7}
    err = refused(engine, url, tmp_path, capsys, lines(docs))
    assert "«info_texts.reseptfornyelse.version» er 7, men den lagrede versjonen er 1" in err
    assert "ble endret" not in err


def test_a_version_given_as_a_decimal_or_text_is_refused(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    docs[0]["info_texts"]["reseptfornyelse"]["version"] = 1.0
    docs[0]["triage"]["reseptfornyelse"]["version"] = "1"
    err = refused(engine, url, tmp_path, capsys, lines(docs))
    assert "«info_texts.reseptfornyelse.version» må være et heltall, ikke et desimaltall." in err
    assert "«triage.reseptfornyelse.version» må være et heltall, ikke tekst." in err


def test_an_unknown_field_is_refused_not_ignored(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    docs[0]["gps"][0]["services"]["videokonsultasjon"] = True
    docs[0]["merknad"] = "x"
    err = refused(engine, url, tmp_path, capsys, lines(docs))
    assert "ukjent pasienttjeneste «videokonsultasjon»" in err
    assert "ukjent felt «merknad»." in err


@pytest.mark.parametrize(
    "written",
    [
        "15.05.90.123.87",
        "150590-12387",
        "150 590 123 87",
        "".join(chr(0xFF10 + int(d)) for d in FNR),  # full-width digits
    ],
)
def test_an_import_with_a_disguised_fodselsnummer_is_refused(
    engine: Engine,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    docs: list,
    written: str,
) -> None:
    docs[0]["info_texts"]["reseptfornyelse"]["text"] = f"Pasient {written} ringte."
    err = refused(engine, url, tmp_path, capsys, lines(docs))
    assert "inneholder et fødselsnummer eller D-nummer" in err


def test_an_import_with_phone_numbers_and_dates_is_accepted(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], docs: list
) -> None:
    wanted = "Ring 22 33 44 55 eller +47 23 45 67 89. Stengt 15.05.1990 kl. 12.30–14.00."
    docs[0]["info_texts"]["reseptfornyelse"]["text"] = wanted
    code, _, err = run_import(url, tmp_path, capsys, lines(docs))
    assert code == 0, err
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT text FROM info_texts WHERE area = 'reseptfornyelse' AND office_id = "
                 "(SELECT id FROM offices WHERE her_id = '100001')")
        ).scalar_one()  # fmt: skip
    assert stored == wanted


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\u202e", "U+202E, høyre-til-venstre-overstyring"),
        ("\u200b", "U+200B, mellomrom med null bredde"),
        ("\u2066", "U+2066, venstre-til-høyre-isolering"),
    ],
)
def test_an_import_with_an_invisible_format_character_is_refused(
    engine: Engine,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    docs: list,
    char: str,
    named: str,
) -> None:
    docs[0]["info_texts"]["kontakt_legekontoret"]["text"] = f"Ring {char}55 44 33 22."
    err = refused(engine, url, tmp_path, capsys, lines(docs))
    assert (
        f"Teksten for «Kontakt legekontoret» inneholder et usynlig formateringstegn ({named})"
        in err
    )


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("[" * 100_000 + "]" * 100_000, "nøstet for dypt"),
        ('{"format": "helsetilbud.office/1", "her_id": "\\ud800"}', "«her_id» må være bare sifre"),
    ],
    ids=["deeply nested", "lone surrogate"],
)
def test_the_command_in_its_own_process_answers_without_a_traceback(
    engine: Engine, url: str, tmp_path: Path, content: str, named: str
) -> None:
    path = tmp_path / "import.json"
    path.write_text(content, encoding="utf-8")
    before = dump(engine)
    argv = [sys.executable, "-m", "helsetilbud.cli", "import", str(path), "--as", "forvalter"]
    done = subprocess.run([*argv, "--db", url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert named in done.stderr and "Traceback" not in done.stderr
    assert dump(engine) == before
