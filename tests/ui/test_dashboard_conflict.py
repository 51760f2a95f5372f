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
