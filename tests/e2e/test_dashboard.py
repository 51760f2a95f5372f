"""A newcomer's path through the dashboard in headless Chromium, Voilà started by the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.voila_server import CHROMIUM, REPO, build_small_db, voila

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler (apt chromium)"),
]
NOTEBOOK = REPO / "notebooks" / "rediger.ipynb"
KARI, OLA = "1000001", "1000002"
LOAD = 90_000


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_small_db(tmp_path_factory.mktemp("e2e") / "dashboard.sqlite")


@pytest.fixture(scope="module")
def servers(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One Voilà per login: Kari and Ola (GPs of one office) and the analyst."""
    logs = tmp_path_factory.mktemp("voila-logs")
    with (
        voila(NOTEBOOK, _env(db_url, KARI), logs / "kari.log") as kari,
        voila(NOTEBOOK, _env(db_url, OLA), logs / "ola.log") as ola,
        voila(NOTEBOOK, _env(db_url, "analytiker"), logs / "analytiker.log") as analyst,
    ):
        yield {"kari": kari, "ola": ola, "analytiker": analyst}


def _env(db_url: str, login: str) -> dict[str, str]:
    return {"HELSETILBUD_DB_URL": db_url, "HELSETILBUD_USER": login}


@pytest.fixture
def new_page(new_context):  # type: ignore[no-untyped-def]
    def make(url: str, width: int = 1400, before_goto=None):  # type: ignore[no-untyped-def]
        page = new_context(viewport={"width": width, "height": 1000}).new_page()
        page.set_default_timeout(20_000)
        if before_goto is not None:
            before_goto(page)
        page.goto(url)
        page.locator(".ht-app").wait_for(timeout=LOAD)
        return page

    return make


def _text(page, area: str):  # type: ignore[no-untyped-def]
    return page.locator(f".ht-text-{area} textarea")


def _record_frames(frames: list[bytes]):  # type: ignore[no-untyped-def]
    """For `new_page(before_goto=…)`: every WebSocket frame the page receives, as bytes."""

    def on_page(page) -> None:  # type: ignore[no-untyped-def]
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived", lambda f: frames.append(f.encode() if isinstance(f, str) else f)
            ),
        )

    return on_page


def test_a_gp_types_sees_counter_and_preview_saves_and_finds_it_after_reload(servers, new_page):
    frames: list[bytes] = []
    page = new_page(servers["kari"], before_goto=_record_frames(frames))
    assert "Kari Nordmann" in page.locator(".ht-header").inner_text()
    box = _text(page, "reseptfornyelse")
    box.fill("Vi fornyer resepter innen tre dager.")
    page.locator(".ht-counter-reseptfornyelse", has_text="36/300").wait_for()
    page.locator(".ht-card-reseptfornyelse.ht-editing").wait_for()
    page.locator(".ht-preview", has_text="Vi fornyer resepter innen tre dager.").wait_for()
    box.fill("x" * 301)
    page.locator(".ht-counter-reseptfornyelse.ht-over").wait_for()
    assert page.locator(".ht-save-reseptfornyelse").is_disabled()
    box.fill("Vi fornyer resepter innen tre dager.")
    page.locator(".ht-save-reseptfornyelse").click()
    page.locator(".ht-status-reseptfornyelse", has_text="Lagret").wait_for()
    assert frames, "siden fikk ingen meldinger fra kjernen"
    # One page per kernel: the kernel does not send each keystroke back (0023).
    assert not [f for f in frames if b"echo_update" in f]
    page.reload()
    page.locator(".ht-app").wait_for(timeout=LOAD)
    assert _text(page, "reseptfornyelse").input_value() == "Vi fornyer resepter innen tre dager."


def test_a_gp_changes_a_tool_and_tries_the_form(servers, new_page):
    page = new_page(servers["kari"])
    page.get_by_role("tab", name="TRIAGERINGSVERKTØY").click()
    page.locator(".ht-tool-e_konsultasjon", has_text="Ingen").wait_for()
    page.locator(".ht-change-e_konsultasjon").click()
    page.get_by_text("Hvis du velger et verktøy her").wait_for()
    page.locator(".ht-choice-radio-e_konsultasjon").get_by_text("Beskriv symptomene dine").click()
    page.locator(".ht-choice-try").click()
    page.locator(".ht-form-check").click()
    page.locator(".ht-form-summary", has_text="feil").wait_for()
    assert page.get_by_text("Du må fylle ut dette feltet.").count() >= 1
    page.locator(".ht-choice-save").click()
    page.locator(
        ".ht-tool-e_konsultasjon", has_text="Kontrollspørsmål: Beskriv symptomene dine"
    ).wait_for()


