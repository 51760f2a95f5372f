"""The `helsetilbud` command: one sub-module per command group, each with `register`.

The command line is for operators with access to the database: `--as LOGIN` is taken on
trust, so every write it makes is audited with the operating-system user beside the login.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from helsetilbud.errors import HelsetilbudError

UNEXPECTED_EXIT = 70  # a fault in the program, not in the input (sysexits EX_SOFTWARE)

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
    "helsetilbud.cli.text",
    "helsetilbud.cli.lab",
    "helsetilbud.cli.vikar",
    "helsetilbud.cli.closure",
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


def iso_day(value: str) -> date:
    """An argparse type: a day written YYYY-MM-DD, or a Norwegian message naming the value."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"«{value}» er ikke en dato på formen ÅÅÅÅ-MM-DD"
        ) from None


def os_user() -> str:
    """The operating-system user running the command (from the process, not the environment)."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, OSError):
        uid = getattr(os, "geteuid", lambda: None)()
        return f"uid {uid}" if uid is not None else os.environ.get("USERNAME", "ukjent")


def read_input(path: Path) -> bytes:
    """The bytes of a file the user named, or HelsetilbudError saying in Norwegian why not."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        why = "filen finnes ikke"
    except IsADirectoryError:
        why = "det er en mappe, ikke en fil"
    except PermissionError:
        why = "du har ikke lov til å lese filen"
    except OSError as exc:
        why = f"filen kan ikke leses (feilkode {exc.errno})"
    raise HelsetilbudError(f"Kan ikke lese {path}: {why}.", field=str(path))


def _printable_streams() -> None:
    """A character the terminal cannot show is printed as an escape, never a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _printable_streams()
    from helsetilbud.audit import acting_os_user  # after parsing: `--help` stays fast

    try:
        with acting_os_user(os_user()):
            return int(args.handler(args) or 0)
    except Exception as exc:  # the last guard: a person never reads a traceback
        if os.environ.get("HELSETILBUD_TRACEBACK"):
            raise
        print(
            f"Uventet feil i helsetilbud ({type(exc).__name__}). Endringer som var i gang er "
            "rullet tilbake. Meld fra til forvaltningen; kjør med HELSETILBUD_TRACEBACK=1 for "
            "detaljer.",
            file=sys.stderr,
        )
        return UNEXPECTED_EXIT


if __name__ == "__main__":
    sys.exit(main())
