"""Universell utforming (WCAG 2.1 AA) of every page in headless Chromium: axe-core finds no
critical or serious problem in any dashboard tab or state, notebook or preview page; no
focusable control is nameless; nothing scrolls sideways at 320 px; a keyboard user can edit
and save with a visible focus ring; and no page asks anything of another machine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from helsetilbud.cli.setup import NOTEBOOKS_DIR
from helsetilbud.oslo_time import OSLO
from helsetilbud.patient_view import patient_view
from helsetilbud.preview import PAGES, STEPS, render_page
from helsetilbud.preview.example import example_snapshot
from tests.e2e.a11y import axe_findings, focus_ring, ring_is_visible, sideways, unnamed_focusables
from tests.e2e.voila_server import CHROMIUM, build_small_db, voila

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler (apt chromium)"),
]
LOAD = 90_000
SHOWN = ".ht-app, .ht-adopt, .ht-control, .ht-preview-browser, .ht-denied, .ht-ready"
KARI = "1000001"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The notebooks folder served twice: for GP Kari and for NHN's analyst."""
    folder = tmp_path_factory.mktemp("uu")
    db = build_small_db(folder / "uu.sqlite")
    env = {"HELSETILBUD_DB_URL": db, "HELSETILBUD_TODAY": "2026-11-26"}
    with (
        voila(NOTEBOOKS_DIR, {**env, "HELSETILBUD_USER": KARI}, folder / "gp.log") as gp,
        voila(NOTEBOOKS_DIR, {**env, "HELSETILBUD_USER": "analytiker"}, folder / "nhn.log") as nhn,
    ):
        yield {"gp": gp, "analytiker": nhn}


@pytest.fixture
def open_page(new_context) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """`open_page(url, width=1400)`: a page loaded until the app shows, with every request
    it makes recorded in `page.requests`."""

    def make(url: str, width: int = 1400, height: int = 1000) -> Any:
        page = new_context(viewport={"width": width, "height": height}).new_page()
        page.set_default_timeout(20_000)
        page.requests = []
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(url)
        page.locator(SHOWN).first.wait_for(timeout=LOAD)
        page.wait_for_timeout(300)  # the accessibility bridge runs on the next frame
        return page

    return make


def _notebook(base: str, name: str) -> str:
    return f"{base}voila/render/{name}.ipynb"


def _check(page: Any, state: str, problems: dict[str, list[str]]) -> None:
    page.wait_for_timeout(300)
    found = axe_findings(page) + [f"uten navn: {n}" for n in unnamed_focusables(page)]
    if found:
        problems[state] = found


def _only_local(page: Any) -> list[str]:
    return [u for u in page.requests if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]


def _tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(500)


def test_every_tab_and_state_of_the_dashboard_passes_axe_and_names_every_control(
    servers, open_page
):
    problems: dict[str, list[str]] = {}
    page = open_page(_notebook(servers["gp"], "rediger"))
    assert page.evaluate("document.documentElement.lang") == "nb"
    _check(page, "INFOMELDINGER", problems)

    box = page.locator(".ht-text-reseptfornyelse textarea")
    box.fill("x" * 310)
    page.locator(".ht-counter-reseptfornyelse.ht-over").wait_for()
    page.locator(".ht-text-reseptfornyelse textarea[aria-invalid=true]").wait_for()
    described = (box.get_attribute("aria-describedby") or "").split()
    assert any("for lang" in page.locator(f"#{i}").inner_text() for i in described)
    page.locator("[role=status]", has_text="fjern 10 tegn").first.wait_for(state="attached")
    _check(page, "for lang tekst", problems)
    page.locator(".ht-cancel-reseptfornyelse").click()

    page.locator(".ht-scheduled-toggle-timebestilling").click()
    page.locator(".ht-scheduled-timebestilling").wait_for()
    _check(page, "Planlagt tekst åpen", problems)

    other = open_page(_notebook(servers["gp"], "rediger"))
    page.locator(".ht-text-helsekontakt textarea").fill("Min beskjed")
    other.locator(".ht-text-helsekontakt textarea").fill("Den andres beskjed")
    other.locator(".ht-save-helsekontakt").click()
    other.locator(".ht-status-helsekontakt", has_text="Lagret").wait_for()
    page.locator(".ht-save-helsekontakt").click()
    page.locator(".ht-conflict-helsekontakt [role=alert]").wait_for()
    _check(page, "konflikt", problems)
    page.locator(".ht-keep-theirs-helsekontakt").click()

    _tab(page, "TRIAGERINGSVERKTØY")
    _check(page, "TRIAGERINGSVERKTØY", problems)
    page.locator(".ht-change-e_konsultasjon").click()
    page.get_by_text("Hvis du velger et verktøy her").wait_for()
    _check(page, "ENDRE", problems)
    page.locator(".ht-choice-radio-e_konsultasjon").get_by_text("Beskriv symptomene dine").click()
    page.locator(".ht-choice-try").click()
    page.locator(".ht-form-check").click()
    page.locator(".ht-form-summary", has_text="feil").wait_for()
    _check(page, "Prøv skjemaet med feil", problems)

    for tab in ("TJENESTER", "HISTORIKK"):
        _tab(page, tab)
        _check(page, tab, problems)
    assert problems == {}
    assert _only_local(page) == []


