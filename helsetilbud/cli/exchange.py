"""`helsetilbud export` and `helsetilbud import`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helsetilbud.access import load_identity
from helsetilbud.cli import add_db_option, read_input
from helsetilbud.db import make_engine, make_session_factory, transaction
from helsetilbud.errors import HelsetilbudError, ImportFailed
from helsetilbud.exchange import FORMAT_1, FORMAT_2, export_all, export_office, import_offices


def register(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser("export", help="eksporter legekontorer som JSON")
    which = export.add_subparsers(dest="what", required=True, metavar="office|all")
    one = which.add_parser("office", help="ett legekontor")
    one.add_argument("her_id", metavar="HER-ID")
    every = which.add_parser("all", help="alle legekontorer, ett per linje")
    for parser in (one, every):
        parser.add_argument("--out", metavar="FIL", type=Path)
        parser.add_argument(
            "--format", choices=("1", "2"), default="2",
            help="helsetilbud.office/2 (standard) eller /1 uten stengninger, vikarer m.m.",
        )  # fmt: skip
        add_db_option(parser)
        parser.set_defaults(handler=run_export)

    imp = subparsers.add_parser("import", help="les inn en redigert eksport (alt eller ingenting)")
    imp.add_argument("file", metavar="FIL", type=Path)
    imp.add_argument("--as", dest="login", required=True, metavar="BRUKER")
    add_db_option(imp)
    imp.set_defaults(handler=run_import)


def run_export(args: argparse.Namespace) -> int:
    engine = make_engine(args.db)
    try:
        with make_session_factory(engine)() as session:
            chosen = FORMAT_1 if args.format == "1" else FORMAT_2
            if args.what == "office":
                chunks = [export_office(session, args.her_id, format=chosen)]
            else:
                chunks = list(export_all(session, format=chosen))
    except HelsetilbudError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if args.out:
        args.out.write_text("".join(chunks), encoding="utf-8")
        print(f"Skrev {len(chunks)} legekontor(er) til {args.out}")
    else:
        sys.stdout.writelines(chunks)
    return 0


def run_import(args: argparse.Namespace) -> int:
    try:
        raw = read_input(args.file)
    except HelsetilbudError as exc:
        print(f"Importen ble avvist. Ingenting er endret. {exc.message}", file=sys.stderr)
        return 1
    engine = make_engine(args.db)
    try:
        with transaction(make_session_factory(engine)) as session:
            identity = load_identity(session, args.login)
            report = import_offices(session, identity, raw)
    except ImportFailed as exc:
        print("Importen ble avvist. Ingenting er endret. Problemer:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except HelsetilbudError as exc:
        print(f"Importen ble avvist. Ingenting er endret. {exc.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if not report.changes:
        print("Ingen endringer: filen er lik det som er lagret.")
    for change in report.changes:
        print(f"Endret: {change}")
    return 0
