"""Dashboard speed, run by hand: `.venv/bin/python benchmarks/dashboard_bench.py [--runs N]`.

Prints, in one run on this machine:
- the time from navigation until the editor can be typed into, for the dashboard and for a bare
  Voilà notebook with a single Textarea, and their ratio (target: at most 1.5);
- the time from LAGRE until the preview shows the saved text, on SQLite (target: 300 ms).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.e2e.voila_server import CHROMIUM, build_small_db, launch_chromium, voila  # noqa: E402

BARE_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "id": "bare",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                "import ipywidgets as w\n",
                "box = w.Textarea()\n",
                "box.add_class('bare-text')\n",
                "box",
            ],
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def time_to_type(page: Page, url: str, selector: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    box = page.locator(selector)
    box.wait_for(state="visible", timeout=120_000)
    box.click()
    box.press_sequentially("x")
    page.wait_for_function(
        "s => document.querySelector(s) && document.querySelector(s).value.endsWith('x')",
        arg=selector,
    )
    return time.perf_counter() - start


def save_to_preview(page: Page, n: int) -> list[float]:
    """LAGRE on the helsekontakt card until the preview shows the text as saved (no draft)."""
    times = []
    box = page.locator(".ht-text-helsekontakt textarea")
    for i in range(n):
        text = f"Lagret tekst nummer {i} {time.time_ns()}"
        box.fill(text)
        page.locator(".ht-preview .ht-preview-draft").wait_for()
        page.get_by_text(text).last.wait_for()
        page.wait_for_function("() => !document.querySelector('.ht-save-helsekontakt').disabled")
        start = time.perf_counter()
        page.locator(".ht-save-helsekontakt").click()
        page.wait_for_function(
            """t => {
                const p = document.querySelector('.ht-preview');
                return p && p.querySelector('[data-state="saved"]') && p.textContent.includes(t);
            }""",
            arg=text,
            polling="raf",
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="page loads per notebook")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print("Fant ikke /usr/bin/chromium; installer Debian-pakken chromium.")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        url = build_small_db(tmpdir / "bench.sqlite")
        bare = tmpdir / "bare.ipynb"
        bare.write_text(json.dumps(BARE_NOTEBOOK), encoding="utf-8")
        env = {"HELSETILBUD_DB_URL": url, "HELSETILBUD_USER": "1000001"}
        dashboard: list[float] = []
        plain: list[float] = []
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with (
                voila(REPO / "notebooks" / "rediger.ipynb", env) as dash_url,
                voila(bare, env) as bare_url,
            ):
                for _ in range(args.runs):  # interleaved, so both see the same machine load
                    for target, sel, out in (
                        (dash_url, ".ht-text-helsekontakt textarea", dashboard),
                        (bare_url, ".bare-text textarea", plain),
                    ):
                        ctx = browser.new_context()
                        out.append(time_to_type(ctx.new_page(), target, sel))
                        ctx.close()
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                time_to_type(page, dash_url, ".ht-text-helsekontakt textarea")
                saves = save_to_preview(page, 5)
                ctx.close()
            browser.close()
    d, b = statistics.median(dashboard), statistics.median(plain)
    print(f"Klar til å skrive, dashbordet:     median {d:.2f} s  ({_list(dashboard)})")
    print(f"Klar til å skrive, tom notatbok:   median {b:.2f} s  ({_list(plain)})")
    print(f"Forhold dashbord / tom notatbok:   {d / b:.2f}  (mål: ≤ 1,5)")
    print(
        f"LAGRE → forhåndsvisningen viser teksten: median {statistics.median(saves) * 1000:.0f} ms"
        f"  ({', '.join(f'{s * 1000:.0f}' for s in saves)} ms; mål: ≤ 300 ms)"
    )
    return 0


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values) + " s"


if __name__ == "__main__":
    raise SystemExit(main())
