"""A writer process for the concurrency test (importable by a 'spawn' child)."""

from __future__ import annotations

import random
import time
from typing import Any

from sqlalchemy import select

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.db import make_engine, make_session_factory, transaction
from helsetilbud.errors import StaleEdit
from helsetilbud.model import InfoText, Office


def write_many(
    url: str, login: str, her_id: str, area: str, count: int, barrier: Any, results: Any
) -> None:
    """Save `count` texts, each based on a freshly read version, retrying on StaleEdit."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    rng = random.Random(login)
    saved = stale = 0
    barrier.wait(timeout=60)
    try:
        for n in range(count):
            while True:
                with factory() as session:
                    version = session.scalar(
                        select(InfoText.version)
                        .join(Office, InfoText.office_id == Office.id)
                        .where(Office.her_id == her_id, InfoText.area == area)
                    )
                time.sleep(rng.random() / 1000)  # let the other writer in between
                try:
                    with transaction(factory) as session:
                        editing.set_info_text(
                            session,
                            load_identity(session, login),
                            her_id,
                            area,
                            f"{login} nr. {n}",
                            version,
                        )
                except StaleEdit:
                    stale += 1
                    continue
                saved += 1
                break
        results.put((login, saved, stale, None))
    except Exception as exc:  # reported to the parent, which fails the test
        results.put((login, saved, stale, repr(exc)))
    finally:
        engine.dispose()
