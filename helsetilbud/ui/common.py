"""Shared pieces of the editor: the office model every tab reads, small widget helpers."""

from __future__ import annotations

import html as html_lib
import os
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from helsetilbud.access import Identity, require_office_edit, require_office_read
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.errors import AccessDenied, HelsetilbudError
from helsetilbud.model import Office
from helsetilbud.oslo_time import short_moment
from helsetilbud.snapshot import OfficeSnapshot, ToolRef, load_snapshot

ROLE_NAMES = {
    "fastlege": "fastlege",
    "kontorstab": "kontoransatt",
    "analytiker": "analytiker, bare lesetilgang",
    "forvalter": "forvalter i NHN",
}


@cache
def css_text() -> str:
    return resources.files("helsetilbud.ui").joinpath("editor.css").read_text(encoding="utf-8")


def css_widget(*, preview: bool = False) -> w.HTML:
    """The editor's stylesheet as an HTML widget (displayed once, inside the app); with
    `preview`, also the patient preview's, so its fragments need not carry it each time."""
    from helsetilbud.preview import stylesheet

    sheets = css_text() + (stylesheet() if preview else "")
    return w.HTML(f"<style>{sheets}</style>", layout=w.Layout(display="none"))


def in_voila() -> bool:
    """True inside a kernel that Voilà started (a served page, not a notebook check)."""
    return bool(os.environ.get("VOILA_KERNEL_ID") or os.environ.get("VOILA_BASE_URL"))


def print_for_checks(text: str) -> None:
    """Print `text` for notebook checks (nbval); silent when served by Voilà."""
    if not in_voila():
        print(text)


def esc(text: object) -> str:
    return html_lib.escape(str(text), quote=True)


def oslo_time(moment: datetime | None) -> str:
    """ "05.01.2026 kl. 10:00" in Oslo time; "" for None."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return short_moment(moment)


@cache
def _shared(kind: str) -> w.Widget:
    """One Layout/style model shared by many simple widgets: fewer models for the browser."""
    return {
        "layout": w.Layout,
        "button": w.ButtonStyle,
        "html": HTMLStyle,
        "text": TextStyle,
        "description": DescriptionStyle,
    }[kind]()


def button(label: str, css: str, *, primary: bool = False, **kwargs: Any) -> w.Button:
    kwargs.setdefault("layout", _shared("layout"))
    kwargs.setdefault("style", _shared("button"))
    b = w.Button(description=label, button_style="primary" if primary else "", **kwargs)
    b.add_class("ht-btn")
    b.add_class(css)
    return b


def shared_text_style() -> w.Widget:
    """The one default TextStyle model for text boxes."""
    return _shared("text")


def shared_description_style() -> w.Widget:
    """The one default DescriptionStyle model (dropdowns and other labelled controls)."""
    return _shared("description")


def shared_html_style() -> w.Widget:
    """The one default HTMLStyle model for HTML widgets."""
    return _shared("html")


def shared_layout() -> w.Layout:
    """The one default Layout model for boxes and simple widgets; never change it in place."""
    return _shared("layout")  # type: ignore[return-value]


def vbox(children: Any = (), **kwargs: Any) -> w.VBox:
    """A VBox sharing the default layout model."""
    kwargs.setdefault("layout", shared_layout())
    return w.VBox(list(children), **kwargs)


def hbox(children: Any = (), **kwargs: Any) -> w.HBox:
    """An HBox sharing the default layout model."""
    kwargs.setdefault("layout", shared_layout())
    return w.HBox(list(children), **kwargs)


def html(value: str = "", **kwargs: Any) -> w.HTML:
    """An HTML widget sharing the default layout and style models."""
    kwargs.setdefault("layout", _shared("layout"))
    kwargs.setdefault("style", _shared("html"))
    return w.HTML(value, **kwargs)


def html_box(value: str, css: str, **kwargs: Any) -> w.HTML:
    h = html(value, **kwargs)
    h.add_class(css)
    return h


def status_box(css: str = "") -> w.HTML:
    """An empty HTML widget for a view's messages, read out by screen readers when it
    changes (a polite live region, made by the page's accessibility bridge)."""
    box = html("")
    box.add_class("ht-live")
    if css:
        box.add_class(css)
    return box


def error_text(message: str) -> str:
    return f'<span class="ht-error" role="alert">{esc(message)}</span>'


def now_utc() -> datetime:
    return datetime.now(UTC)


class OfficeModel:
    """State of one office as the screens see it: snapshot, rights and unsaved drafts.

    Tabs read `snapshot`, write only through `run` (one `editing` call in one transaction)
    and call `refresh()` afterwards; listeners re-render (the preview among them).
    """

    def __init__(self, factory: SessionFactory, identity: Identity | None, her_id: str) -> None:
        self.factory = factory
        self.identity = identity
        self.her_id = her_id
        self.drafts: dict[str, str] = {}
        self.focus_area: str | None = None
        # The triage service whose choice is open, and the tool chosen there (not yet saved).
        self.tool_choice: tuple[str, ToolRef | None] | None = None
        self._listeners: list[tuple[Callable[[], None], bool]] = []
        with factory() as session:
            office = session.scalar(select(Office).where(Office.her_id == her_id))
            self.can_edit = False
            self.can_read = identity is not None and office is not None
            if identity is not None and office is not None:
                self.can_read = _allowed(require_office_read, session, identity, office)
                self.can_edit = _allowed(require_office_edit, session, identity, office)
            self.snapshot: OfficeSnapshot = load_snapshot(session, her_id)

    @property
    def own_hpr(self) -> str | None:
        i = self.identity
        return i.hpr if i is not None and i.role == "fastlege" else None

    def on_change(self, callback: Callable[[], None], *, drafts: bool = False) -> None:
        """Call `callback` after each save (and, with `drafts`, after each typed change)."""
        self._listeners.append((callback, drafts))

    def notify(self, *, drafts_only: bool = False) -> None:
        for callback, wants_drafts in list(self._listeners):
            if wants_drafts or not drafts_only:
                callback()

    def refresh(self) -> None:
        with self.factory() as session:
            self.snapshot = load_snapshot(session, self.her_id)
        self.notify()

    def set_draft(self, area: str, text: str | None) -> None:
        if text is None:
            self.drafts.pop(area, None)
        else:
            self.drafts[area] = text
        self.focus_area = area
        self.notify(drafts_only=True)

    def set_tool_choice(self, service: str | None, tool: ToolRef | None = None) -> None:
        """The tool chosen (None: "Ingen valgt") for `service` before LAGRE; None when closed."""
        self.tool_choice = None if service is None else (service, tool)
        self.focus_area = None
        self.notify(drafts_only=True)

    def run(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call an `editing` command as this identity in one transaction; refresh afterwards."""
        if self.identity is None:
            raise AccessDenied("Du er ikke logget inn, og kan ikke endre noe.")
        with transaction(self.factory) as session:
            result = command(session, self.identity, *args, **kwargs)
        self.refresh()
        return result


def _allowed(
    rule: Callable[..., None], session: Session, identity: Identity, office: Office
) -> bool:
    """True when the core's `rule` lets `identity` at `office`; the core decides, not the UI."""
    try:
        rule(session, identity, office)
    except AccessDenied:
        return False
    return True


def message_of(exc: Exception) -> str:
    if isinstance(exc, HelsetilbudError):
        return exc.message
    return "Noe gikk galt. Endringen ble ikke lagret."
