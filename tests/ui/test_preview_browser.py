"""The preview browser driven as a widget: pick office, GP, moment and page."""

from __future__ import annotations

import pytest

from helsetilbud.db import SessionFactory
from helsetilbud.ui.preview_browser import PreviewBrowser
from tests.builders import SmallCountry


@pytest.fixture
def browser(
    factory: SessionFactory, country: SmallCountry, monkeypatch: pytest.MonkeyPatch
) -> PreviewBrowser:
    monkeypatch.setenv("HELSETILBUD_TODAY", "2026-11-26")
    return PreviewBrowser(factory)


def test_the_first_office_is_shown_at_noon_on_the_fixed_day(browser: PreviewBrowser) -> None:
    assert browser.office.value == "Fjordlegene (100002)"
    assert browser.summary() == (
        "Fjordlegene (HER-id 100002), Per Berg, 26.11.2026 kl. 12:00: "
        "Bestill time, Forny resept, Start e-konsultasjon, Kontakt legekontoret"
    )
    assert 'data-testid="panel"' in browser.html.value


def test_choosing_office_gp_and_page_rerenders(
    browser: PreviewBrowser, country: SmallCountry
) -> None:
    browser.office.value = "Sentrum legesenter (100001)"
    assert browser.gp.value == country.kari
    browser.gp.value = country.ola
    assert "Start e-konsultasjon" not in browser.summary()
    browser.page.value = "reseptfornyelse"
    assert 'data-testid="form"' in browser.html.value
    browser.step.value = "melding"
    assert 'data-testid="attachment-pdf"' in browser.html.value
    assert "<script" not in browser.html.value


def test_a_bad_time_is_explained_and_a_typed_her_id_works(browser: PreviewBrowser) -> None:
    browser.clock.value = "kl tolv"
    assert "tt:mm" in browser.status.value
    browser.clock.value = "08:30"
    assert browser.status.value == ""
    assert "kl. 08:30" in browser.summary()
    browser.office.value = "100001"
    assert browser.summary().startswith("Sentrum legesenter")
