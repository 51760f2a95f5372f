"""Who is using the editor (see `helsetilbud.login`); a demo switch with --demo."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
from sqlalchemy import select

from helsetilbud.access import Identity, active_delegations
from helsetilbud.db import SessionFactory
from helsetilbud.login import identify
from helsetilbud.model import User
from helsetilbud.ui.common import ROLE_NAMES, now_utc

DEMO_LABEL = "Bytt bruker (demo)"


def resolve_identity(factory: SessionFactory, login: str | None = None) -> Identity | None:
    """The identity of `login` (default: this page view's login); None when unknown or inactive."""
    return identify(factory, login).identity


def demo_users(factory: SessionFactory, gps: int = 3) -> list[tuple[str, str]]:
    """(label, login) of a few sample users: some GPs, a staff login, an analyst, a forvalter."""
    chosen: list[User] = []
    with factory() as session:
        users = list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)))
        chosen += [u for u in users if u.role == "fastlege"][:gps]
        for u in users:
            if u.role != "kontorstab":
                continue
            ident = Identity(u.login, u.display_name, u.role, u.hpr)
            if active_delegations(session, ident, now_utc()):
                chosen.append(u)
                break
        for role in ("analytiker", "forvalter"):
            chosen += [u for u in users if u.role == role][:1]
    return [(f"{u.display_name} ({ROLE_NAMES.get(u.role, u.role)})", u.login) for u in chosen]


def first_demo_identity(factory: SessionFactory) -> Identity | None:
    """In demo mode without a login: start as the first sample GP, ready to edit."""
    users = demo_users(factory)
    return resolve_identity(factory, users[0][1]) if users else None


class DemoSwitch(w.HBox):
    """The visible "Bytt bruker (demo)" dropdown; exists only in demo mode."""

    def __init__(
        self,
        factory: SessionFactory,
        current: Identity | None,
        on_switch: Callable[[Identity | None], None],
    ) -> None:
        super().__init__()
        self.factory = factory
        options = demo_users(factory)
        if current is not None and current.login not in {login for _, login in options}:
            label = f"{current.display_name} ({ROLE_NAMES.get(current.role, current.role)})"
            options.insert(0, (label, current.login))
        self.dropdown = w.Dropdown(
            options=[("Ingen bruker", ""), *options],
            value=current.login if current is not None else "",
            description=DEMO_LABEL,
            style={"description_width": "initial"},
        )
        self.dropdown.add_class("ht-demo-switch")
        self.dropdown.observe(
            lambda c: on_switch(resolve_identity(factory, c["new"] or "")), names="value"
        )
        self.children = [self.dropdown]
