"""TJENESTER for a GP and HISTORIKK with restore."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from helsetilbud.model import Gp, ServiceClosure
from tests.ui.test_dashboard_info_cards import stored_text


def test_a_gp_switches_a_service_off(app_for, factory, country):
    app = app_for(country.kari)
    tab = app.editor.tab(2)
    assert tab.toggles["timebestilling"].value is True
    tab.toggles["timebestilling"].value = False
    tab.save.click()
    assert "lagret" in tab.status.value
    with factory() as session:
        assert session.scalar(select(Gp.timebestilling).where(Gp.hpr == country.kari)) is False
    app.editor.preview.page.value = "forside"
    assert "Bestill time" not in app.editor.preview.html.value


def test_a_gp_adds_a_weekly_and_a_period_closure_and_removes_one(app_for, factory, country):
    tab = app_for(country.kari).editor.tab(2)
    form = tab.form
    form.service.value = "e_konsultasjon"
    form.kind.value = "weekly"
    form.weekdays.value = (5, 6)
    form.daily_from.value, form.daily_to.value = time(0, 0), time(23, 0)
    form.add.click()
    assert "lagt til" in tab.status.value, tab.status.value
    form.kind.value = "period"
    form.from_day.value, form.from_time.value = date(2099, 7, 1), time(8, 0)
    form.to_day.value, form.to_time.value = date(2099, 7, 21), time(8, 0)
    form.note.value = "Ferie"
    form.add.click()
    texts = [row.children[0].value for row in tab.closures.children]
    assert any("lørdag, søndag" in t for t in texts)
    assert any("Ferie" in t for t in texts)
    tab.closures.children[0].children[1].click()
    with factory() as session:
        assert len(session.scalars(select(ServiceClosure)).all()) == 1


def test_a_closure_without_dates_shows_a_norwegian_error(app_for, country):
    tab = app_for(country.kari).editor.tab(2)
    tab.form.add.click()
    assert "Velg dato" in tab.status.value


def test_history_lists_the_change_and_restore_brings_it_back(app_for, factory, country):
    app = app_for(country.kari)
    card = app.editor.cards.cards["helsekontakt"]
    card.textarea.value = "Første versjon"
    card.save.click()
    card.textarea.value = "Andre versjon"
    card.save.click()
    history = app.editor.tab(3)
    rows = history.table.children[1:]
    assert "Andre versjon" in rows[0].children[3].value
    assert "Kari Nordmann" in rows[0].children[1].value
    restore = rows[1].children[4].children[0]  # the event that saved "Første versjon"
    assert restore.description == "Gjenopprett"
    restore.click()
    assert stored_text(factory, country.office_a, "helsekontakt") == "Første versjon"
    assert card.textarea.value == "Første versjon"
    assert "gjenopprettet" in history.status.value
    assert "Første versjon" in history.table.children[1].children[3].value
