"""Every row of every table, to show that a refused action changed nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from helsetilbud.db import SessionFactory, transaction
from helsetilbud.errors import HelsetilbudError
from helsetilbud.model import Base


def dump_database(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """All rows per table, ordered by primary key."""
    with engine.connect() as conn:
        return {
            table.name: [
                tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))
            ]
            for table in Base.metadata.sorted_tables
        }


def refused(
    factory: SessionFactory, call: Callable[[Session], object], error: type[HelsetilbudError]
) -> HelsetilbudError:
    """Run `call`, expect `error`, let the transaction commit anyway, and check nothing changed."""
    engine = factory.kw["bind"]
    before = dump_database(engine)
    with transaction(factory) as s, pytest.raises(error) as err:
        call(s)
    assert dump_database(engine) == before
    return err.value
