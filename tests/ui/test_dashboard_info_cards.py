"""INFOMELDINGER driven as a user would: type, watch counter and preview, save, cancel."""

from __future__ import annotations

from sqlalchemy import select

from helsetilbud.db import SessionFactory
from helsetilbud.model import InfoText, Office
from tests.builders import SmallCountry


def stored_text(factory: SessionFactory, her_id: str, area: str) -> str:
    with factory() as session:
        return (
            session.scalar(
                select(InfoText.text)
                .join(Office, Office.id == InfoText.office_id)
                .where(Office.her_id == her_id, InfoText.area == area)
            )
            or ""
        )


def test_a_gp_saves_a_text_and_it_is_stored(app_for, factory, country: SmallCountry):
    app = app_for(country.kari)
    card = app.editor.cards.cards["reseptfornyelse"]
    card.textarea.value = "Vi fornyer resepter innen tre dager."
    assert "ht-editing" in card._dom_classes
    assert card.counter.value == "36/300"
    card.save.click()
    assert stored_text(factory, country.office_a, "reseptfornyelse") == card.textarea.value
    assert "Lagret" in card.status.value
    assert "ht-editing" not in card._dom_classes
    assert card.save.disabled


def test_an_over_limit_text_cannot_be_saved_and_the_counter_shows_it(app_for, factory, country):
    card = app_for(country.kari).editor.cards.cards["helsekontakt"]
    card.textarea.value = "x" * 201
    assert card.counter.value.startswith("201/200")
    assert "ht-over" in card.counter._dom_classes
    assert card.save.disabled
    card.save.click()
    assert stored_text(factory, country.office_a, "helsekontakt") == (
        "Velkommen til Sentrum legesenter."
    )
    card.textarea.value = "x" * 200
    assert "ht-over" not in card.counter._dom_classes
    assert not card.save.disabled


def test_avbryt_restores_the_saved_text(app_for, country):
    card = app_for(country.kari).editor.cards.cards["helsekontakt"]
    card.textarea.value = "Noe helt annet"
    card.cancel.click()
    assert card.textarea.value == "Velkommen til Sentrum legesenter."
    assert "ht-editing" not in card._dom_classes


def test_a_fodselsnummer_is_refused_with_a_norwegian_error_at_the_card(app_for, factory, country):
    card = app_for(country.kari).editor.cards.cards["e_konsultasjon"]
    card.textarea.value = "Ring pasient 01010112345 i dag"  # not a valid number: saved
    card.save.click()
    card.textarea.value = "Pasient 15076500565 ringer tilbake"
    card.save.click()
    assert "fødselsnummer" in card.status.value
    assert "ht-error" in card.status.value
    assert stored_text(factory, country.office_a, "e_konsultasjon") == (
        "Ring pasient 01010112345 i dag"
    )


def test_the_preview_follows_the_typed_text_before_saving(app_for, factory, country):
    app = app_for(country.kari)
    card = app.editor.cards.cards["reseptfornyelse"]
    card.textarea.value = "Utkast som ikke er lagret"
    assert app.editor.preview.page.value == "reseptfornyelse"
    assert "Utkast som ikke er lagret" in app.editor.preview.html.value
    assert stored_text(factory, country.office_a, "reseptfornyelse") == ""
    card.cancel.click()
    assert "Utkast som ikke er lagret" not in app.editor.preview.html.value


def test_lagre_changes_the_previews_draft_line_and_leaves_the_page_as_it_is(app_for, country):
    app = app_for(country.kari)
    preview = app.editor.preview
    card = app.editor.cards.cards["reseptfornyelse"]
    card.textarea.value = "Vi fornyer resepter innen tre dager."
    assert "ikke lagret ennå" in preview.state.value
    page_changes: list[str] = []
    preview.html.observe(lambda c: page_changes.append(c["new"]), names="value")
    card.save.click()
    assert 'data-state="saved"' in preview.state.value
    assert "Vi fornyer resepter innen tre dager." in preview.html.value
    assert page_changes == []  # the browser is not sent the same page again


def test_the_preview_can_show_another_gps_patients(app_for, country):
    preview = app_for(country.kari).editor.preview
    assert preview.gp.value == country.kari
    preview.page.value = "forside"
    assert "Start e-konsultasjon" in preview.html.value
    preview.gp.value = country.ola  # Ola has e-konsultasjon off
    assert "Start e-konsultasjon" not in preview.html.value


def test_the_text_is_escaped_in_the_preview(app_for, country):
    app = app_for(country.kari)
    app.editor.cards.cards["helsekontakt"].textarea.value = "<script>alert(1)</script>"
    assert "<script>alert" not in app.editor.preview.html.value


def test_a_scheduled_text_can_be_added_and_removed(app_for, country):
    from datetime import date, time

    card = app_for(country.kari).editor.cards.cards["kontakt_legekontoret"]
    sched = card.scheduled
    sched.text.value = "Kontoret er stengt i romjulen."
    sched.from_day.value, sched.from_time.value = date(2099, 12, 24), time(8, 0)
    sched.to_day.value, sched.to_time.value = date(2099, 12, 31), time(16, 0)
    sched.add.click()
    assert "lagt til" in sched.status.value, sched.status.value
    assert "romjulen" in sched.listing.children[0].children[0].value
    sched.listing.children[0].children[1].click()
    assert sched.listing.children == ()


def test_keystrokes_that_arrive_after_a_save_are_not_reported_as_saved(app_for, factory, country):
    card = app_for(country.kari).editor.cards.cards["reseptfornyelse"]
    card.textarea.value = "Vi fornyer"
    card.save.click()
    assert "Lagret" in card.status.value
    card.textarea.value = "Vi fornyer resepter"  # the browser's last keystrokes, after the click
    assert "Lagret" not in card.status.value
    assert "endret etter at den ble lagret" in card.status.value
    assert not card.save.disabled
    card.save.click()
    assert stored_text(factory, country.office_a, "reseptfornyelse") == "Vi fornyer resepter"


def test_editing_again_later_clears_lagret_without_a_notice(app_for, country):
    card = app_for(country.kari).editor.cards.cards["reseptfornyelse"]
    card.textarea.value = "Vi fornyer"
    card.save.click()
    card._saved_at -= 60  # the GP comes back to the text a minute later
    card.textarea.value = "Vi fornyer resepter"
    assert card.status.value == ""
