"""The analysts' adoption page in Voilà: every chart tab shows an image with a text
alternative, never matplotlib's "<Figure …>" text, and the nbval summary stays hidden."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.voila_server import CHROMIUM, REPO, build_small_db, launch_chromium, voila

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler (apt chromium)"),
]
NOTEBOOK = REPO / "notebooks" / "adopsjon.ipynb"
LOAD = 90_000
CHART_TABS = ("Verktøy", "Fylker", "Utvikling")


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("adopsjon")
    env = {
        "HELSETILBUD_DB_URL": build_small_db(folder / "adopsjon.sqlite"),
        "HELSETILBUD_USER": "analytiker",
        "HELSETILBUD_TODAY": "2026-11-26",
    }
    with voila(NOTEBOOK, env, folder / "voila.log") as url:
        yield url  # one notebook served: it is the root page


@pytest.fixture
def page(page_url: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(page_url)
        page.locator(".ht-adopt").first.wait_for(timeout=LOAD)
        yield page
        context.close()
        browser.close()


def test_each_chart_tab_shows_a_rendered_image_with_a_text_alternative(page) -> None:  # type: ignore[no-untyped-def]
    for name in CHART_TABS:
        page.get_by_role("tab", name=name).click()
        image = page.locator("figure.ht-chart img:visible")
        image.first.wait_for()
        assert image.count() == 1, name
        alt = image.get_attribute("alt") or ""
        assert len(alt) > 40, (name, alt)
        width, height = image.evaluate("i => [i.naturalWidth, i.naturalHeight]")
        assert width >= 600 and height >= 300, (name, width, height)
        assert image.bounding_box()["width"] > 300, name  # type: ignore[index]
    assert "Tallene i figuren" in page.locator("figure.ht-chart:visible").inner_text()


def test_the_page_shows_no_figure_text_and_no_nbval_summary(page) -> None:  # type: ignore[no-untyped-def]
    for name in CHART_TABS:
        page.get_by_role("tab", name=name).click()
        page.locator("figure.ht-chart img:visible").first.wait_for()
        text = page.locator("body").inner_text()
        assert "<Figure" not in text and "Figure size" not in text, name
    content = page.content()
    assert "&lt;Figure" not in content
    for summary_line in ("Legekontorer: 2", "Verktøy i bruk:", "Tekster med innhold:"):
        assert summary_line not in page.locator("body").inner_text()
