"""The forvalter's catalogue page in Voilà: publish a version, see the diff, roll out, and see
the adoption figures change; as an analyst, the same page refuses every write."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.voila_server import CHROMIUM, REPO, build_small_db, helsetilbud_serve

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler (apt chromium)"),
]
HEADER = "X-Helsetilbud-User"
LOAD = 90_000
TOOL = "beskriv-symptomene-dine"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`helsetilbud serve` behind a (pretend) login proxy; office A uses the old e-konsultasjon
    form (standard-sjekkpunkt), office B none."""
    from sqlalchemy import update

    from helsetilbud.db import make_engine, make_session_factory, transaction
    from helsetilbud.model import ToolAssignment

    folder = tmp_path_factory.mktemp("katalog")
    url = build_small_db(folder / "katalog.sqlite")
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as s:
        s.execute(
            update(ToolAssignment)
            .where(ToolAssignment.service == "e_konsultasjon", ToolAssignment.office_id == 1)
            .values(tool_id="standard-sjekkpunkt")
        )
    engine.dispose()
    args = ["--db", url, "--trusted-header", HEADER]
    with helsetilbud_serve(args, {}, folder / "serve.log") as (base, _):
        yield base


def _open(new_context, base: str, notebook: str, login: str):  # type: ignore[no-untyped-def]
    ctx = new_context(extra_http_headers={HEADER: login}, viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/voila/render/{notebook}.ipynb")
    page.locator(".ht-catalog, .ht-adopt, .ht-denied").first.wait_for(timeout=LOAD)
    return page


def _new_version(folder: Path) -> Path:
    form = json.loads((REPO / f"data/questionnaires/{TOOL}.json").read_text("utf-8"))
    form["version"] = "1.1.0"
    form["item"][0]["text"] = "Hva gjelder henvendelsen din?"
    path = folder / "beskriv-symptomene-dine-1.1.0.json"
    path.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    return path


def _ekonsultasjon_row(page) -> str:  # type: ignore[no-untyped-def]
    rows = page.locator(".ht-adopt table.ht-data tr", has_text="Beskriv symptomene dine")
    return " | ".join(rows.all_inner_texts())


def test_the_forvalter_publishes_a_version_rolls_it_out_and_the_adoption_figures_follow(
    server: str, new_context, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    adoption = _open(new_context, server, "adopsjon", "forvalter")
    assert _ekonsultasjon_row(adoption) == ""  # no office uses the new form yet

    page = _open(new_context, server, "katalog", "forvalter")
    page.get_by_role("tab", name="Versjoner").click()
    with page.expect_file_chooser() as chooser:
        page.locator(".ht-cat-publish-upload").click()
    chooser.value.set_files(_new_version(tmp_path))
    diff = page.locator(".ht-diff", has_text="1.0.0 → 1.1.0")
    diff.wait_for()
    assert "«Hva gjelder henvendelsen?» → «Hva gjelder henvendelsen din?»" in diff.inner_text()
    assert page.locator(".ht-side-by-side .hn-form").count() == 2
    page.locator(".ht-cat-publish-save").click()
    page.locator(".ht-cat-publish [role=status]", has_text="Publiserte versjon 1.1.0").wait_for()

    page.get_by_role("tab", name="Utrulling").click()
    page.locator(".ht-cat-rollout-dry").click()
    result = page.locator(".ht-cat-rollout table.ht-data")
    result.wait_for()
    assert "Sentrum legesenter" in result.inner_text()
    assert "Fjordlegene" not in result.inner_text()
    assert page.get_by_role("link", name="Last ned listen (CSV)").count() == 1
    page.locator(".ht-cat-rollout-apply").click()
    page.locator(".ht-cat-rollout [role=status]", has_text="Utført: 1 legekontor").wait_for()
    page.get_by_role("tab", name="Historikk").click()
    page.locator("td", has_text="Utrulling for e-konsultasjon").wait_for()

    adoption.reload()
    adoption.locator(".ht-adopt").first.wait_for(timeout=LOAD)
    row = _ekonsultasjon_row(adoption)
    assert "e-konsultasjon" in row and "50,0 %" in row


def test_an_analyst_reads_the_catalogue_and_every_write_button_is_disabled(
    server: str, new_context
) -> None:  # type: ignore[no-untyped-def]
    page = _open(new_context, server, "katalog", "analytiker")
    assert "bare lesetilgang" in page.locator(".ht-catalog").inner_text()
    assert page.locator(".ht-catalog table.ht-data").first.is_visible()
    for tab, button in (
        ("Versjoner", ".ht-cat-publish-save"),
        ("Nytt verktøy", ".ht-cat-add-save"),
        ("Utrulling", ".ht-cat-rollout-dry"),
        ("Utrulling", ".ht-cat-rollout-apply"),
    ):
        page.get_by_role("tab", name=tab).click()
        assert page.locator(button).is_disabled(), button
