"""Moments as a person in Norway reads them: Europe/Oslo time, Norwegian day and month names."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

from helsetilbud.errors import HelsetilbudError

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


def today_in_oslo() -> date:
    """Today's date in Oslo."""
    return datetime.now(OSLO).date()


def configured_day() -> date | None:
    """The day HELSETILBUD_TODAY (YYYY-MM-DD) sets, or None when it is not set. A value that is
    not such a day is a HelsetilbudError that names it."""
    value = os.environ.get("HELSETILBUD_TODAY")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HelsetilbudError(
            f"HELSETILBUD_TODAY «{value}» er ikke en dato på formen ÅÅÅÅ-MM-DD.",
            field="HELSETILBUD_TODAY",
        ) from None


def configured_today() -> date:
    """The day the tool takes as today: HELSETILBUD_TODAY when set, else today in Oslo."""
    return configured_day() or today_in_oslo()


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
