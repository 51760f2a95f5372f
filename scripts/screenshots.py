"""Screenshots of the patient preview in headless Chromium, for the README.

    .venv/bin/python scripts/screenshots.py [--db URL] [--office HER-ID] [--out docs/img]

Without --db it uses a small built-in office. The moment is 12:00 Oslo time today (or on
HELSETILBUD_TODAY). With a database it takes the first office that
has a form on e-konsultasjon (or the one given); nothing is written to the database.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from datetime import datetime, time
from pathlib import Path

from helsetilbud.oslo_time import OSLO, configured_today
from helsetilbud.patient_view import patient_view
from helsetilbud.preview import render_page
from helsetilbud.preview.example import example_snapshot, example_tool
from helsetilbud.snapshot import OfficeSnapshot

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.e2e.voila_server import CHROMIUM, launch_chromium  # noqa: E402

SHOTS = (
    ("forside.png", "forside", "melding", True),
    ("e-konsultasjon-med-skjema.png", "e_konsultasjon", "skjema", True),
    ("e-konsultasjon-melding.png", "e_konsultasjon", "melding", True),
    ("e-konsultasjon-uten-skjema.png", "e_konsultasjon", "melding", False),
)


def _offers_e_konsultasjon(office: OfficeSnapshot) -> bool:
    return any(gp.services.get("e_konsultasjon") for gp in office.gps)


def _office_from_db(url: str, her_id: str | None) -> OfficeSnapshot:
    """The office given, else the first with a form on e-konsultasjon and a GP offering it."""
    from sqlalchemy import select

    from helsetilbud.db import make_engine, make_session_factory
    from helsetilbud.model import Office, ToolAssignment
    from helsetilbud.snapshot import load_snapshot

    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            if her_id is not None:
                return load_snapshot(session, her_id)
            with_form = session.scalars(
                select(Office.her_id)
                .join(ToolAssignment, ToolAssignment.office_id == Office.id)
                .where(ToolAssignment.service == "e_konsultasjon")
                .where(ToolAssignment.tool_id.is_not(None))
                .order_by(Office.her_id)
                .limit(50)
            ).all()
            candidates = [*with_form, *session.scalars(select(Office.her_id).limit(50))]
            first = None
            for candidate in candidates:
                office = load_snapshot(session, candidate)
                first = first or office
                if _offers_e_konsultasjon(office):
                    return office
            if first is None:
                raise SystemExit("Databasen har ingen legekontor.")
            return first
    finally:
        engine.dispose()


def render_all(office: OfficeSnapshot, at: datetime) -> dict[str, str]:
    """File name -> HTML for each screenshot; "uten skjema" has no tool on e-konsultasjon."""
    with_form = office
    if office.tools.get("e_konsultasjon") is None:
        with_form = dataclasses.replace(
            office, tools={**office.tools, "e_konsultasjon": example_tool()}
        )
    without = dataclasses.replace(office, tools={**office.tools, "e_konsultasjon": None})
    # The patients of a GP who offers e-konsultasjon (the first such GP).
    gp = next((g.hpr for g in office.gps if g.services.get("e_konsultasjon")), None)
    pages = {}
    for name, page, step, form in SHOTS:
        view = patient_view(with_form if form else without, gp, at)
        pages[name] = render_page(view, page, step=step)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Skjermbilder av forhåndsvisningen")
    parser.add_argument("--db", metavar="URL", help="databasens URL (standard: innebygd eksempel)")
    parser.add_argument("--office", metavar="HER-ID", help="legekontorets HER-id")
    parser.add_argument("--out", default="docs/img", help="mappe for PNG-filene")
    parser.add_argument("--width", type=int, default=1100)
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"Fant ikke {CHROMIUM}: installer Debians chromium-pakke.", file=sys.stderr)
        return 1
    office = _office_from_db(args.db, args.office) if args.db else example_snapshot()
    at = datetime.combine(configured_today(), time(12, 0), tzinfo=OSLO)
    pages = render_all(office, at)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": args.width, "height": 800}, locale="nb-NO")
        page.route("http*://**", lambda route: route.abort())  # nothing from the network
        for name, html in pages.items():
            source = Path(tmp) / name.replace(".png", ".html")
            source.write_text(html, encoding="utf-8")
            page.goto(source.as_uri())
            page.screenshot(path=str(out / name), full_page=True)
            print(out / name)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
