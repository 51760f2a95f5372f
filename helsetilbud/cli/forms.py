"""`helsetilbud form check|fill`: check a FHIR Questionnaire file and fill it in."""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
from pathlib import Path
from typing import Any

from helsetilbud.cli import add_db_option
from helsetilbud.forms import (
    Attachment,
    Questionnaire,
    QuestionnaireError,
    build_response,
    evaluate_answers,
    load_questionnaire,
    load_questionnaires,
    render_pdf,
)
from helsetilbud.forms_report import questionnaire_lines

RESPONSE_FILE = "QuestionnaireResponse.json"
SOURCE_HELP = "Questionnaire eller Bundle (JSON), eller id-en til et verktøy i katalogen"


def _source(args: argparse.Namespace) -> Path | dict[str, Any]:
    """The file, or, when no such file exists, the catalogue tool with that id (via --db)."""
    path: Path = args.file
    if path.exists() or path.suffix == ".json" or len(path.parts) > 1:
        return path
    from helsetilbud.db import make_engine, make_session_factory
    from helsetilbud.model import TriageTool

    with make_session_factory(make_engine(args.db))() as session:
        tool = session.get(TriageTool, str(path))
        if tool is None:
            raise QuestionnaireError(f"Fant verken filen eller verktøyet «{path}» i katalogen.")
        return dict(json.loads(tool.questionnaire))


def register(subparsers: Any) -> None:
    """Add `form check FILE` and `form fill FILE --answers A --out DIR`."""
    form = subparsers.add_parser("form", help="kontroller og fyll ut FHIR-skjemaer")
    commands = form.add_subparsers(dest="form_command", required=True, metavar="KOMMANDO")

    check = commands.add_parser("check", help="les et skjema og vis elementer og advarsler")
    check.add_argument("file", metavar="FIL", type=Path, help=SOURCE_HELP)
    check.add_argument("--questionnaire", metavar="ID", help="kun skjemaet med denne id-en")
    add_db_option(check)
    check.set_defaults(handler=check_command)

    fill = commands.add_parser("fill", help="fyll ut et skjema og lag svar (FHIR) og PDF")
    fill.add_argument("file", metavar="FIL", type=Path, help=SOURCE_HELP)
    fill.add_argument(
        "--answers", metavar="SVAR.json", type=Path, required=True, help="linkId -> svar"
    )
    fill.add_argument("--out", metavar="MAPPE", type=Path, required=True, help="mappe for filene")
    fill.add_argument("--questionnaire", metavar="ID", help="skjemaets id i en Bundle")
    add_db_option(fill)
    fill.set_defaults(handler=fill_command)


def check_command(args: argparse.Namespace) -> int:
    """Print every Questionnaire's items and warnings; 0 when usable, 1 with the reason."""
    try:
        if args.questionnaire:
            found = [load_questionnaire(_source(args), args.questionnaire)]
        else:
            found = load_questionnaires(_source(args))
    except QuestionnaireError as exc:
        print(f"Skjemaet kan ikke brukes: {exc.message}", file=sys.stderr)
        return 1
    for q in found:
        _print_questionnaire(q)
    print(f"Skjemaet kan brukes ({len(found)} skjema i filen).")
    return 0


def fill_command(args: argparse.Namespace) -> int:
    """Validate the answers; when valid, write the QuestionnaireResponse and the PDF."""
    try:
        q = load_questionnaire(_source(args), args.questionnaire)
        raw = _read_answers(args.answers)
        raw = with_files(q, raw, args.answers.parent)
    except QuestionnaireError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    form = evaluate_answers(q, raw)
    for note in form.notes:
        print(f"Merknad: {note}", file=sys.stderr)
    if form.problems:
        print(f"Svarene er ikke gyldige ({len(form.problems)} feil):", file=sys.stderr)
        for problem in form.problems:
            label = f" «{problem.text}»" if problem.text else ""
            print(f"  {problem.where}{label}: {problem.message}", file=sys.stderr)
        print("Ingen filer er skrevet.", file=sys.stderr)
        return 1
    try:
        response = build_response(form)
    except QuestionnaireError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    document = render_pdf(form)
    args.out.mkdir(parents=True, exist_ok=True)
    response_path = args.out / RESPONSE_FILE
    response_path.write_text(
        json.dumps(response, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    pdf_path = args.out / document.file_name
    pdf_path.write_bytes(document.content)
    print(f"Skrev {response_path}")
    print(f"Skrev {pdf_path}")
    return 0


def _print_questionnaire(q: Questionnaire) -> None:
    for line in questionnaire_lines(q):
        print(line)


def _read_answers(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise QuestionnaireError(f"Finner ikke svarfilen «{path}».", field=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QuestionnaireError(
            f"Svarfilen «{path.name}» er ikke gyldig JSON: {exc}", field=str(path)
        ) from None
    if not isinstance(data, dict):
        raise QuestionnaireError(
            f"Svarfilen «{path.name}» må være et JSON-objekt med linkId som nøkler.",
            field=str(path),
        )
    return data


def with_files(q: Questionnaire, raw: dict[str, Any], base: Path) -> dict[str, Any]:
    """The answers with each attachment answer (a file path) read as an Attachment.

    A relative path is read from the answers file's folder; a missing file is an error.
    """

    def convert(link_id: str, value: Any) -> Any:
        item = q.item(link_id)
        if item is None:
            return value
        if item.is_repeating_group and isinstance(value, list):
            return [_convert_all(v) if isinstance(v, dict) else v for v in value]
        if item.type != "attachment":
            return value
        if isinstance(value, list):
            return [_file(link_id, v) for v in value]
        return _file(link_id, value)

    def _convert_all(entry: dict[str, Any]) -> dict[str, Any]:
        return {k: convert(str(k), v) for k, v in entry.items()}

    def _file(link_id: str, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            return value
        path = Path(value).expanduser()
        path = path if path.is_absolute() else base / path
        try:
            data = path.read_bytes()
        except OSError:
            raise QuestionnaireError(
                f"Finner ikke vedlegget «{value}» (svaret på «{link_id}»).", field=link_id
            ) from None
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Attachment(path.name, kind, len(data), data)

    return _convert_all(raw)
