"""Office text with script or an onerror image renders inert in Chromium."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from helsetilbud.patient_view import OSLO, patient_view
from helsetilbud.preview import PAGES, render_page
from helsetilbud.preview.example import example_snapshot
from tests.e2e.voila_server import CHROMIUM, launch_chromium

pytestmark = pytest.mark.e2e

EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} finnes ikke (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


def evil_page(page: str, tmp_path: Path) -> Path:
    office = example_snapshot()
    area = "helsekontakt" if page == "forside" else page
    office = dataclasses.replace(office, texts={**office.texts, area: EVIL})
    view = patient_view(office, None, datetime(2026, 11, 26, 12, tzinfo=OSLO))
    path = tmp_path / f"{page}.html"
    path.write_text(render_page(view, page), encoding="utf-8")
    return path


@pytest.mark.parametrize("page", PAGES)
def test_office_text_with_script_and_onerror_is_shown_literally_and_never_runs(
    chromium_browser: object, page: str, tmp_path: Path
) -> None:
    tab = chromium_browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    try:
        tab.goto(evil_page(page, tmp_path).as_uri())
        tab.wait_for_timeout(300)
        assert dialogs == []
        assert tab.evaluate("typeof window.__pwned") == "undefined"
        assert tab.locator("script").count() == 0
        assert tab.locator("img").count() == 0
        box = tab.get_by_test_id("info-office-text")
        assert box.inner_text() == EVIL
        assert box.is_visible()
        assert [url for url in requests if not url.startswith("file:")] == []
    finally:
        tab.close()