def test_two_gps_of_one_office_meet_a_conflict_and_lose_nothing(servers, new_page):
    kari, ola = new_page(servers["kari"]), new_page(servers["ola"])
    _text(kari, "kontakt_legekontoret").fill("Karis beskjed")
    _text(ola, "kontakt_legekontoret").fill("Olas beskjed")
    kari.locator(".ht-save-kontakt_legekontoret").click()
    kari.locator(".ht-status-kontakt_legekontoret", has_text="Lagret").wait_for()
    ola.locator(".ht-save-kontakt_legekontoret").click()
    conflict = ola.locator(".ht-conflict-kontakt_legekontoret")
    conflict.get_by_text("Karis beskjed").wait_for()
    assert "Kari Nordmann" in conflict.inner_text()
    assert _text(ola, "kontakt_legekontoret").input_value() == "Olas beskjed"
    ola.locator(".ht-overwrite-kontakt_legekontoret").click()
    ola.locator(".ht-status-kontakt_legekontoret", has_text="Lagret").wait_for()


def test_an_analyst_chooses_an_office_and_sees_no_way_to_edit(servers, new_page):
    page = new_page(servers["analytiker"])
    page.locator(".ht-office-picker select").select_option(
        label="Sentrum legesenter, HER-id 100001"
    )
    page.locator(".ht-read-only").wait_for()
    assert _text(page, "helsekontakt").is_disabled()
    assert page.locator("[class*='ht-save-']").count() == 0
    page.get_by_role("tab", name="TRIAGERINGSVERKTØY").click()
    page.locator(".ht-tool-reseptfornyelse").wait_for()
    assert page.locator("[class*='ht-change-']").count() == 0


def test_the_page_shows_no_sources_or_tracebacks(servers, new_page):
    page = new_page(servers["kari"])
    content = page.content()
    assert "EditorApp.from_environment" not in content
    assert "Traceback" not in content


def test_labels_are_shown_as_written_without_loading_mathjax(servers, new_page):
    page = new_page(servers["kari"])
    label = page.locator(".ht-card-kontakt_legekontoret .widget-textarea > .widget-label")
    assert label.inner_text() == "Tilleggsinformasjon fra legekontoret – Kontakt legekontoret"
    # ipywidgets hands each label to the page's typesetter: the inert one, not MathJax 3,
    # which would have added its stylesheet to the page (docs/decisions/0025-no-mathjax.md).
    page.wait_for_function("() => window.MathJax && window.MathJax.helsetilbud")
    assert page.locator("#MJX-CHTML-styles").count() == 0


CUT_LABELS = """() => [...document.querySelectorAll(
    '.jupyter-button, .lm-TabBar-tab, .lm-TabBar-tabLabel')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim())"""


