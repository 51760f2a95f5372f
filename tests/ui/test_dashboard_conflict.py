"""Two GPs of one office edit the same text: the second sees the first's text, who and when."""

from __future__ import annotations

from tests.ui.test_dashboard_info_cards import stored_text


def _two_cards(app_for, country):
    kari = app_for(country.kari).editor.cards.cards["reseptfornyelse"]
    ola = app_for(country.ola).editor.cards.cards["reseptfornyelse"]
    kari.textarea.value = "Karis tekst"
    ola.textarea.value = "Olas tekst"
    kari.save.click()
    ola.save.click()
    return kari, ola


def test_the_second_save_shows_the_first_gps_text_who_and_when(app_for, factory, country):
    _kari, ola = _two_cards(app_for, country)
    shown = ola.conflict.children[0].value
    assert "Karis tekst" in shown
    assert "Kari Nordmann" in shown
    assert "kl." in shown
    assert ola.textarea.value == "Olas tekst"  # the draft stays until Ola chooses
    assert stored_text(factory, country.office_a, "reseptfornyelse") == "Karis tekst"


def test_keeping_their_text_keeps_my_draft_visible(app_for, factory, country):
    _kari, ola = _two_cards(app_for, country)
    ola.conflict.children[1].children[0].click()  # Behold deres tekst
    assert ola.textarea.value == "Karis tekst"
    assert ola.my_draft.children[1].value == "Olas tekst"
    assert ola.conflict.children == ()
    assert stored_text(factory, country.office_a, "reseptfornyelse") == "Karis tekst"
    ola.textarea.value = "Karis tekst, og Olas tillegg"
    ola.save.click()
    assert "Lagret" in ola.status.value


def test_writing_over_saves_my_text_knowingly(app_for, factory, country):
    _kari, ola = _two_cards(app_for, country)
    ola.conflict.children[1].children[1].click()  # Skriv over med min tekst
    assert stored_text(factory, country.office_a, "reseptfornyelse") == "Olas tekst"
    assert ola.conflict.children == ()
    assert "Lagret" in ola.status.value


def _services_on(factory, hpr: str) -> dict[str, bool]:
    from sqlalchemy import select

    from helsetilbud.model import Gp

    with factory() as session:
        gp = session.scalar(select(Gp).where(Gp.hpr == hpr))
        return gp.services()


def _two_service_tabs(app_for, country):
    """Kari in two sessions: the first switches timebestilling off and saves, the second
    (opened before) switches reseptfornyelse off and saves on top of it."""
    first = app_for(country.kari).editor.tab(2)
    second = app_for(country.kari).editor.tab(2)
    first.toggles["timebestilling"].value = False
    first.save.click()
    second.toggles["reseptfornyelse"].value = False
    second.save.click()
    return first, second


def test_a_stale_services_save_keeps_my_toggles_and_shows_what_is_stored(app_for, factory, country):
    _first, second = _two_service_tabs(app_for, country)
    notice = second.conflict.children[0].value
    assert "Kari Nordmann" in notice and "kl." in notice
    assert "Timebestilling: av" in notice and "Reseptfornyelse: på" in notice
    assert second.toggles["timebestilling"].value is True  # my toggles stay as I left them
    assert second.toggles["reseptfornyelse"].value is False
    assert _services_on(factory, country.kari)["timebestilling"] is False
    assert _services_on(factory, country.kari)["reseptfornyelse"] is True
    labels = [b.description for b in second.conflict.children[1].children]
    assert labels == ["Behold lagrede innstillinger", "Skriv over med mine innstillinger"]


def test_keeping_the_stored_services_shows_my_unsaved_choices(app_for, factory, country):
    _first, second = _two_service_tabs(app_for, country)
    second.conflict.children[1].children[0].click()  # Behold lagrede innstillinger
    assert second.toggles["timebestilling"].value is False
    assert second.toggles["reseptfornyelse"].value is True
    assert "Reseptfornyelse av" in second.my_choice.value
    assert second.conflict.children == ()
    second.toggles["reseptfornyelse"].value = False
    second.save.click()
    assert "lagret" in second.status.value
    assert _services_on(factory, country.kari) == {
        "timebestilling": False,
        "reseptfornyelse": False,
        "e_konsultasjon": True,
        "kontakt_legekontoret": True,
    }


def test_writing_over_the_stored_services_saves_mine_knowingly(app_for, factory, country):
    _first, second = _two_service_tabs(app_for, country)
    second.conflict.children[1].children[1].click()  # Skriv over med mine innstillinger
    assert "lagret" in second.status.value
    assert second.conflict.children == ()
    stored = _services_on(factory, country.kari)
    assert stored["timebestilling"] is True and stored["reseptfornyelse"] is False


def test_unsaved_toggles_survive_another_change_in_the_same_tab(app_for, country):
    tab = app_for(country.kari).editor.tab(2)
    tab.toggles["e_konsultasjon"].value = False
    tab.form.kind.value = "weekly"
    tab.form.weekdays.value = (6,)
    tab.form.add.click()  # a closure is saved; the unsaved toggle must not be reset
    assert "lagt til" in tab.status.value
    assert tab.toggles["e_konsultasjon"].value is False
