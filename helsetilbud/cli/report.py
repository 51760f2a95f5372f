"""`helsetilbud report adoption|texts|services|trends`: the analysts' figures as files or tables."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from helsetilbud import analytics as an
from helsetilbud.analytics import charts
from helsetilbud.catalog import TRIAGE_SERVICES
from helsetilbud.cli import add_db_option, iso_day
from helsetilbud.db import is_initialised, make_engine
from helsetilbud.errors import HelsetilbudError

FORMATS = ("table", "csv", "json", "xlsx")
NONE = "__ingen__"  # "no tool" while grouping (pandas drops None keys)
SHEETS = {
    "adoption": "Verktøy",
    "texts": "Tekster",
    "services": "Tjenester",
    "trends": "Utvikling",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `report KIND [--format F] [--out FILE] [--today DAY] [--db URL]`."""
    report = subparsers.add_parser("report", help="rapporter for analytikere i NHN")
    kinds = report.add_subparsers(dest="report", required=True, metavar="RAPPORT")
    helps = {
        "adoption": "legekontorer per tjeneste og triageringsverktøy",
        "texts": "tekstdekning, lengder og merknader per område",
        "services": "andel fastleger som tilbyr hver pasienttjeneste",
        "trends": "verktøy og tekstendringer måned for måned (24 måneder)",
    }
    for kind, text in helps.items():
        parser = kinds.add_parser(kind, help=text)
        parser.add_argument("--format", choices=FORMATS, default="table", help="utdataformat")
        parser.add_argument(
            "--out", metavar="FIL", type=Path, help="skriv til fil (kreves for xlsx)"
        )
        parser.add_argument(
            "--today",
            metavar="ÅÅÅÅ-MM-DD",
            type=iso_day,
            default=None,
            help="dagen rapporten gjelder (standard: HELSETILBUD_TODAY eller i dag)",
        )
        if kind == "adoption":
            parser.add_argument("--by-fylke", action="store_true", help="del opp per fylke")
        if kind == "texts":
            parser.add_argument(
                "--flags", action="store_true", help="list hver merknad med legekontor og tekst"
            )
        if kind == "services":
            parser.add_argument(
                "--by",
                choices=("fylke", "office_size"),
                default="fylke",
                help="fylke eller kontorstørrelse (antall fastleger)",
            )
        add_db_option(parser)
        parser.set_defaults(handler=run_report)


