"""A closure as one Norwegian line (TJENESTER tab, `helsetilbud closure list`)."""

from __future__ import annotations

from helsetilbud.catalog import CATALOG
from helsetilbud.oslo_time import WEEKDAYS, short_moment
from helsetilbud.snapshot import Closure


def describe_closure(c: Closure) -> str:
    """ "Forny resept stengt hver lørdag, søndag kl. 00:00–00:00 (helg)" """
    name = CATALOG.patient_service(c.service).name
    if c.is_weekly:
        days = ", ".join(WEEKDAYS[d] for d in c.weekdays)
        when = f"hver {days} kl. {c.daily_from}–{c.daily_to}"
    else:
        start = short_moment(c.starts_at) if c.starts_at else ""
        end = short_moment(c.ends_at) if c.ends_at else ""
        when = f"{start} – {end}"
    note = f" ({c.note})" if c.note else ""
    return f"{name} stengt {when}{note}"
