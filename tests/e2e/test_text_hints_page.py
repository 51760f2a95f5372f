"""The text rules on the rendered dashboard: a hint appears while the GP types and goes when
the word is deleted; «Teksten stemmer fortsatt» shows «Sist bekreftet …»."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.e2e.voila_server import CHROMIUM, REPO, build_small_db, voila

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler (apt chromium)"),
]
NOTEBOOK = REPO / "notebooks" / "rediger.ipynb"
KARI = "1000001"
LOAD = 90_000


@pytest.fixture(scope="module")
def kari_page_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("text-hints")
    db_url = build_small_db(folder / "hints.sqlite")
    env = {"HELSETILBUD_DB_URL": db_url, "HELSETILBUD_USER": KARI}
    with voila(NOTEBOOK, env, folder / "voila.log") as url:
        yield url


def test_a_korona_hint_appears_while_typing_and_a_confirmation_shows_sist_bekreftet(
    kari_page_url, new_context
):
    page = new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(20_000)
    page.goto(kari_page_url)
    page.locator(".ht-app").wait_for(timeout=LOAD)
    box = page.locator(".ht-text-reseptfornyelse textarea")
    hints = page.locator("div.ht-hints.ht-hints-reseptfornyelse")
    assert hints.get_attribute("role") == "status"
    assert hints.get_attribute("aria-live") == "polite"
    box.fill("Vi tilbyr koronatest for våre pasienter.")
    start = time.perf_counter()
    hints.locator("mark", has_text="koronatest").wait_for(timeout=5_000)
    elapsed = time.perf_counter() - start
    print(f"merknaden kom etter {elapsed * 1000:.0f} ms")
    assert elapsed < 0.5, f"merknaden kom etter {elapsed:.2f} s"
    box.fill("Vi tilbyr time for våre pasienter.")
    hints.locator("mark").wait_for(state="detached", timeout=5_000)
    assert "korona" not in hints.inner_text()
    page.locator(".ht-confirm-helsekontakt").click()
    page.locator(".ht-confirmed-helsekontakt", has_text="Sist bekreftet").wait_for()
    assert "Kari Nordmann" in page.locator(".ht-confirmed-helsekontakt").inner_text()
