"""Shared fixtures: one `engine` over SQLite and (when a server is given) PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from helsetilbud.db import (
    SessionFactory,
    make_engine,
    make_session_factory,
    transaction,
    upgrade_schema,
)
from tests.builders import SmallCountry, build_small_country

PG_URL = os.environ.get("HELSETILBUD_TEST_PG_URL")
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """A migrated, empty database on the server that each test's database is copied from."""
    if not PG_URL:
        yield None
        return
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"tmpl_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    template = make_engine(make_url(PG_URL).set(database=name).render_as_string(False))
    upgrade_schema(template)
    template.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_postgres_database(template: str | None) -> Iterator[str]:
    if not PG_URL or not template:
        pytest.skip("HELSETILBUD_TEST_PG_URL er ikke satt: ingen PostgreSQL å teste mot")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_template: str | None
) -> Iterator[str]:
    """A URL to a new, empty database: a SQLite file, or a new database on the PG server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
    else:
        yield from _fresh_postgres_database(pg_template)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated, empty schema, over SQLite and PostgreSQL."""
    eng = make_engine(db_url)
    if eng.dialect.name == "sqlite":
        upgrade_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def factory(engine: Engine) -> SessionFactory:
    return make_session_factory(engine)


@pytest.fixture
def country(factory: SessionFactory) -> SmallCountry:
    """Two offices, three GPs, a staff login at office A, an analyst and a forvalter."""
    with transaction(factory) as session:
        return build_small_country(session)
