"""A preheated kernel's editor: the frame first, the office once the page view's login arrives."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from helsetilbud import login
from helsetilbud.ui import EditorApp
from helsetilbud.ui.app import PENDING
from tests.e2e.voila_server import free_port

HEADER = "X-Helsetilbud-Login"


@pytest.fixture
def preheated(monkeypatch: pytest.MonkeyPatch) -> Iterator[asyncio.AbstractEventLoop]:
    """A kernel as Voilà preheats it behind the login proxy, with its own event loop."""
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv(login.TRUSTED_HEADER_ENV, HEADER)
    monkeypatch.delenv("HELSETILBUD_USER", raising=False)
    monkeypatch.setenv(login.header_env_name(HEADER), "")  # undone after the test
    monkeypatch.setattr(login, "_request_seen", False)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


def test_the_frame_shows_at_once_and_the_office_of_the_login_that_arrives(
    preheated, factory, country, monkeypatch
):
    async def arrives() -> None:
        login._arrived(json.dumps({login.header_env_name(HEADER): country.kari}))

    monkeypatch.setattr("helsetilbud.ui.app.request_arrived", arrives)
    app = EditorApp.when_logged_in(factory)
    assert "ht-pending" in app._dom_classes
    assert PENDING in app.body.children[0].value and app.editor is None
    assert "Kari" not in app.header.value
    preheated.run_until_complete(app.arrival)
    assert "ht-pending" not in app._dom_classes
    assert "Kari Nordmann" in app.header.value
    assert app.model is not None and app.model.her_id == country.office_a


def test_a_page_view_whose_login_never_arrives_gets_ingen_tilgang(
    preheated, factory, country, monkeypatch
):
    monkeypatch.setenv("VOILA_APP_PORT", str(free_port()))  # nothing answers there
    app = EditorApp.when_logged_in(factory)
    preheated.run_until_complete(app.arrival)
    assert "ht-pending" not in app._dom_classes
    assert app.identity is None and app.editor is None
    assert "Ingen tilgang" in app.body.children[0].value
    assert "Du er ikke logget inn" in app.body.children[0].value


def test_outside_a_preheated_kernel_the_editor_is_built_at_once(factory, country, monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("HELSETILBUD_USER", country.kari)
    monkeypatch.setattr("helsetilbud.db.make_engine", lambda *a, **k: factory.kw["bind"])
    app = EditorApp.from_environment()
    assert app.arrival is None and app.model is not None


def test_the_editor_of_the_login_that_arrives_reaches_the_browser_once_per_widget(
    preheated, factory, country, monkeypatch
):
    """Each model is opened with its final state, after the models it refers to; the page
    gets no stream of changes to models it has just been sent."""
    from ipywidgets.widgets import widget as widget_module

    messages: list[tuple[str, str, dict]] = []
    create_comm = widget_module.comm.create_comm

    def recording_comm(**args):
        comm = create_comm(**args)
        messages.append(("open", comm.comm_id, args["data"]["state"]))
        return comm

    def recording_send(self, msg, buffers=None):
        messages.append(("update", self.model_id, msg["state"]))

    async def arrives() -> None:
        login._arrived(json.dumps({login.header_env_name(HEADER): country.kari}))

    monkeypatch.setattr("helsetilbud.ui.app.request_arrived", arrives)
    app = EditorApp.when_logged_in(factory)
    monkeypatch.setattr(widget_module.comm, "create_comm", recording_comm)
    monkeypatch.setattr(widget_module.Widget, "_send", recording_send)
    preheated.run_until_complete(app.arrival)

    opened = {model for kind, model, _ in messages if kind == "open"}
    assert len(opened) > 50  # the whole editor: cards, buttons, preview
    known = {x.model_id for x in widget_module._instances.values()} - opened
    for kind, model, state in messages:
        refs = {r[len("IPY_MODEL_") :] for r in _references(state)}
        assert refs <= known, f"{kind} of {model} refers to a model the page has not got yet"
        known.add(model)
    updates = [model for kind, model, _ in messages if kind == "update"]
    assert not set(updates) & opened, "a model just opened was changed again"
    assert len(updates) == len(set(updates)) <= 3  # the header, the page's body, its class
    assert "Kari Nordmann" in app.header.value and app.model is not None


def _references(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith("IPY_MODEL_") else []
    if isinstance(value, (list, tuple)):
        return [r for item in value for r in _references(item)]
    if isinstance(value, dict):
        return [r for item in value.values() for r in _references(item)]
    return []
