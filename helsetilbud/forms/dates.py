"""FHIR date, partial date and dateTime values: parsing, Oslo time and comparison by precision.

FHIR `date` may be a year ("2024"), a year and month ("1995-05") or a full date; a
`dateTime` without a time zone is read as Oslo time, so answers typed in the CLI's format
compare with time-zone-qualified values in the form. Values of different precision compare
at the precision they share (FHIRPath: equal there but of different precision is unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from helsetilbud.oslo_time import OSLO, in_oslo

_ISO_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?")
_NO_PARTIAL = re.compile(r"(?:(\d{1,2})\.)?(\d{4})")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A FHIR date with only a year, or a year and a month (Helsenorge's year/yearMonth)."""

    year: int
    month: int | None = None

    def isoformat(self) -> str:
        """ "2024" or "1995-05", as FHIR writes it."""
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"

    def display(self) -> str:
        """ "2024" or "05.1995", as a Norwegian reader expects it."""
        return str(self.year) if self.month is None else f"{self.month:02d}.{self.year}"

    def __str__(self) -> str:
        return self.display()


DateLike = date | datetime | PartialDate


def parse_fhir_date(text: str) -> date | PartialDate:
    """A FHIR `date` string: "2024", "1995-05" or "1995-05-17"; raises ValueError."""
    text = text.strip()
    match = _ISO_PARTIAL.fullmatch(text)
    if match:
        year, month = int(match.group(1)), match.group(2)
        if month is not None and not 1 <= int(month) <= 12:
            raise ValueError(f"ugyldig måned i «{text}»")
        return PartialDate(year, int(month) if month else None)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    raise ValueError(f"«{text}» er ikke en FHIR-dato")


def parse_partial_no(text: str) -> PartialDate | None:
    """ "2024" or "05.1995" (Norwegian order) as a PartialDate; None if not that shape."""
    match = _NO_PARTIAL.fullmatch(text.strip())
    if not match:
        return None
    month, year = match.group(1), int(match.group(2))
    if month is not None and not 1 <= int(month) <= 12:
        return None
    return PartialDate(year, int(month) if month else None)


def parse_fhir_datetime(text: str) -> datetime | date | PartialDate:
    """A FHIR `dateTime` string; a date-only value stays a date; naive times are Oslo time."""
    text = text.strip()
    if "T" not in text:
        return parse_fhir_date(text)
    return in_oslo(datetime.fromisoformat(text.replace("Z", "+00:00")))


def is_date_like(value: Any) -> bool:
    """True for date, dateTime and partial dates (not time of day)."""
    return isinstance(value, date | PartialDate)


def _parts(value: DateLike) -> tuple[int, ...]:
    if isinstance(value, PartialDate):
        return (value.year,) if value.month is None else (value.year, value.month)
    if isinstance(value, datetime):
        local = in_oslo(value).astimezone(OSLO)
        return (local.year, local.month, local.day)
    return (value.year, value.month, value.day)


def compare_dates(left: DateLike, right: DateLike) -> int | None:
    """-1, 0 or 1; None when equal at the shared precision but of different precision."""
    if isinstance(left, datetime) and isinstance(right, datetime):
        a, b = in_oslo(left), in_oslo(right)
        return (a > b) - (a < b)
    a_parts, b_parts = _parts(left), _parts(right)
    n = min(len(a_parts), len(b_parts))
    if a_parts[:n] != b_parts[:n]:
        return -1 if a_parts[:n] < b_parts[:n] else 1
    return 0 if len(a_parts) == len(b_parts) else None


def compare_times(left: time, right: time) -> int:
    """-1, 0 or 1 for two times of day (any time zone is dropped: a time of day is local)."""
    a, b = left.replace(tzinfo=None), right.replace(tzinfo=None)
    return (a > b) - (a < b)


def fhir_date_text(value: date | PartialDate) -> str:
    """The FHIR string of a date or partial date."""
    return value.isoformat()
