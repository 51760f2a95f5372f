"""`helsetilbud tool add` and `helsetilbud tool rollout` (forvalter only)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helsetilbud.access import load_identity
from helsetilbud.catalog import CATALOG
from helsetilbud.cli import add_db_option, read_input
from helsetilbud.db import make_engine, make_session_factory, transaction
from helsetilbud.errors import HelsetilbudError
from helsetilbud.json_input import decode
from helsetilbud.tool_catalog import add_tool, preview_publish, publish_version, rollout


def register(subparsers: argparse._SubParsersAction) -> None:
    tool = subparsers.add_parser("tool", help="forvalt katalogen over triageringsverktøy")
    actions = tool.add_subparsers(dest="action", required=True, metavar="add|publish|rollout")

    add = actions.add_parser("add", help="legg til et skjema (Questionnaire) som nytt verktøy")
    add.add_argument("file", metavar="FIL", type=Path)
    add.add_argument("--kind", required=True, choices=sorted(CATALOG.tool_kinds))
    add.add_argument("--services", required=True, metavar="S1,S2")
    add.add_argument("--id", dest="tool_id", default=None)
    add.add_argument("--standard", action="store_true")
    add.add_argument("--description", default="")
    add.set_defaults(handler=run_add)

    publish = actions.add_parser("publish", help="publiser en ny versjon av et verktøy")
    publish.add_argument("tool_id", metavar="VERKTØY")
    publish.add_argument("file", metavar="FIL", type=Path)
    publish.set_defaults(handler=run_publish)

    roll = actions.add_parser("rollout", help="bytt verktøy X med Y for en tjeneste overalt")
    roll.add_argument("--service", required=True)
    roll.add_argument("--from", dest="from_tool", required=True)
    roll.add_argument("--to", dest="to_tool", required=True)
    roll.add_argument("--apply", action="store_true", help="utfør (uten: bare prøvekjøring)")
    roll.set_defaults(handler=run_rollout)

    for parser in (add, publish, roll):
        parser.add_argument("--as", dest="login", required=True, metavar="BRUKER")
        add_db_option(parser)


def _read(path: Path) -> str:
    """The file as text: UTF-8 (a BOM is dropped), or HelsetilbudError in Norwegian."""
    return decode(read_input(path))


def run_add(args: argparse.Namespace) -> int:
    factory = make_session_factory(make_engine(args.db))
    try:
        with transaction(factory) as session:
            tool = add_tool(
                session,
                load_identity(session, args.login),
                _read(args.file),
                kind=args.kind,
                services=[s.strip() for s in args.services.split(",") if s.strip()],
                tool_id=args.tool_id,
                standard=args.standard,
                description=args.description,
            )
            print(f"La til verktøyet «{tool.label}» med id «{tool.id}».")
    except HelsetilbudError as exc:
        print(f"Verktøyet ble ikke lagt til: {exc.message}", file=sys.stderr)
        return 1
    return 0


def run_publish(args: argparse.Namespace) -> int:
    factory = make_session_factory(make_engine(args.db))
    try:
        with transaction(factory) as session:
            identity = load_identity(session, args.login)
            text = _read(args.file)
            diff = preview_publish(session, args.tool_id, text)
            tool = publish_version(session, identity, args.tool_id, text)
            print(f"Publiserte versjon {tool.questionnaire_version} av «{tool.label}».")
            for line in diff.lines():
                print(f"  {line}")
    except HelsetilbudError as exc:
        print(f"Ingen ny versjon: {exc.message}", file=sys.stderr)
        return 1
    return 0


def run_rollout(args: argparse.Namespace) -> int:
    factory = make_session_factory(make_engine(args.db))
    try:
        with transaction(factory) as session:
            identity = load_identity(session, args.login)
            plan = rollout(
                session, identity, args.service, args.from_tool, args.to_tool, apply=args.apply
            )
    except HelsetilbudError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    verb = "Endret" if plan.applied else "Prøvekjøring – ville endret"
    print(f"{verb} {len(plan.offices)} legekontorer fra «{plan.from_tool}» til «{plan.to_tool}»:")
    for her_id, name in plan.offices:
        print(f"  {her_id}  {name}")
    if not plan.applied:
        print("Ingenting er endret. Kjør med --apply for å utføre.")
    return 0
