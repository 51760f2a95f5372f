"""«Prøv skjemaet» in Chromium: three instances of a repeated group; a calculated total, a date
of birth after today and a weight in kg."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.e2e.voila_server import CHROMIUM, REPO, build_small_db, voila
from tests.forms_examples import rules_form

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler (apt chromium)"),
]
NOTEBOOK = REPO / "notebooks" / "rediger.ipynb"
FORM = {
    "resourceType": "Questionnaire",
    "id": "medisinliste",
    "status": "active",
    "title": "Medisinliste",
    "item": [
        {
            "linkId": "medisin",
            "type": "group",
            "text": "Medisin",
            "repeats": True,
            "item": [{"linkId": "navn", "type": "string", "text": "Navn", "required": True}],
        }
    ],
}


@pytest.fixture(scope="module")
def kari_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from helsetilbud.db import make_engine, make_session_factory, transaction
    from helsetilbud.model import ToolService, TriageTool

    url = build_small_db(tmp_path_factory.mktemp("e2e") / "repeats.sqlite")
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        tool = TriageTool(
            id="medisinliste",
            title="Medisinliste",
            kind="kontrollsporsmal",
            questionnaire=json.dumps(FORM),
        )
        tool.services = [ToolService(service="e_konsultasjon")]
        rules = TriageTool(
            id="regler", title="Regler", kind="kontrollsporsmal",
            questionnaire=json.dumps(rules_form()),
        )  # fmt: skip
        rules.services = [ToolService(service="e_konsultasjon")]
        session.add_all([tool, rules])
    engine.dispose()
    env = {"HELSETILBUD_DB_URL": url, "HELSETILBUD_USER": "1000001"}
    with voila(NOTEBOOK, env, tmp_path_factory.mktemp("logs") / "kari.log") as page_url:
        yield page_url


def _trial(new_context, url: str, tool: str):  # type: ignore[no-untyped-def]
    """Kari's dashboard, ENDRE on e-konsultasjon, the tool chosen and «Prøv skjemaet» open."""
    page = new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    page.locator(".ht-app").wait_for(timeout=90_000)
    page.get_by_role("tab", name="TRIAGERINGSVERKTØY").click()
    page.locator(".ht-change-e_konsultasjon").click()
    page.locator(".ht-choice-radio-e_konsultasjon").get_by_text(tool).click()
    page.locator(".ht-choice-try").click()
    return page


def test_a_gp_adds_three_medicines_in_the_trial_and_gets_the_pdf(kari_url, new_context):
    page = _trial(new_context, kari_url, "Medisinliste")
    for _ in range(2):
        page.locator(".ht-form-add-medisin").click()
    fields = page.get_by_label("Navn (må fylles ut)")
    page.locator(".ht-form-instance-medisin").nth(2).wait_for()
    assert fields.count() == 3
    for index, name in enumerate(["Paracet", "Ibux", "Ventoline"]):
        fields.nth(index).fill(name)
        fields.nth(index).press("Tab")
    page.locator(".ht-form-remove-medisin").first.wait_for()
    page.locator(".ht-form-check").click()
    page.locator(".ht-form-summary", has_text="Svarene er gyldige").wait_for()
    assert page.locator(".ht-form-pdf a").get_attribute("download") == "Medisinliste.pdf"


def test_a_gp_sees_the_total_computed_the_unit_and_a_birth_date_after_today_refused(
    kari_url, new_context
):
    page = _trial(new_context, kari_url, "Regler")
    field = lambda name: page.get_by_role("textbox", name=name, exact=True)  # noqa: E731
    total = field("Sum")
    field("A").fill("5")
    field("A").press("Tab")
    for _ in range(40):
        if total.input_value() == "7":
            break
        page.wait_for_timeout(250)
    assert total.input_value() == "7"  # 5 + the prefilled 2, computed as the GP types
    weight = field("Vekt (kg)")
    weight.fill("72,5")
    born = field("Fødselsdato")
    born.fill("01.01.2099")
    born.press("Tab")
    page.locator(".ht-form-check").click()
    page.get_by_text("Datoen kan ikke være etter", exact=False).first.wait_for()
    born.fill("17.05.1990")
    born.press("Tab")
    page.locator(".ht-form-check").click()
    page.locator(".ht-form-summary", has_text="Svarene er gyldige").wait_for()
    assert page.locator(".ht-form-pdf a").get_attribute("download") == "Regler.pdf"
