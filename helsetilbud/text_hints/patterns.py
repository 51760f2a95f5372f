"""The words, numbers and thresholds the text rules look for, defined once.

Both the dashboard's hints (`helsetilbud.text_hints`) and the analysts' report
(`helsetilbud.analytics.flags`) use these: the report runs them over many texts at once, the
hints over the one text being typed. Each finder returns what it found with its position
(start, end) in the text as given, in Unicode code points.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from helsetilbud.oslo_time import MONTHS as MONTH_NAMES

__all__ = [
    "ADDRESS",
    "KORONA",
    "KORONA_STEMS",
    "MONTHS",
    "NUMERIC_DATE",
    "PHONE",
    "PHONE_RUN",
    "STALE_DAYS",
    "TLDS",
    "WORD_DATE",
    "YEAR",
    "dates",
    "is_stale",
    "korona_words",
    "phones",
    "stale_cutoff",
    "web_addresses",
]

# Not changed (or confirmed) for this many days: "unchanged for over 12 months".
STALE_DAYS = 365


def stale_cutoff(today: date) -> datetime:
    """A text neither changed nor confirmed since this moment (midnight UTC of today − 365
    days) is unchanged for over 12 months."""
    return datetime.combine(today - timedelta(days=STALE_DAYS), time(0, 0), tzinfo=UTC)


def is_stale(last_reviewed: datetime | None, today: date) -> bool:
    """The report's rule for one text: never changed nor confirmed, or not since the cutoff."""
    return last_reviewed is None or last_reviewed < stale_cutoff(today)


MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
KORONA_STEMS = ("korona", "covid")  # every korona word holds one, in lower case
KORONA = re.compile(r"\b(?:korona(?!r)\w*|covid[\w-]*)", re.IGNORECASE)
# Years 1900–2099 only, so that "19" or "20" in a text is a cheap test before the regexes.
# No look-behind at the start (it would make every search slow): `dates` checks the character
# before a numeric date itself.
YEAR = r"(?:19|20)\d\d"
NUMERIC_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(" + YEAR + r")(?!\d)")
WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\.?\s+(" + "|".join(MONTHS) + r")\s+(" + YEAR + r")(?!\d)",
    re.IGNORECASE,
)
PHONE = re.compile(r"(?<![\d+])(?:\+47 ?)?\d(?: ?\d){7}(?!\d)")
PHONE_RUN = re.compile(r"[+\d][\d ]{7,}")  # quick to find; every phone number lies in one
TLDS = ("no", "com", "org", "net", "nu", "se", "dk", "eu", "info", "io")
DOTTED = re.compile(r"[A-Za-z0-9][.][A-Za-z]")  # every domain name holds one
ADDRESS = re.compile(
    r"^(?:https?://|www\.)|[\w-]\.(?:" + "|".join(TLDS) + r")(?:[/:?#]|$)", re.IGNORECASE
)
TRIM = ".,;:!?()[]«»\"'"

Found = tuple[str, int, int]  # what was found, start, end


def korona_words(text: str) -> list[Found]:
    """Words beginning with korona or covid ("koronar", the heart's arteries, is not one)."""
    return [(m.group(0), m.start(), m.end()) for m in KORONA.finditer(text)]


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def dates(text: str) -> list[tuple[date, int, int]]:
    """Dates written dd.mm.yyyy or "d. måned yyyy" (years 1900–2099), numeric ones first."""
    found: list[tuple[date, int, int]] = []
    for match in NUMERIC_DATE.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        if not (before.isdigit() or before == "."):
            day, month, year = match.groups()
            when = _valid_date(int(year), int(month), int(day))
            if when is not None:
                found.append((when, match.start(), match.end()))
    lowered = text.lower()
    if any(name in lowered for name in MONTHS):
        for match in WORD_DATE.finditer(text):
            day, month, year = match.groups()
            when = _valid_date(int(year), MONTHS[month.lower()], int(day))
            if when is not None:
                found.append((when, match.start(), match.end()))
    return found


def phones(text: str) -> list[Found]:
    """Phone numbers of 8 digits, spaces between them and +47 in front allowed."""
    return [
        (m.group(0), m.start(), m.end())
        for run in PHONE_RUN.finditer(text)
        for m in PHONE.finditer(text, max(run.start() - 1, 0), run.end() + 1)
    ]


def web_addresses(text: str) -> list[Found]:
    """Web addresses: http(s)://…, www.… or a domain name under one of TLDS."""
    found: list[Found] = []
    done = 0
    for match in DOTTED.finditer(text):
        if match.start() < done:
            continue
        start = max(text.rfind(" ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
        ends = [i for i in (text.find(" ", match.end()), text.find("\n", match.end())) if i >= 0]
        done = min(ends, default=len(text))
        raw = text[start:done]
        token = raw.strip(TRIM)
        if token and ADDRESS.search(token):
            at = start + len(raw) - len(raw.lstrip(TRIM))
            found.append((token, at, at + len(token)))
    return found
