"""Moments as a person in Norway reads them: Europe/Oslo time, Norwegian day and month names."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


def in_oslo(moment: datetime) -> datetime:
    """The moment as time-zone-aware: a naive value is taken as Oslo time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=OSLO)


def short_moment(moment: datetime) -> str:
    """ "26.11.2026 kl. 10:14" in Oslo time (for lists and messages in the admin tool)."""
    return f"{moment.astimezone(OSLO):%d.%m.%Y kl. %H:%M}"


def long_moment(moment: datetime) -> str:
    """ "mandag 5. januar kl. 08:00" in Oslo time (for what patients read)."""
    local = moment.astimezone(OSLO)
    return f"{WEEKDAYS[local.weekday()]} {local.day}. {MONTHS[local.month - 1]} kl. {local:%H:%M}"
