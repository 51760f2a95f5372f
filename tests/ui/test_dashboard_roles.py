"""Roles in the editor: staff, analyst, no identity, several offices, the demo switch."""

from __future__ import annotations

import ipywidgets as w

from helsetilbud.login import identify
from helsetilbud.ui import EditorApp


def _buttons(widget: w.Widget) -> list[w.Button]:
    found = [widget] if isinstance(widget, w.Button) else []
    for child in getattr(widget, "children", ()):
        found += _buttons(child)
    return found


def test_staff_edits_texts_but_sees_services_read_only(app_for, country):
    app = app_for(country.staff)
    assert "kontoransatt" in app.header.value
    assert app.editor.model.can_edit
    services = app.editor.tab(2)
    assert services.toggles == {}
    assert "Kari Nordmann" in services.overview.value
    assert "Ola Hansen" in services.overview.value
    assert not [b for b in _buttons(services) if b.description == "LAGRE"]


def test_an_analyst_sees_offices_but_no_save_buttons(app_for, country):
    app = app_for(country.analyst)
    assert app.editor is None
    app.picker.value = country.office_a
    editor = app.editor
    for index in range(4):
        editor.tab(index)
    labels = {b.description for b in _buttons(app)}
    assert not labels & {"LAGRE", "ENDRE", "Gjenopprett", "Legg til stengning"}
    assert all(card.textarea.disabled for card in editor.cards.cards.values())
    assert "bare lesetilgang" in app.body.children[1].children[0].value


def test_without_identity_nothing_can_be_edited(factory, country):
    app = EditorApp(factory, None)
    assert app.editor is None
    assert "Ingen tilgang" in app.body.children[0].value
    assert "Du er ikke logget inn." in app.body.children[0].value
    assert _buttons(app) == []
    assert app.summary().startswith("Ingen tilgang. Du er ikke logget inn.")


def test_an_unknown_login_is_told_who_they_are_logged_in_as(factory, country):
    login = identify(factory, "7777777")
    app = EditorApp(factory, login.identity, login=login)
    notice = app.body.children[0].value
    assert "Ingen tilgang" in notice
    assert "Du er logget inn som «7777777»" in notice
    assert "Fant ingen bruker med innloggingen «7777777»" in notice
    assert _buttons(app) == []


def test_a_gp_goes_straight_into_their_only_office(app_for, country):
    app = app_for(country.kari)
    assert app.picker is None
    assert app.summary().splitlines() == [
        "Innlogget: Kari Nordmann (fastlege)",
        "Virksomhet: Sentrum legesenter, HER-id 100001",
        "Kort: 5",
        "Kan redigere: ja",
    ]


def test_the_forvalter_chooses_an_office(app_for, country):
    app = app_for(country.admin)
    labels = [label for label, _ in app.picker.options]
    assert "Fjordlegene, HER-id 100002" in labels
    app.picker.value = country.office_b
    assert app.editor.model.snapshot.name == "Fjordlegene"


def test_the_demo_switch_exists_only_in_demo_mode(app_for, country):
    assert app_for(country.kari).switch is None
    app = app_for(country.kari, demo=True)
    logins = [v for _, v in app.switch.dropdown.options]
    assert {country.kari, country.staff, country.analyst, country.admin} <= set(logins)
    app.switch.dropdown.value = country.analyst
    assert "analytiker" in app.header.value
    assert app.editor is None and app.picker is not None


def test_demo_mode_without_a_login_starts_as_a_sample_gp_ready_to_edit(
    factory, country, monkeypatch
):
    monkeypatch.delenv("HELSETILBUD_USER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("HELSETILBUD_DEMO", "1")
    monkeypatch.setattr("helsetilbud.db.make_engine", lambda url=None: factory.kw["bind"])
    app = EditorApp.from_environment()
    assert app.identity is not None and app.identity.role == "fastlege"
    monkeypatch.setenv("HELSETILBUD_DEMO", "0")
    assert EditorApp.from_environment().identity is None


def test_behind_a_login_proxy_the_header_decides_and_the_server_user_and_demo_are_ignored(
    factory, country, monkeypatch
):
    monkeypatch.setattr("helsetilbud.db.make_engine", lambda url=None: factory.kw["bind"])
    monkeypatch.setenv("HELSETILBUD_TRUSTED_HEADER", "X-Helsetilbud-User")
    monkeypatch.setenv("HELSETILBUD_USER", country.admin)
    monkeypatch.setenv("HELSETILBUD_DEMO", "1")
    monkeypatch.delenv("HTTP_X_HELSETILBUD_USER", raising=False)
    app = EditorApp.from_environment()
    assert app.identity is None and app.switch is None
    assert "Du er ikke logget inn." in app.body.children[0].value
    monkeypatch.setenv("HTTP_X_HELSETILBUD_USER", country.per)
    app = EditorApp.from_environment()
    assert app.identity is not None and app.identity.login == country.per
    assert app.switch is None


def test_a_deactivated_user_sees_ingen_tilgang_naming_the_login(factory, country):
    from sqlalchemy import select

    from helsetilbud.db import transaction
    from helsetilbud.model import User

    with transaction(factory) as session:
        session.scalar(select(User).where(User.login == country.ola)).active = False
    login = identify(factory, country.ola)
    app = EditorApp(factory, login.identity, login=login)
    notice = app.body.children[0].value
    assert "Ingen tilgang" in notice
    assert f"Du er logget inn som «{country.ola}»" in notice
    assert "er deaktivert" in notice
