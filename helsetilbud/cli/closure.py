"""`helsetilbud closure add|list|remove`: close a GP's services for a period, weekly or on
every public holiday."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime
from typing import Any

from helsetilbud.access import load_identity
from helsetilbud.catalog import PATIENT_SERVICES
from helsetilbud.cli import add_db_option
from helsetilbud.db import make_engine, make_session_factory, transaction
from helsetilbud.errors import HelsetilbudError, ValidationError
from helsetilbud.oslo_time import OSLO, WEEKDAYS, in_oslo

WITH_EVES = "med-aftener"
_SPAN = re.compile(r"^([0-9]{2}:[0-9]{2})-([0-9]{2}:[0-9]{2})$")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    closure = subparsers.add_parser("closure", help="steng en fastleges tjenester midlertidig")
    actions = closure.add_subparsers(dest="action", required=True, metavar="add|list|remove")

    add = actions.add_parser("add", help="legg til en stengning")
    add.add_argument("--gp", required=True, metavar="HPR")
    which = add.add_mutually_exclusive_group(required=True)
    which.add_argument("--service", choices=PATIENT_SERVICES)
    which.add_argument("--all", action="store_true", help="alle fire tjenestene")
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--from", dest="starts", metavar="ISO", help="fra (ISO; uten sone: norsk)")
    add.add_argument("--to", dest="ends", metavar="ISO", help="til (sammen med --from)")
    when.add_argument(
        "--weekly", nargs=2, metavar=("DAG", "HH:MM-HH:MM"),
        help="hver uke, f.eks. «lørdag,søndag 00:00-00:00» eller «mandag-fredag 16:00-08:00»",
    )  # fmt: skip
    when.add_argument(
        "--holidays", nargs="?", const="offentlige", choices=("offentlige", WITH_EVES),
        help=f"alle offentlige helligdager; «{WITH_EVES}»: også julaften og nyttårsaften",
    )  # fmt: skip
    add.add_argument("--note", default="", metavar="TEKST")
    add.set_defaults(handler=run_add)

    remove = actions.add_parser("remove", help="fjern en stengning (tjenesten åpner igjen)")
    remove.add_argument("--id", dest="closure_id", type=int, metavar="NR", help="fra closure list")
    remove.add_argument("--gp", metavar="HPR", help="med --holidays")
    rwhich = remove.add_mutually_exclusive_group()
    rwhich.add_argument("--service", choices=PATIENT_SERVICES)
    rwhich.add_argument("--all", action="store_true")
    remove.add_argument("--holidays", action="store_true", help="fjern fra helligdagsstengningen")
    remove.set_defaults(handler=run_remove)

    for parser in (add, remove):
        parser.add_argument("--as", dest="login", required=True, metavar="BRUKER")
        add_db_option(parser)

    show = actions.add_parser("list", help="vis en fastleges stengninger")
    show.add_argument("--gp", required=True, metavar="HPR")
    add_db_option(show)
    show.set_defaults(handler=run_list)


def _moment(text: str | None, label: str) -> datetime:
    if not text:
        raise ValidationError(f"{label} mangler: oppgi både --from og --to.")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            f"{label} «{text}» er ikke et tidspunkt: bruk ISO-format, f.eks. 2027-07-01T08:00."
        ) from None
    return in_oslo(moment)


def _day_index(word: str) -> int:
    word = word.strip().lower()
    for i, name in enumerate(WEEKDAYS):
        if word in (name, name[:3], str(i)):
            return i
    raise ValidationError(
        f"Ukjent ukedag «{word}»: skriv f.eks. mandag, tir eller lørdag,søndag eller mandag-fredag."
    )


def parse_weekdays(text: str) -> tuple[int, ...]:
    """ "mandag-fredag", "lørdag,søndag", "man,ons" -> day numbers (0 = mandag)."""
    days: list[int] = []
    for part in text.split(","):
        if "-" in part:
            start, end = (_day_index(p) for p in part.split("-", 1))
            if end < start:
                raise ValidationError(f"Ukedagene «{part}» går baklengs.")
            days += range(start, end + 1)
        else:
            days.append(_day_index(part))
    return tuple(sorted(set(days)))


def _services(args: argparse.Namespace) -> tuple[str, ...]:
    return tuple(PATIENT_SERVICES) if args.all else (args.service,)


def _holiday_change(
    session: Any,
    identity: Any,
    hpr: str,
    add: tuple[str, ...] | None,
    drop: tuple[str, ...] | None,
    eves: bool | None,
) -> tuple[str, ...]:
    """Add or drop services in the GP's holiday rule; `eves` None keeps the stored choice."""
    from helsetilbud.audit import gp_by_hpr
    from helsetilbud.public_holidays import rule_services, set_holiday_rule, stored_rule

    gp = gp_by_hpr(session, hpr)
    row = stored_rule(session, gp.id)
    now = set(rule_services(row))
    now |= set(add or ())
    now -= set(drop or ())
    keep_eves = row.eves if row is not None else False
    wanted = tuple(s for s in PATIENT_SERVICES if s in now)
    version = row.version if row is not None else 0
    set_holiday_rule(session, identity, hpr, wanted, keep_eves if eves is None else eves, version)
    return wanted