def build_frame(args: argparse.Namespace, engine, today: date) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The frame a report prints, in slugs and English column names."""
    makers: dict[str, Callable[[], pd.DataFrame]] = {
        "adoption": lambda: an.adoption(engine, by_fylke=getattr(args, "by_fylke", False)),
        "texts": lambda: (
            an.text_flags(engine, today)
            if getattr(args, "flags", False)
            else an.text_summary(engine, today)
        ),
        "services": lambda: an.service_offering(engine, by=getattr(args, "by", "fylke")),
        "trends": lambda: an.trends(engine, today),
    }
    return makers[args.report]()


def run_report(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and args.out is None:
        print("Excel-formatet krever --out FIL.", file=sys.stderr)
        return 2
    engine = make_engine(args.db)
    try:
        if not is_initialised(engine):
            print("Databasen er ikke opprettet. Kjør «helsetilbud init» først.", file=sys.stderr)
            return 1
        today = args.today or an.default_today()
        frame = build_frame(args, engine, today)
        tools = an.tool_names(engine)
    except HelsetilbudError as exc:
        print(f"Feil: {exc.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    sheet = SHEETS[args.report]
    if args.format == "xlsx":
        patient = args.report == "services"
        shown = report_charts(args.report, frame, tools)
        xlsx = an.to_xlsx_bytes(frame, tools, sheet=sheet, patient=patient, charts=shown)
        args.out.write_bytes(xlsx)
        print(f"Skrev {len(frame)} rader til {args.out}.", file=sys.stderr)
        return 0
    if args.format == "json":
        output = json.dumps(an.records(frame), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        output = an.neutralised(frame).to_csv(index=False)
    else:
        output = render_table(args.report, frame, tools, today, flags=getattr(args, "flags", False))
    if args.out is not None:
        args.out.write_text(output, encoding="utf-8")
        print(f"Skrev {len(frame)} rader til {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return 0


def report_charts(kind: str, frame: pd.DataFrame, tools: dict[str, str]) -> list[charts.Chart]:
    """The charts drawn from the report's own rows, for the «Figurer» sheet: tools per service
    (with --by-fylke summed over the fylker), and the monthly trends."""
    if kind == "trends":
        return [charts.trend_chart(frame)]
    if kind != "adoption":
        return []
    if "fylke" in frame:
        keys = frame[["service", "tool"]].astype(object).fillna(NONE)
        frame = (
            frame.assign(service=keys["service"], tool=keys["tool"])
            .groupby(["service", "tool"], sort=False, as_index=False)["offices"]
            .sum()
        )
        frame["share"] = frame["offices"] / frame.groupby("service")["offices"].transform("sum")
        frame["tool"] = frame["tool"].map(lambda t: None if t == NONE else t).astype(object)
    return [charts.adoption_chart(frame, tools)]


def _short(text: str, width: int = 60) -> str:
    """One line of at most `width` characters, "…" where cut."""
    line = " ".join(str(text).split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %".replace(".", ",")


def _number(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return str(value)


def render_table(
    kind: str, frame: pd.DataFrame, tools: dict[str, str], today: date, *, flags: bool = False
) -> str:
    """A readable Norwegian table: names instead of slugs, shares as percent, a heading."""
    headings = {
        "adoption": "Triageringsverktøy i bruk",
        "texts": "Informasjonstekster",
        "services": "Pasienttjenester som fastlegene tilbyr",
        "trends": "Utvikling siste 24 måneder",
    }
    if kind == "trends":
        title = f"{headings[kind]} (per {today:%d.%m.%Y})"
        note = "Tjenestekolonnene: legekontorer med et verktøy valgt ved utgangen av måneden."
        body = trends_table(frame).to_string(index=False)
        return f"{title}\n{'=' * len(title)}\n{note}\n{body}\n"
    shown = frame.copy()
    if "share" in shown:
        shown["share"] = shown["share"].map(_percent)
    for column in shown.columns:
        if column not in ("share",) and shown[column].dtype.kind == "f":
            shown[column] = shown[column].map(_number)
    heading = "Tekster å se på" if kind == "texts" and flags else headings[kind]
    title = f"{heading} (per {today:%d.%m.%Y})"
    if kind == "texts" and not flags:
        counts = shown[["area", *(f"flag_{f}" for f in an.FLAGS)]]
        counts = counts.rename(columns={f"flag_{f}": an.FLAG_SHORT[f] for f in an.FLAGS})
        shown = shown.drop(columns=[f"flag_{f}" for f in an.FLAGS])
        second = an.labelled(counts).to_string(index=False)
        first = an.labelled(shown).to_string(index=False)
        return f"{title}\n{'=' * len(title)}\n{first}\n\nMerknader (antall tekster):\n{second}\n"
    if "text" in shown:
        shown["text"] = shown["text"].map(_short)
    shown = an.labelled(shown, tools, patient=kind == "services")
    body = shown.to_string(index=False) if len(shown) else "(ingen rader)"
    return f"{title}\n{'=' * len(title)}\n{body}\n"


def trends_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Per month: offices with a tool at month end per service, tool and text changes in all."""
    wide = frame.pivot_table(
        index="month", columns=["measure", "key"], values="value", aggfunc="sum", sort=True
    )
    out = pd.DataFrame({"Måned": wide.index})
    for service in TRIAGE_SERVICES:
        name = an.service_name(service).removeprefix("Timebestilling ")
        out[name[:1].upper() + name[1:]] = wide[("with_tool", service)].to_numpy()
    for measure in ("to_tool", "to_none", "text_changes"):
        out[an.MEASURE_LABELS[measure]] = wide[measure].sum(axis=1).to_numpy()
    return out
