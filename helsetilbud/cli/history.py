"""`helsetilbud history HER-ID [--area AREA] [--as LOGIN] [--db URL]`: an office's change log."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from helsetilbud.access import Identity, load_identity
from helsetilbud.audit import (
    DELEGATION,
    GP_SERVICES,
    INFO_TEXT,
    INFO_TEXT_CONFIRMED,
    SCHEDULED_TEXT,
    SERVICE_CLOSURE,
    TOOL_ASSIGNMENT,
    display_names,
    loads,
)
from helsetilbud.catalog import CATALOG
from helsetilbud.cli import add_db_option
from helsetilbud.db import make_engine, make_session_factory, transaction
from helsetilbud.editing import history
from helsetilbud.errors import HelsetilbudError
from helsetilbud.model import AuditEvent, TriageTool
from helsetilbud.oslo_time import short_moment

# Without --as the command reads with the rights of an analyst (read-only, every office).
CLI_READER = Identity("kommandolinjen", "Kommandolinjen", "analytiker")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history",
        help="vis endringshistorikken for et legekontor",
        description=(
            "Skriver ut endringene for et legekontor, nyeste først: tid (norsk tid), hvem, hva, "
            "før → etter. Uten --as leses historikken med analytikerens lesetilgang; med --as "
            "brukes rettighetene til den innloggingen."
        ),
    )
    parser.add_argument("her_id", metavar="HER-ID", help="legekontorets HER-id")
    parser.add_argument(
        "--area", metavar="OMRÅDE", default=None, help="bare ett område eller én tjeneste (slug)"
    )
    parser.add_argument(
        "--as", dest="login", metavar="LOGIN", default=None, help="les med denne brukerens rett"
    )
    add_db_option(parser)
    parser.set_defaults(handler=run)


def _quote(value: object) -> str:
    if value is None:
        return "(ingen)"
    if isinstance(value, str):
        return "«" + value.replace("\n", " ⏎ ") + "»" if value else "(tom)"
    return str(value)


def _tool(value: object, labels: dict[str, str]) -> str:
    if value is None:
        return "Ingen valgt"
    return labels.get(str(value), str(value))


def _on_off(value: bool) -> str:
    return "på" if value else "av"


def describe(event: AuditEvent, tool_labels: dict[str, str] | None = None) -> str:
    """What changed, in Norwegian: "Tekst «Reseptfornyelse»: «før» → «etter»"."""
    labels = tool_labels or {}
    before, after = loads(event.before), loads(event.after)
    if event.entity == INFO_TEXT:
        return f"Tekst «{CATALOG.area(event.key).name}»: {_quote(before)} → {_quote(after)}"
    if event.entity == INFO_TEXT_CONFIRMED:
        text = after.get("text") if isinstance(after, dict) else None
        return f"Tekst «{CATALOG.area(event.key).name}» bekreftet uten endring: {_quote(text)}"
    if event.entity == TOOL_ASSIGNMENT:
        name = CATALOG.triage_service(event.key).name
        return f"Verktøy for «{name}»: {_tool(before, labels)} → {_tool(after, labels)}"
    if event.entity == GP_SERVICES and isinstance(before, dict) and isinstance(after, dict):
        changes = [
            f"{CATALOG.patient_service(slug).button} {_on_off(before[slug])} → {_on_off(on)}"
            for slug, on in after.items()
            if before.get(slug) != on
        ]
        return f"Tjenester for fastlege {event.key}: " + ", ".join(changes)
    if event.entity == SCHEDULED_TEXT:
        name = CATALOG.area(event.key).name
        row = after if isinstance(after, dict) else before
        assert isinstance(row, dict)
        verb = "lagt til" if after is not None else "fjernet"
        return f"Tidsbegrenset tekst «{name}» {verb}: {_quote(row['text'])}"
    if event.entity == SERVICE_CLOSURE:
        row = after if isinstance(after, dict) else before
        assert isinstance(row, dict)
        verb = "lagt til" if after is not None else "fjernet"
        name = CATALOG.patient_service(event.key).name
        return f"Stengning av «{name}» for fastlege {row['hpr']} {verb}"
    if event.entity == DELEGATION:
        verb = "gitt" if before is None else "trukket tilbake"
        return f"Tilgang for {event.key} {verb}"
    return f"{event.entity} {event.key}: {_quote(before)} → {_quote(after)}"


def format_history(session: Session, events: list[AuditEvent]) -> list[str]:
    """One line per event: "26.11.2026 kl. 10:14  Kari Nordmann (fastlege)  <hva>", and for a
    write from the command line, at the end, which operating-system user ran it:
    "  [kommandolinjen, brukeren «ola»]"."""
    names = display_names(session, (e.actor for e in events))
    labels = {tool.id: tool.label for tool in session.scalars(select(TriageTool))}
    return [
        f"{short_moment(e.at)}  {names.get(e.actor, e.actor)} ({e.role})  {describe(e, labels)}"
        + (f"  [kommandolinjen, brukeren «{e.os_user}»]" if e.os_user else "")
        for e in events
    ]


def run(args: argparse.Namespace) -> int:
    factory = make_session_factory(make_engine(args.db))
    try:
        with transaction(factory) as session:
            identity = load_identity(session, args.login) if args.login else CLI_READER
            events = history(session, identity, args.her_id, area=args.area)
            lines = format_history(session, events)
    except HelsetilbudError as exc:
        print(f"Feil: {exc.message}", file=sys.stderr)
        return 1
    if not lines:
        print(f"Ingen endringer registrert for HER-id {args.her_id}.")
    for line in lines:
        print(line)
    return 0
