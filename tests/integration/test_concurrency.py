"""Two OS processes write the same text at once: every write is kept or refused, none is lost."""

from __future__ import annotations

import json
import multiprocessing

from sqlalchemy import select

from helsetilbud.db import SessionFactory, transaction
from helsetilbud.model import AuditEvent, InfoText, Office
from tests.builders import SmallCountry
from tests.integration.concurrent_writer import write_many

WRITES_EACH = 100


def test_two_processes_interleaving_200_writes_lose_no_update(
    factory: SessionFactory, country: SmallCountry
) -> None:
    url = factory.kw["bind"].url.render_as_string(hide_password=False)
    area = "reseptfornyelse"
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(
            target=write_many,
            args=(url, login, country.office_a, area, WRITES_EACH, barrier, results),
        )
        for login in (country.kari, country.ola)  # both GPs at office A
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert [r[3] for r in reports] == [None, None], reports
    saved = sum(r[1] for r in reports)
    refused = sum(r[2] for r in reports)
    assert saved == 2 * WRITES_EACH
    assert refused > 0, "the writers never met: no interleaving was tested"

    with transaction(factory) as s:
        office = s.scalar(select(Office).where(Office.her_id == country.office_a))
        row = s.scalar(select(InfoText).filter_by(office_id=office.id, area=area))
        events = list(
            s.scalars(
                select(AuditEvent)
                .where(AuditEvent.office_id == office.id, AuditEvent.key == area)
                .order_by(AuditEvent.id)
            )
        )
    assert row.version == 1 + saved
    assert len(events) == saved
    # Each change starts from the value the previous one saved: a chain with no gap.
    chain = [json.loads(e.before) for e in events[1:]]
    assert chain == [json.loads(e.after) for e in events[:-1]]
    assert json.loads(events[-1].after) == row.text
    written = {f"{login} nr. {n}" for login in (country.kari, country.ola) for n in range(100)}
    assert {json.loads(e.after) for e in events} == written
