"""TJENESTER, issue 15: vikars listed, added and removed; the holiday choice; labelled fields."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from helsetilbud.model import HolidayRule, Vikar
from helsetilbud.oslo_time import OSLO

TODAY = datetime.now(OSLO).date()


def _register(tab, hpr="2000001", name="Vera Vikar", days=(0, 3)):  # type: ignore[no-untyped-def]
    panel = tab.vikars
    panel.hpr.value, panel.name.value = hpr, name
    panel.first.value = TODAY + timedelta(days=days[0])
    panel.last.value = TODAY + timedelta(days=days[1])
    panel.add.click()
    return panel


def test_the_gp_registers_a_vikar_sees_them_listed_and_removes_them(app_for, factory, country):
    tab = app_for(country.kari).editor.tab(2)
    assert tab.vikars.list.value == country.kari  # only Kari's own list may be chosen
    panel = _register(tab)
    assert "registrert som vikar" in panel.status.value, panel.status.value
    rows = panel.listing.children
    assert "Vera Vikar (HPR 2000001) for Kari Nordmann" in rows[0].children[0].value
    rows[0].children[1].click()
    assert "fjernet" in panel.status.value
    with factory() as session:
        assert session.scalar(select(Vikar)) is None


def test_a_period_that_ends_before_it_starts_is_refused_in_the_tab(app_for, factory, country):
    panel = _register(app_for(country.kari).editor.tab(2), days=(5, 1))
    assert "før den begynner" in panel.status.value
    with factory() as session:
        assert session.scalar(select(Vikar)) is None


def test_the_vikar_logs_in_with_their_hpr_and_switches_the_lists_services(
    app_for, factory, country
):  # type: ignore[no-untyped-def]
    _register(app_for(country.staff).editor.tab(2))
    tab = app_for("2000001").editor.tab(2)
    assert tab.own is not None and tab.own.hpr == country.kari
    tab.toggles["e_konsultasjon"].value = False
    tab.save.click()
    assert "lagret" in tab.status.value, tab.status.value


def test_the_holiday_choice_is_saved_and_shows_the_next_holidays_it_closes(
    app_for, factory, country
):  # type: ignore[no-untyped-def]
    tab = app_for(country.kari).editor.tab(2)
    form = tab.holidays
    form.all.click()
    form.save.click()
    assert "Alle fire tjenestene stengt på helligdager" in tab.status.value
    assert 'data-testid="holiday-next"' in form.upcoming.value
    with factory() as session:
        rule = session.scalar(select(HolidayRule))
        assert rule is not None and rule.services.count(",") == 3


def test_every_date_and_time_field_of_the_closure_form_has_its_own_label(app_for, country):
    form = app_for(country.kari).editor.tab(2).form
    fields = (form.from_day, form.from_time, form.to_day, form.to_time, form.daily_from,
              form.daily_to)  # fmt: skip
    labels = [f.description for f in fields]
    assert all(labels) and len(set(labels[:4])) == 4
