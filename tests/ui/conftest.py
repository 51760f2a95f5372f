"""Build the editor for a login of the small country, without a browser."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from helsetilbud.db import SessionFactory
from helsetilbud.ui import EditorApp
from helsetilbud.ui.identity import resolve_identity
from tests.builders import SmallCountry

AppFor = Callable[..., EditorApp]


@pytest.fixture
def app_for(factory: SessionFactory, country: SmallCountry) -> AppFor:
    """`app_for(login)` -> the editor as that user, office opened when there is only one."""

    def build(login: str | None, *, demo: bool = False) -> EditorApp:
        identity = resolve_identity(factory, login or "")
        return EditorApp(factory, identity, demo=demo)

    return build