def run_add(args: argparse.Namespace) -> int:
    from helsetilbud.editing import add_closure
    from helsetilbud.public_holidays import describe_rule

    engine = make_engine(args.db)
    services = _services(args)
    try:
        with transaction(make_session_factory(engine)) as session:
            identity = load_identity(session, args.login)
            if args.holidays:
                if args.note:
                    raise ValidationError("En helligdagsstengning har ingen merknad (--note).")
                eves = True if args.holidays == WITH_EVES else None
                wanted = _holiday_change(session, identity, args.gp, services, None, eves)
                print(describe_rule(wanted, eves or False) + f" for HPR {args.gp}.")
                return 0
            kwargs: dict[str, Any]
            if args.weekly:
                day_text, span = args.weekly
                match = _SPAN.match(span)
                if not match:
                    raise ValidationError(
                        f"Klokkeslettene «{span}» må skrives HH:MM-HH:MM, f.eks. 16:00-08:00."
                    )
                kwargs = {
                    "weekdays": parse_weekdays(day_text),
                    "daily_from": match.group(1),
                    "daily_to": match.group(2),
                }
            else:
                kwargs = {
                    "starts_at": _moment(args.starts, "Fra-tidspunktet"),
                    "ends_at": _moment(args.ends, "Til-tidspunktet"),
                }
            ids = [
                add_closure(session, identity, args.gp, s, note=args.note, **kwargs).id
                for s in services
            ]
    except HelsetilbudError as exc:
        print(f"Stengningen ble ikke lagt til. Ingenting er endret. {exc.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"La til {len(ids)} stengning(er) for HPR {args.gp}: nr. {', '.join(map(str, ids))}.")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from helsetilbud.editing import remove_closure
    from helsetilbud.public_holidays import describe_rule

    engine = make_engine(args.db)
    try:
        with transaction(make_session_factory(engine)) as session:
            identity = load_identity(session, args.login)
            if args.holidays:
                if not args.gp or not (args.all or args.service):
                    raise ValidationError(
                        "Oppgi --gp HPR og --service S eller --all sammen med --holidays."
                    )
                wanted = _holiday_change(session, identity, args.gp, None, _services(args), None)
                message = describe_rule(wanted, False) + f" for HPR {args.gp}."
            elif args.closure_id is None:
                raise ValidationError(
                    "Oppgi --id NR (se «helsetilbud closure list»), eller --gp HPR med "
                    "--service/--all og --holidays."
                )
            else:
                remove_closure(session, identity, args.closure_id)
                message = f"Fjernet stengning nr. {args.closure_id}."
    except HelsetilbudError as exc:
        print(f"Stengningen ble ikke fjernet. Ingenting er endret. {exc.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(message)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from helsetilbud.audit import gp_by_hpr
    from helsetilbud.closure_text import describe_closure
    from helsetilbud.public_holidays import (
        day_label,
        describe_rule,
        next_closed_days,
        rule_services,
    )
    from helsetilbud.snapshot import Closure

    engine = make_engine(args.db)
    try:
        with make_session_factory(engine)() as session:
            gp = gp_by_hpr(session, args.gp)
            lines = []
            for c in gp.closures:
                weekdays = tuple(int(d) for d in c.weekdays.split(",")) if c.weekdays else ()
                shown = Closure(c.id, c.service, c.starts_at, c.ends_at, weekdays,
                                c.daily_from, c.daily_to, c.note)  # fmt: skip
                lines.append(f"  nr. {c.id}: {describe_closure(shown)}")
            rule = gp.holiday_rule
            services, eves = rule_services(rule), bool(rule and rule.eves)
            name = gp.name
    except HelsetilbudError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Stengninger for {name} (HPR {args.gp}):")
    print("\n".join(lines) if lines else "  Ingen stengninger for perioder eller uker.")
    print(f"  {describe_rule(services, eves)}.")
    if services:
        upcoming = next_closed_days(datetime.now(OSLO).date(), 3, eves)
        print("  Neste: " + "; ".join(f"{day_label(d)} ({n})" for d, n in upcoming) + ".")
    return 0
