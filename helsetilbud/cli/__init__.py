"""The `helsetilbud` command: one sub-module per command group, each with `register`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module has `register(subparsers) -> None`; its handlers take the parsed args and
# return an exit code. Messages a person reads are Norwegian.
COMMAND_MODULES = (
    "helsetilbud.cli.setup",
    "helsetilbud.cli.exchange",
    "helsetilbud.cli.history",
    "helsetilbud.cli.forms",
    "helsetilbud.cli.tools",
    "helsetilbud.cli.preview",
    "helsetilbud.cli.report",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="helsetilbud",
        description="Helsetilbud: legekontorenes tekster, triageringsverktøy og tjenester.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(subparsers)
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """Every command takes --db URL (default: HELSETILBUD_DB_URL or the SQLite file)."""
    parser.add_argument("--db", metavar="URL", default=None, help="databasens URL")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
