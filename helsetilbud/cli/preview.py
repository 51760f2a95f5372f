"""`helsetilbud preview`: write what a GP's patients see as one self-contained HTML file."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from helsetilbud.cli import add_db_option
from helsetilbud.errors import NotFound
from helsetilbud.oslo_time import OSLO, in_oslo
from helsetilbud.patient_view import patient_view
from helsetilbud.preview import PAGES, STEPS, render_page


def parse_moment(text: str | None) -> datetime:
    """ISO time; a naive time is Oslo time; None is now."""
    if text is None:
        return datetime.now(OSLO)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"Ugyldig tidspunkt «{text}»: bruk ISO-format, f.eks. 2026-11-26T12:00."
        ) from None
    return in_oslo(moment)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "preview",
        help="forhåndsvis det pasientene ser på Helsenorge",
        description="Skriv en side slik pasientene til en fastlege ser den, som én HTML-fil.",
    )
    parser.add_argument("--office", metavar="HER-ID", required=True, help="legekontorets HER-id")
    parser.add_argument("--gp", metavar="HPR", help="fastlegens HPR-nummer (standard: den første)")
    parser.add_argument(
        "--at", metavar="ISO-TIME", type=parse_moment, default=None,
        help="tidspunktet (ISO; uten tidssone: norsk tid; standard: nå)",
    )  # fmt: skip
    parser.add_argument("--page", choices=PAGES, default="forside", help="siden som vises")
    parser.add_argument("--step", choices=STEPS, default="melding", help="skjema eller melding")
    parser.add_argument("--out", metavar="FILE.html", required=True, help="HTML-filen som skrives")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from helsetilbud.db import is_initialised, make_engine, make_session_factory
    from helsetilbud.snapshot import load_snapshot

    engine = make_engine(args.db)
    try:
        if not is_initialised(engine):
            print("Databasen er ikke opprettet. Kjør «helsetilbud init» først.", file=sys.stderr)
            return 1
        with make_session_factory(engine)() as session:
            office = load_snapshot(session, args.office)
        view = patient_view(office, args.gp, args.at or datetime.now(OSLO))
    except NotFound as error:
        print(error.message, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_page(view, args.page, step=args.step), encoding="utf-8")
    gp = view.gp.name if view.gp else "ingen fastlege"
    print(f"Skrev forhåndsvisningen av {args.page} for {office.name} ({gp}) til {out}.")
    return 0