def _cut(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The tab titles and button labels shown cut off (ellipsis or clipped) right now."""
    page.wait_for_timeout(200)  # let layout settle after the last change
    return page.evaluate(CUT_LABELS)


def test_every_tab_title_and_button_label_is_fully_visible_at_1440_px(servers, new_page):
    page, other = new_page(servers["kari"], 1440), new_page(servers["kari"], 1440)
    for tab in ("TRIAGERINGSVERKTØY", "TJENESTER", "HISTORIKK", "INFOMELDINGER"):
        page.get_by_role("tab", name=tab).wait_for()
    assert _cut(page) == []
    page.locator(".ht-scheduled-toggle-timebestilling").click()
    page.locator(".ht-scheduled-add-timebestilling").wait_for()
    _text(other, "timebestilling").fill("Ring oss for time.")
    _text(page, "timebestilling").fill("Bestill time på nett.")
    other.locator(".ht-save-timebestilling").click()
    other.locator(".ht-status-timebestilling", has_text="Lagret").wait_for()
    page.locator(".ht-save-timebestilling").click()
    page.locator(".ht-overwrite-timebestilling").wait_for()
    assert _cut(page) == []
    page.locator(".ht-keep-theirs-timebestilling").click()
    _text(page, "timebestilling").fill("Ring oss for time, eller bestill på nett.")
    page.locator(".ht-save-timebestilling").click()
    page.locator(".ht-status-timebestilling", has_text="Lagret").wait_for()
    page.get_by_role("tab", name="TRIAGERINGSVERKTØY").click()
    page.locator(".ht-change-reseptfornyelse").click()
    page.locator(".ht-choice-back").wait_for()
    page.locator(".ht-choice-try").click()
    page.locator(".ht-form-check").wait_for()
    assert _cut(page) == []
    page.locator(".ht-choice-back").click()
    page.get_by_role("tab", name="TJENESTER").click()
    other.get_by_role("tab", name="TJENESTER").click()
    for p in (page, other):
        p.locator(".ht-service-timebestilling input").uncheck()
    other.locator(".ht-services-save").click()
    other.locator(".ht-services-status", has_text="lagret").wait_for()
    page.locator(".ht-services-save").click()
    page.locator(".ht-services-overwrite").wait_for()
    assert _cut(page) == []
    page.locator(".ht-services-keep-theirs").click()
    page.locator(".ht-service-timebestilling input").check()
    page.locator(".ht-services-save").click()
    page.locator(".ht-services-status", has_text="lagret").wait_for()
    page.get_by_role("tab", name="HISTORIKK").click()
    page.locator(".ht-history-table").get_by_text("Gjenopprett").first.wait_for()
    assert _cut(page) == []


def test_the_preview_follows_the_tool_being_chosen_before_it_is_saved(servers, new_page):
    page = new_page(servers["kari"])
    page.get_by_role("tab", name="TRIAGERINGSVERKTØY").click()
    page.locator(".ht-change-timebestilling_koronatest").click()
    preview = page.locator(".ht-preview")
    preview.locator('[data-page="timebestilling"] [data-step="melding"]').wait_for()
    page.locator(".ht-choice-radio-timebestilling_koronatest").get_by_text(
        "Koronatest 2 - Symptomkartlegging"
    ).click()
    preview.locator('[data-step="skjema"]').wait_for()
    preview.locator(".ht-preview-draft").wait_for()
    assert "Koronatest 2 - Symptomkartlegging" in preview.inner_text()
    page.locator(".ht-choice-cancel").click()
    preview.locator('[data-state="saved"]').wait_for()
    preview.locator('[data-step="melding"]').wait_for()
    assert "Koronatest 2 - Symptomkartlegging" not in preview.inner_text()


def test_a_gp_registers_a_vikar_in_tjenester_and_the_preview_names_the_vikar(servers, new_page):
    from datetime import datetime, timedelta

    from helsetilbud.oslo_time import OSLO

    today = datetime.now(OSLO).date()
    page = new_page(servers["kari"])
    page.get_by_role("tab", name="TJENESTER").click()
    page.locator(".ht-vikar-list", has_text="Ingen vikarer").wait_for()
    page.locator(".ht-vikar-hpr input").fill("2000001")
    page.locator(".ht-vikar-name input").fill("Vera Vikar")
    page.locator(".ht-vikar-from input").fill(f"{today:%Y-%m-%d}")
    page.locator(".ht-vikar-to input").fill(f"{today + timedelta(days=2):%Y-%m-%d}")
    page.locator(".ht-vikar-add").click()
    page.locator(".ht-vikar-list", has_text="Vera Vikar (HPR 2000001)").wait_for()
    preview = page.locator(".ht-preview-panel")
    preview.locator('[data-testid="vikar-line"]', has_text="Vera Vikar er vikar").wait_for()
    assert "Fastlegen din er Kari Nordmann" in preview.inner_text()
    page.locator(".ht-vikar-panel").get_by_role("button", name="Fjern").click()
    page.locator(".ht-vikar-list", has_text="Ingen vikarer").wait_for()
    preview.locator('[data-testid="vikar-line"]').wait_for(state="detached")


TYPE_DATE_THEN_CLICK = """([date, partial, full, button]) => {
  // As a quick keyboard user: the date field gets a half-typed year, then the whole one, and
  // the button is pressed before the kernel has answered the first change.
  const input = document.querySelector(date);
  for (const value of [partial, full]) {
    input.value = value;
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }
  document.querySelector(button).click();
}"""


def test_a_click_right_after_typing_a_date_uses_the_whole_date(servers, new_page):
    page = new_page(servers["kari"])
    page.get_by_role("tab", name="TJENESTER").click()
    page.locator(".ht-closure-from input").fill("2027-05-05")
    page.locator(".ht-closure-from input").blur()
    page.wait_for_timeout(500)  # the start date is in the kernel before the race begins
    page.evaluate(
        TYPE_DATE_THEN_CLICK,
        [".ht-closure-to input", "0002-06-06", "2027-06-06", ".ht-closure-add"],
    )
    # Without the page's ordering (widget_order.js) the click overtook the whole year, and the
    # kernel refused a period that ended in year 2.
    page.get_by_text("Stengningen er lagt til.").wait_for()
    assert "Sluttidspunktet må komme etter" not in page.locator(".ht-services-tab").inner_text()