@pytest.mark.parametrize(
    ("login", "notebook"),
    [
        ("analytiker", "adopsjon"),
        ("analytiker", "kontroll"),
        ("analytiker", "katalog"),
        ("gp", "forhandsvisning"),
        ("gp", "adopsjon"),  # «Ingen tilgang» is a page too
    ],
)
def test_each_notebook_passes_axe_reflows_at_320_px_and_asks_nothing_from_outside(
    servers, open_page, login, notebook
):
    problems: dict[str, list[str]] = {}
    page = open_page(_notebook(servers[login], notebook))
    assert page.evaluate("document.documentElement.lang") == "nb"
    _check(page, notebook, problems)
    tabs = page.get_by_role("tab")
    for i in range(tabs.count()):
        tabs.nth(i).click()
        _check(page, f"{notebook}: {tabs.nth(i).inner_text()}", problems)
    page.set_viewport_size({"width": 320, "height": 700})
    for i in range(max(tabs.count(), 1)):
        if tabs.count():
            tabs.nth(i).click()
        page.wait_for_timeout(400)
        if found := sideways(page):
            problems[f"{notebook} ved 320 px, fane {i + 1}"] = found
    assert problems == {}
    assert _only_local(page) == []


def test_the_list_of_notebooks_is_norwegian_and_passes_axe(servers, new_context):
    page = new_context(viewport={"width": 320, "height": 700}).new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(servers["gp"])
    assert page.evaluate("document.documentElement.lang") == "nb"
    page.get_by_role("link", name="Rediger legekontoret").click()
    page.locator(".ht-app").wait_for(timeout=LOAD)
    page.go_back()
    assert axe_findings(page) == []
    assert unnamed_focusables(page) == []
    assert sideways(page) == []
    assert [u for u in requests if not u.startswith("http://127.0.0.1")] == []


def test_at_320_px_no_dashboard_tab_scrolls_sideways_or_clips_a_control(servers, open_page):
    page = open_page(_notebook(servers["gp"], "rediger"), width=320, height=700)
    found = {"INFOMELDINGER": sideways(page)}
    for tab in ("TRIAGERINGSVERKTØY", "TJENESTER", "HISTORIKK"):
        _tab(page, tab)
        found[tab] = sideways(page)
    assert {tab: f for tab, f in found.items() if f} == {}


def _preview_files(folder: Path) -> list[Path]:
    office = example_snapshot()
    view = patient_view(office, None, datetime(2026, 11, 26, 12, tzinfo=OSLO))
    files = []
    for page in PAGES:
        for step in STEPS if page != "forside" else ("melding",):
            path = folder / f"{page}-{step}.html"
            path.write_text(render_page(view, page, step=step), encoding="utf-8")
            files.append(path)
    return files


def test_every_preview_page_passes_axe_and_reflows_at_320_px_and_200_percent(new_context, tmp_path):
    problems: dict[str, list[str]] = {}
    narrow = new_context(viewport={"width": 320, "height": 700}).new_page()
    zoomed = new_context(viewport={"width": 640, "height": 500}, device_scale_factor=2).new_page()
    for path in _preview_files(tmp_path):
        for page, how in ((narrow, "320 px"), (zoomed, "200 %")):
            page.goto(path.as_uri())
            found = sideways(page)
            if how == "320 px":
                found += axe_findings(page) + unnamed_focusables(page)
            if found:
                problems[f"{path.stem} ({how})"] = found
    assert problems == {}


