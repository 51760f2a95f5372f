"""The three vikar cases of seed Q11 and what a patient of the list sees in each (pure).

- `en_vikar`: the list is run by one vikar for the period. The patient reads «Fastlegen din
  er <vikar> (vikar)», and a message goes «Til Fastlege <vikar> (vikar)».
- `flere_vikarer`: the list has 0, 2 or more vikars (no one doctor). The patient reads that the
  list is served by vikars at the office, and a message goes to the list at the office.
- `fravaer`: the GP is away (leave, holiday). «Fastlegen din er <GP>» stays, with a line naming
  the vikar until the last day; a message still goes «Til Fastlege <GP>», read by the vikar.

In every case the buttons are the list's own: its switches, closures and holiday rule.
See docs/decisions/0015-vikar-and-holidays.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from helsetilbud.oslo_time import MONTHS, OSLO, WEEKDAYS

ONE = "en_vikar"
MANY = "flere_vikarer"
AWAY = "fravaer"
KINDS = (ONE, MANY, AWAY)
KIND_NAMES = {
    ONE: "Fastlegeliste med én vikar",
    MANY: "Fastlegeliste med 0, 2 eller flere vikarer",
    AWAY: "Vikar ved midlertidig fravær",
}
EXCLUSIVE = (ONE, AWAY)  # may not overlap any other vikar of the same list


@dataclass(frozen=True)
class VikarState:
    """A vikar registration as the snapshot holds it."""

    id: int
    hpr: str
    name: str
    kind: str
    starts_on: date
    ends_on: date

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Cover:
    """Who covers a list at a moment: the case and the vikars in it."""

    kind: str
    vikars: tuple[VikarState, ...]

    @property
    def until(self) -> date:
        return max(v.ends_on for v in self.vikars)

    @property
    def names(self) -> str:
        names = [v.name for v in self.vikars]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def cover_at(vikars: tuple[VikarState, ...], at: datetime) -> Cover | None:
    """The case in force at `at` (Oslo day), or None when the list's own GP is there."""
    day = at.astimezone(OSLO).date()
    active = tuple(v for v in vikars if v.covers(day))
    if not active:
        return None
    for kind in (ONE, AWAY, MANY):
        chosen = tuple(v for v in active if v.kind == kind)
        if chosen:
            return Cover(kind, chosen)
    return None


def day_text(day: date) -> str:
    """ "fredag 26. mars" (what patients read)."""
    return f"{WEEKDAYS[day.weekday()]} {day.day}. {MONTHS[day.month - 1]}"


def gp_line_html(
    cover: Cover | None, gp_name: str, office_name: str, esc: Callable[[object], str]
) -> str:
    """The panel's «Fastlegen din er …» line as HTML (`esc` escapes text)."""
    e = esc
    if cover is None or cover.kind == AWAY:
        return f"Fastlegen din er <strong>{e(gp_name)}</strong>"
    if cover.kind == ONE:
        return f"Fastlegen din er <strong>{e(cover.names)}</strong> (vikar)"
    return f"Fastlegelisten din betjenes av <strong>vikarer ved {e(office_name)}</strong>"


def cover_notice(cover: Cover | None, gp_name: str) -> str | None:
    """The plain-text line under «Fastlegen din er …», or None."""
    if cover is None:
        return None
    until = day_text(cover.until)
    if cover.kind == AWAY:
        return f"{gp_name} er borte til og med {until}. {cover.names} er vikar og svarer deg."
    if cover.kind == ONE:
        return f"{cover.names} er vikar for fastlegen din til og med {until}."
    return (
        f"Fastlegen din har vikarer til og med {until}. Den vikaren som er på jobb, leser og "
        "svarer på meldingen din."
    )


def recipient_html(
    cover: Cover | None, gp_name: str, office_name: str, esc: Callable[[object], str]
) -> str:
    """The message page's «Til Fastlege …» line as HTML."""
    e = esc
    if cover is not None and cover.kind == ONE:
        return f"Til Fastlege <strong>{e(cover.names)}</strong> (vikar)"
    if cover is not None and cover.kind == MANY:
        return f"Til Fastlegelisten din ved <strong>{e(office_name)}</strong>"
    return f"Til Fastlege <strong>{e(gp_name)}</strong>"
