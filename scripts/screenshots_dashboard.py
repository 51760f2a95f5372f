"""Screenshots of each dashboard tab into docs/img/.

Run: `.venv/bin/python scripts/screenshots_dashboard.py`.

Builds the small test country in a temporary SQLite file, serves `notebooks/rediger.ipynb` with
Voilà as GP Kari Nordmann, and photographs INFOMELDINGER (while a text is typed),
TRIAGERINGSVERKTØY (the choice screen), TJENESTER and HISTORIKK in headless Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.voila_server import CHROMIUM, build_small_db, launch_chromium, voila  # noqa: E402

OUT = REPO / "docs" / "img"
FIRST = "Vi fornyer faste resepter innen tre virkedager."


def main() -> int:
    if not CHROMIUM.exists():
        print("Fant ikke /usr/bin/chromium; installer Debian-pakken chromium.")
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = build_small_db(Path(tmp) / "shots.sqlite")
        env = {"HELSETILBUD_DB_URL": url, "HELSETILBUD_USER": "1000001"}
        with voila(REPO / "notebooks" / "rediger.ipynb", env) as page_url, sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page(viewport={"width": 1440, "height": 1100}, locale="nb-NO")
            page.set_default_timeout(30_000)
            page.goto(page_url)
            page.locator(".ht-app").wait_for(timeout=120_000)
            page.locator(".ht-preview .ht-preview-state").wait_for()
            box = page.locator(".ht-text-reseptfornyelse textarea")
            for text in ("Vi fornyer resepter innen fem dager.", FIRST):
                box.fill(text)
                page.locator(".ht-save-reseptfornyelse").click()
                page.locator(".ht-status-reseptfornyelse", has_text="Lagret").wait_for()
            box.fill(FIRST + " Husk å oppgi apotek.")
            page.locator(".ht-preview .ht-preview-draft").wait_for()
            page.locator(".ht-card-reseptfornyelse").scroll_into_view_if_needed()
            shot(page, "infomeldinger")
            page.locator(".ht-cancel-reseptfornyelse").click()
            page.get_by_role("tab", name="TRIAGERINGSVERKTØY").click()
            page.locator(".ht-tool-reseptfornyelse").wait_for()
            shot(page, "triageringsverktoy")
            page.locator(".ht-change-e_konsultasjon").click()
            page.locator(".ht-choice-radio-e_konsultasjon").get_by_text(
                "Beskriv symptomene dine"
            ).click()
            page.locator(".ht-choice-try").click()
            page.locator(".ht-form-check").click()
            page.locator(".ht-form-summary").get_by_text("feil").wait_for()
            shot(page, "triageringsverktoy-valg")
            page.locator(".ht-choice-back").click()
            page.get_by_role("tab", name="TJENESTER").click()
            page.locator(".ht-services-tab").wait_for()
            shot(page, "tjenester")
            page.get_by_role("tab", name="HISTORIKK").click()
            page.locator(".ht-history-table").get_by_text("Gjenopprett").first.wait_for()
            shot(page, "historikk")
            browser.close()
    return 0


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(400)
    path = OUT / f"dashboard-{name}.png"
    page.screenshot(path=str(path), full_page=False)
    print(f"Lagret {path.relative_to(REPO)}")


if __name__ == "__main__":
    raise SystemExit(main())