class Keyboard:
    """A keyboard-only user: Tab, arrows, Space and Enter; the focus ring seen at every stop."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.rings: list[dict[str, Any]] = []

    def _press(self, key: str) -> None:
        self.page.keyboard.press(key)
        ring = focus_ring(self.page)
        if ring is not None:
            self.rings.append(ring)

    def _focused(self, selector: str) -> bool:
        return bool(self.page.evaluate(f"!!document.activeElement.closest({selector!r})"))

    def tab_to(self, selector: str, limit: int = 80) -> None:
        """Tab forward until the focus is inside `selector`."""
        for _ in range(limit):
            self._press("Tab")
            if self._focused(selector):
                return
        raise AssertionError(f"Tab nådde aldri {selector}")

    def open_tab(self, name: str) -> None:
        """Shift+Tab back to the tab bar, arrows to the tab, Enter."""
        for _ in range(80):
            if self._focused("[role=tab]"):
                break
            self._press("Shift+Tab")
        for _ in range(8):
            if name in self.page.evaluate("document.activeElement.textContent"):
                self._press("Enter")
                self.page.get_by_role("tab", name=name, selected=True).wait_for()
                return
            self._press("ArrowRight")
        raise AssertionError(f"Fant ikke fanen {name}")

    def weak_rings(self) -> list[dict[str, Any]]:
        return [r for r in self.rings if not ring_is_visible(r)]


AREAS = ("helsekontakt", "reseptfornyelse", "e_konsultasjon", "kontakt_legekontoret")


def test_keyboard_only_a_gp_does_every_task_with_a_visible_focus_ring(servers, open_page):
    page = open_page(_notebook(servers["gp"], "rediger"))
    keys = Keyboard(page)
    for area in (*AREAS, "timebestilling", "helsekontakt"):  # twice: one to restore later
        keys.tab_to(f".ht-text-{area}")
        page.keyboard.type(" Gjelder fra januar.")
        typed = len(page.locator(f".ht-text-{area} textarea").input_value().strip())
        page.locator(f".ht-counter-{area}", has_text=f"{typed}/").wait_for()  # as the GP sees
        keys.tab_to(f".ht-save-{area}")
        keys._press("Enter")
        page.locator(f".ht-status-{area}[role=status]").get_by_text("Lagret").wait_for()
        # LAGRE turns disabled after the save; the focus goes back to the text box
        page.wait_for_function(f"!!document.activeElement.closest('.ht-text-{area}')", timeout=5000)

    keys.open_tab("TRIAGERINGSVERKTØY")
    keys.tab_to(".ht-change-e_konsultasjon")
    keys._press("Enter")
    keys.tab_to(".ht-choice-radio-e_konsultasjon")
    chosen = page.locator(".ht-choice-radio-e_konsultasjon input:checked")
    for _ in range(10):
        if "Beskriv symptomene" in chosen.evaluate("i => i.parentElement.textContent"):
            break
        keys._press("ArrowDown")
    keys.tab_to(".ht-choice-save")
    keys._press("Enter")
    page.locator(".ht-tool-e_konsultasjon", has_text="Beskriv symptomene dine").wait_for()

    keys.open_tab("TJENESTER")
    keys.tab_to(".ht-service-timebestilling")
    keys._press("Space")
    keys.tab_to(".ht-services-save")
    keys._press("Enter")
    page.locator(".ht-services-status[role=status]", has_text="lagret").wait_for()
    keys.tab_to(".ht-closure-from")
    page.keyboard.type("05052027")  # day and month alike: any order of the date field's parts
    keys.tab_to(".ht-closure-to")
    page.keyboard.type("06062027")
    keys.tab_to(".ht-closure-add")
    keys._press("Enter")
    page.get_by_text("Stengningen er lagt til.").wait_for()

    keys.open_tab("HISTORIKK")
    keys.tab_to("[class*='ht-restore-']")
    keys._press("Enter")
    page.locator(".ht-history-status[role=status]", has_text="gjenopprettet").wait_for()

    assert keys.weak_rings() == []
    assert len(keys.rings) > 30


def test_the_preview_in_the_dashboard_is_scrollable_but_out_of_the_tab_order(servers, open_page):
    page = open_page(_notebook(servers["gp"], "rediger"))
    preview = page.locator(".ht-preview").first
    assert preview.get_attribute("tabindex") == "0"
    assert "Forhåndsvisning" in (preview.get_attribute("aria-label") or "")
    inside = preview.locator("a, button, input, select, textarea")
    assert inside.count() > 0
    assert inside.evaluate_all("els => els.filter(e => e.tabIndex >= 0).length") == 0
