"""Fixtures for the command-line tests: the database URL of the small country."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.builders import SmallCountry


@pytest.fixture
def url(engine: Engine, country: SmallCountry) -> str:
    """The URL of a database holding the small country, as `--db` takes it."""
    return engine.url.render_as_string(hide_password=False)
