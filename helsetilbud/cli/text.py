"""`helsetilbud text check` and `helsetilbud text confirm`: the text rules on the command line.

    helsetilbud text check --area AREA (--text TEXT | --file F) [--office HER-ID]
                           [--format table|json] [--today ÅÅÅÅ-MM-DD] [--db URL]
    helsetilbud text confirm --office HER-ID --area AREA --as LOGIN [--db URL]

`check` prints the hints (JSON: a list of {"code", "message", "start", "end"}; start and end
are positions in the text in characters, null for a hint about the whole text) and exits 0:
a hint is advice, never a refusal. With --office the office's registry text (helsekontakt),
phone number and review dates are used too.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from helsetilbud.cli import add_db_option, iso_day, read_input
from helsetilbud.errors import HelsetilbudError
from helsetilbud.oslo_time import configured_today
from helsetilbud.text_hints import Hint, check_text, office_hints


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    text = subparsers.add_parser("text", help="sjekk og bekreft informasjonstekster")
    which = text.add_subparsers(dest="what", required=True, metavar="check|confirm")
    check = which.add_parser(
        "check",
        help="vis merknader til en tekst (klarspråk, datoer, korona, telefonnumre …)",
        description="Skriver ut merknadene til teksten, med plassen i teksten de gjelder.",
    )
    check.add_argument("--area", metavar="OMRÅDE", required=True, help="informasjonsområdet")
    given = check.add_mutually_exclusive_group(required=True)
    given.add_argument("--text", metavar="TEKST", help="teksten som skal sjekkes")
    given.add_argument("--file", metavar="FIL", type=Path, help="fil med teksten (UTF-8)")
    check.add_argument("--office", metavar="HER-ID", help="sjekk mot legekontorets data")
    check.add_argument("--format", choices=("table", "json"), default="table")
    check.add_argument(
        "--today", metavar="ÅÅÅÅ-MM-DD", type=iso_day, default=None,
        help="dagen datoene sammenlignes med (standard: HELSETILBUD_TODAY eller i dag)",
    )  # fmt: skip
    add_db_option(check)
    check.set_defaults(handler=run_check)
    confirm = which.add_parser(
        "confirm",
        help="bekreft at en tekst stemmer fortsatt (uten å endre den)",
        description="Registrerer at teksten er lest og stemmer fortsatt; teksten endres ikke.",
    )
    confirm.add_argument("--office", metavar="HER-ID", required=True, help="legekontorets HER-id")
    confirm.add_argument("--area", metavar="OMRÅDE", required=True, help="informasjonsområdet")
    confirm.add_argument("--as", dest="login", required=True, metavar="BRUKER")
    add_db_option(confirm)
    confirm.set_defaults(handler=run_confirm)


def _given_text(args: argparse.Namespace) -> str:
    if args.text is not None:
        return str(args.text)
    from helsetilbud.json_input import decode

    return decode(read_input(args.file))


def _today(args: argparse.Namespace) -> date:
    if args.today is not None:
        return args.today
    return configured_today()


def _hints(args: argparse.Namespace, text: str, today: date) -> list[Hint]:
    if args.office is None:
        return check_text(text, area=args.area, today=today)
    from helsetilbud.db import is_initialised, make_engine, make_session_factory
    from helsetilbud.snapshot import load_snapshot

    engine = make_engine(args.db)
    try:
        if not is_initialised(engine):
            raise HelsetilbudError("Databasen er ikke opprettet. Kjør «helsetilbud init» først.")
        with make_session_factory(engine)() as session:
            snapshot = load_snapshot(session, args.office)
    finally:
        engine.dispose()
    return office_hints(snapshot, args.area, text, today)


def format_table(text: str, hints: list[Hint]) -> str:
    """One block per hint: where, what, and the message; a closing line when there are none."""
    if not hints:
        return "Ingen merknader til teksten.\n"
    lines = [f"{len(hints)} merknad(er):"]
    for hint in hints:
        if hint.start is None or hint.end is None:
            where = "hele teksten"
        else:
            where = f"tegn {hint.start}–{hint.end} «{text[hint.start : hint.end]}»"
        lines.append(f"- {hint.title} [{hint.code}], {where}")
        lines.append(f"  {hint.message}")
    return "\n".join(lines) + "\n"


def run_check(args: argparse.Namespace) -> int:
    from helsetilbud.text_rules import info_area_name

    try:
        info_area_name(args.area)
        text = _given_text(args)
        hints = _hints(args, text, _today(args))
    except HelsetilbudError as exc:
        print(f"Feil: {exc.message}", file=sys.stderr)
        return 1
    if args.format == "json":
        sys.stdout.write(
            json.dumps([h.as_dict() for h in hints], ensure_ascii=False, indent=2) + "\n"
        )
    else:
        sys.stdout.write(format_table(text, hints))
    return 0


def run_confirm(args: argparse.Namespace) -> int:
    from helsetilbud.access import load_identity
    from helsetilbud.db import make_engine, make_session_factory, transaction
    from helsetilbud.editing import confirm_info_text
    from helsetilbud.oslo_time import short_moment
    from helsetilbud.snapshot import load_snapshot
    from helsetilbud.text_rules import info_area_name

    engine = make_engine(args.db)
    try:
        with transaction(make_session_factory(engine)) as session:
            identity = load_identity(session, args.login)
            name = info_area_name(args.area)
            snapshot = load_snapshot(session, args.office)
            version = snapshot.text_versions.get(args.area, 0)
            row = confirm_info_text(session, identity, args.office, args.area, version)
            moment = row.confirmed_at
    except HelsetilbudError as exc:
        print(f"Ikke bekreftet. Ingenting er endret. {exc.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    when = short_moment(moment) if moment else ""
    print(
        f"Bekreftet at teksten for «{name}» ved {snapshot.name} stemmer fortsatt "
        f"({identity.display_name}, {when}). Teksten er ikke endret."
    )
    return 0
