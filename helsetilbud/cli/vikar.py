"""`helsetilbud vikar add|remove|list`: vikars for a GP's list (seed Q11)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from helsetilbud.access import load_identity
from helsetilbud.cli import add_db_option
from helsetilbud.db import make_engine, make_session_factory, transaction
from helsetilbud.errors import HelsetilbudError, ValidationError
from helsetilbud.vikar_cases import AWAY, KIND_NAMES, KINDS


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    vikar = subparsers.add_parser("vikar", help="registrer og fjern vikarer for en fastlegeliste")
    actions = vikar.add_subparsers(dest="action", required=True, metavar="add|remove|list")

    add = actions.add_parser("add", help="registrer en vikar for en periode")
    add.add_argument("--list", dest="list_hpr", required=True, metavar="GP_HPR")
    add.add_argument("--hpr", required=True, metavar="VIKAR_HPR")
    add.add_argument("--name", required=True, metavar="NAVN")
    add.add_argument("--from", dest="first", required=True, metavar="ÅÅÅÅ-MM-DD")
    add.add_argument("--to", dest="last", required=True, metavar="ÅÅÅÅ-MM-DD")
    add.add_argument(
        "--case", choices=KINDS, default=AWAY,
        help="vikartilfellet: " + "; ".join(f"{k} = {n}" for k, n in KIND_NAMES.items())
        + f" (standard: {AWAY})",
    )  # fmt: skip
    add.set_defaults(handler=run_add)

    remove = actions.add_parser("remove", help="fjern en vikar (rettighetene opphører straks)")
    remove.add_argument("--list", dest="list_hpr", required=True, metavar="GP_HPR")
    remove.add_argument("--hpr", required=True, metavar="VIKAR_HPR")
    remove.add_argument("--from", dest="first", metavar="ÅÅÅÅ-MM-DD", help="når flere perioder")
    remove.set_defaults(handler=run_remove)

    for parser in (add, remove):
        parser.add_argument("--as", dest="login", required=True, metavar="BRUKER")
        add_db_option(parser)

    show = actions.add_parser("list", help="vis vikarene ved et legekontor")
    show.add_argument("--office", required=True, metavar="HER-ID")
    add_db_option(show)
    show.set_defaults(handler=run_list)


def parse_day(text: str, label: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            f"{label} «{text}» er ikke en dato: skriv ÅÅÅÅ-MM-DD, for eksempel 2027-07-01."
        ) from None


def run_add(args: argparse.Namespace) -> int:
    from helsetilbud.vikar import add_vikar

    engine = make_engine(args.db)
    try:
        first = parse_day(args.first, "Fra-datoen")
        last = parse_day(args.last, "Til-datoen")
        with transaction(make_session_factory(engine)) as session:
            identity = load_identity(session, args.login)
            row = add_vikar(
                session, identity, args.list_hpr, args.hpr, args.name, first, last, args.case
            )
            gp_name = row.gp.name
    except HelsetilbudError as exc:
        print(f"Vikaren ble ikke registrert. Ingenting er endret. {exc.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        f"Registrerte {row.name} (HPR {row.hpr}) som vikar for listen til {gp_name} "
        f"{first:%d.%m.%Y}–{last:%d.%m.%Y} ({KIND_NAMES[row.kind].lower()})."
    )
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from helsetilbud.vikar import find_vikar, remove_vikar

    engine = make_engine(args.db)
    try:
        first = parse_day(args.first, "Fra-datoen") if args.first else None
        with transaction(make_session_factory(engine)) as session:
            identity = load_identity(session, args.login)
            row = find_vikar(session, args.list_hpr, args.hpr, first)
            name, gp_name = row.name, row.gp.name
            remove_vikar(session, identity, row.id)
    except HelsetilbudError as exc:
        print(f"Vikaren ble ikke fjernet. Ingenting er endret. {exc.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Fjernet {name} (HPR {args.hpr}) som vikar for listen til {gp_name}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from helsetilbud.audit import office_by_her_id
    from helsetilbud.cli.history import CLI_READER
    from helsetilbud.vikar import list_vikars

    engine = make_engine(args.db)
    try:
        with make_session_factory(engine)() as session:
            office = office_by_her_id(session, args.office)
            rows = list_vikars(session, CLI_READER, args.office)
            lines = [
                f"  {gp.name} (HPR {gp.hpr}): {v.name} (HPR {v.hpr}) "
                f"{v.starts_on:%d.%m.%Y}–{v.ends_on:%d.%m.%Y}, {KIND_NAMES[v.kind].lower()}"
                for gp, v in rows
            ]
            name = office.name
    except HelsetilbudError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if not lines:
        print(f"Ingen vikarer er registrert ved {name} (HER-id {args.office}).")
        return 0
    print(f"Vikarer ved {name} (HER-id {args.office}):")
    print("\n".join(lines))
    return 0
