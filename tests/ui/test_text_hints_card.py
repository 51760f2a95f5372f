"""The text rules on the info cards: hints while typing, a warning, «Teksten stemmer fortsatt»
and the review round «Gå gjennom tekstene»."""

from __future__ import annotations

from sqlalchemy import select

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.model import AuditEvent, InfoText, Office
from tests.builders import SmallCountry

KORONA = "Vi tilbyr koronatest for våre pasienter."


def store(factory: SessionFactory, country: SmallCountry, area: str, text: str) -> None:
    with transaction(factory) as session:
        kari = load_identity(session, country.kari)
        version = session.scalar(
            select(InfoText.version)
            .join(Office, Office.id == InfoText.office_id)
            .where(Office.her_id == country.office_a, InfoText.area == area)
        )
        editing.set_info_text(session, kari, country.office_a, area, text, version or 0)


def row(factory: SessionFactory, her_id: str, area: str) -> InfoText:
    with factory() as session:
        found = session.scalar(
            select(InfoText)
            .join(Office, Office.id == InfoText.office_id)
            .where(Office.her_id == her_id, InfoText.area == area)
        )
        assert found is not None
        session.expunge(found)
        return found


def test_typing_a_korona_word_shows_the_hint_in_a_polite_live_region_and_deleting_removes_it(
    app_for, country
):
    card = app_for(country.kari).editor.cards.cards["reseptfornyelse"]
    card.textarea.value = KORONA
    shown = card.hints.list.value
    assert 'role="status"' in shown and 'aria-live="polite"' in shown
    assert "<mark>koronatest</mark>" in shown and "Handler fortsatt om korona" in shown
    card.textarea.value = "Vi tilbyr time for våre pasienter."
    assert "korona" not in card.hints.list.value
    assert 'role="status"' in card.hints.list.value  # the region stays, empty


def test_a_stored_korona_text_shows_a_warning_on_the_card_before_anyone_types(
    app_for, factory, country
):
    store(factory, country, "timebestilling", KORONA)
    card = app_for(country.kari).editor.cards.cards["timebestilling"]
    assert "kan villede" in card.head.value
    assert "korona" in card.head.value
    other = app_for(country.kari).editor.cards.cards["reseptfornyelse"]
    assert other.head.banner == "" and "kan villede" not in other.head.value


def test_stemmer_fortsatt_records_who_and_when_and_leaves_the_text_as_it_is(
    app_for, factory, country
):
    before = row(factory, country.office_a, "helsekontakt")
    card = app_for(country.kari).editor.cards.cards["helsekontakt"]
    assert "Ikke endret på over 12 måneder" in card.hints.list.value
    assert card.head.confirmed == "" and "Sist bekreftet" not in card.head.value
    card.hints.confirm.click()
    after = row(factory, country.office_a, "helsekontakt")
    assert (after.text, after.version) == (before.text, before.version)
    assert after.confirmed_by == country.kari and after.confirmed_at is not None
    assert card.head.confirmed.startswith("Sist bekreftet ")
    assert card.head.confirmed.endswith("av Kari Nordmann")
    assert card.head.confirmed in card.head.value
    assert "Ikke endret på over 12 måneder" not in card.hints.list.value
    assert "Bekreftet" in card.status.value
    with factory() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "info_text_confirmed")
        ).all()
        assert [(e.actor, e.key) for e in events] == [(country.kari, "helsekontakt")]


def test_stemmer_fortsatt_waits_while_the_text_is_being_changed(app_for, country):
    card = app_for(country.kari).editor.cards.cards["helsekontakt"]
    assert not card.hints.confirm.disabled
    card.textarea.value = "Noe nytt"
    assert card.hints.confirm.disabled
    card.cancel.click()
    assert not card.hints.confirm.disabled


def test_an_analyst_sees_the_hints_but_no_confirm_button(app_for, country):
    app = app_for(country.analyst)
    app.open_office(country.office_a)
    card = app.editor.cards.cards["helsekontakt"]
    assert "Ikke endret" in card.hints.list.value
    assert not any(card.hints.confirm in getattr(c, "children", ()) for c in card.children)
    assert app.editor.cards.review.children == ()


def test_the_review_round_walks_through_each_text_with_a_hint(app_for, factory, country):
    store(factory, country, "reseptfornyelse", KORONA)
    app = app_for(country.kari)
    review = app.editor.cards.review
    review.start.click()
    assert review.areas == [
        "helsekontakt", "reseptfornyelse", "e_konsultasjon", "kontakt_legekontoret",
        "timebestilling",
    ]  # fmt: skip
    assert "Tekst 1 av 5" in review.heading.value
    review.still.click()
    assert row(factory, country.office_a, "helsekontakt").confirmed_by == country.kari
    assert "Tekst 2 av 5" in review.heading.value and review.text.value == KORONA
    assert "<mark>koronatest</mark>" in review.hints.value
    assert review.save.disabled
    review.text.value = "Vi tilbyr time for våre pasienter."
    assert "korona" not in review.hints.value and review.still.disabled
    review.save.click()
    assert row(factory, country.office_a, "reseptfornyelse").text.startswith("Vi tilbyr time")
    assert app.editor.cards.cards["reseptfornyelse"].textarea.value.startswith("Vi tilbyr time")
    review.skip.click()
    review.skip.click()
    review.skip.click()
    assert "1 lagret, 1 bekreftet, 3 hoppet over" in review.children[-1].value


def test_a_phone_number_other_than_the_registry_s_is_named_on_the_card_and_warned_about(
    app_for, factory, country
):
    card = app_for(country.kari).editor.cards.cards["kontakt_legekontoret"]
    card.textarea.value = "Ring oss på 22 99 88 77."
    shown = card.hints.list.value
    assert "<mark>22 99 88 77</mark>" in shown
    assert "kontorets nummer i registeret (22 12 34 56)" in shown
    card.textarea.value = "Ring oss på 22 12 34 56."
    assert "registeret" not in card.hints.list.value
    store(factory, country, "kontakt_legekontoret", "Ring oss på 22 99 88 77.")
    stored = app_for(country.kari).editor.cards.cards["kontakt_legekontoret"]
    assert "kan villede" in stored.head.value
    assert "registeret" in stored.head.value
