"""Text quality flags: info texts an analyst should look at, one row per office, area and flag.

SQL does the cheap part for every text (empty, unchanged, and a coarse candidate filter:
LIKE, digit counts, lengths); the regular expressions run in Python only on the candidates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select, case, func, literal, or_, select

from helsetilbud.analytics._common import (
    OFFICES,
    TEXTS,
    Bind,
    connect,
    read,
    start_of_day,
)
from helsetilbud.catalog import CATALOG

__all__ = ["FLAGS", "FLAG_LABELS", "find_flags", "text_flags"]

FLAG_LABELS: dict[str, str] = {
    "empty": "Tom tekst",
    "unchanged": "Ikke endret på over 12 måneder",
    "korona": "Handler fortsatt om korona/covid",
    "past_date": "Nevner en dato som er passert",
    "standard_text": "Gjentar standardteksten",
    "phone": "Inneholder et telefonnummer (sjekk)",
    "web": "Inneholder en nettadresse (sjekk)",
}
FLAGS: tuple[str, ...] = tuple(FLAG_LABELS)
FLAG_COLUMNS = ["her_id", "name", "area", "flag", "text", "detail"]
STALE_DAYS = 365

MONTHS = {
    name: number
    for number, name in enumerate(
        (
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
        ),
        start=1,
    )
}
_KORONA = re.compile(r"\b(?:korona(?!r)\w*|covid[\w-]*)", re.IGNORECASE)
# Years 1900–2099 only, so that "19" or "20" in a text is a cheap test before the regexes.
# No look-behind at the start (it would make every search slow): _dates checks the character
# before a numeric date itself.
_NUMERIC_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?!\d)")
_WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\.?\s+(" + "|".join(MONTHS) + r")\s+((?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\d+])(?:\+47 ?)?\d(?: ?\d){7}(?!\d)")
_PHONE_RUN = re.compile(r"[+\d][\d ]{7,}")  # quick to find; every phone number lies in one
_TLDS = ("no", "com", "org", "net", "nu", "se", "dk", "eu", "info", "io")
_DOTTED = re.compile(r"[A-Za-z0-9][.][A-Za-z]")  # every domain name holds one
_ADDRESS = re.compile(
    r"^(?:https?://|www\.)|[\w-]\.(?:" + "|".join(_TLDS) + r")(?:[/:?#]|$)", re.IGNORECASE
)
_TRIM = ".,;:!?()[]«»\"'"
_NOT_WORD = re.compile(r"[^\w]+")


def normalise_for_compare(text: str) -> str:
    """Case-folded words separated by single spaces: punctuation and line breaks ignored."""
    text = unicodedata.normalize("NFC", text).casefold()
    return _NOT_WORD.sub(" ", text).strip()


def _dates(text: str) -> list[date]:
    found: list[date] = []
    for match in _NUMERIC_DATE.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        if not (before.isdigit() or before == "."):
            day, month, year = match.groups()
            found += _valid_date(int(year), int(month), int(day))
    lowered = text.lower()
    if any(name in lowered for name in MONTHS):
        for day, month, year in _WORD_DATE.findall(text):
            found += _valid_date(int(year), MONTHS[month.lower()], int(day))
    return found


def _valid_date(year: int, month: int, day: int) -> list[date]:
    try:
        return [date(year, month, day)]
    except ValueError:
        return []


def _korona(text: str, **_: object) -> str | None:
    match = _KORONA.search(text)
    return match.group(0) if match else None


def _past_date(text: str, *, today: date, **_: object) -> str | None:
    passed = sorted(d for d in _dates(text) if d < today)
    return ", ".join(f"{d:%d.%m.%Y}" for d in passed) or None


def _phone(text: str, **_: object) -> str | None:
    found = [
        m.group(0)
        for run in _PHONE_RUN.finditer(text)
        for m in _PHONE.finditer(text, max(run.start() - 1, 0), run.end() + 1)
    ]
    return ", ".join(found) or None


def _web(text: str, **_: object) -> str | None:
    addresses: list[str] = []
    done = 0
    for match in _DOTTED.finditer(text):
        if match.start() < done:
            continue
        start = max(text.rfind(" ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
        ends = [i for i in (text.find(" ", match.end()), text.find("\n", match.end())) if i >= 0]
        done = min(ends, default=len(text))
        token = text[start:done].strip(_TRIM)
        if _ADDRESS.search(token) and token not in addresses:
            addresses.append(token)
    return ", ".join(addresses) or None


@lru_cache(maxsize=64)
def _normalised_standard(standard: str) -> str:
    return normalise_for_compare(standard)


def _standard(text: str, *, standard: str | None, **_: object) -> str | None:
    if not standard:
        return None
    mine, theirs = normalise_for_compare(text), _normalised_standard(standard)
    if theirs and theirs in mine:
        return "lik standardteksten" if mine == theirs else "inneholder standardteksten"
    return None


_CHECKS: dict[str, Callable[..., str | None]] = {
    "korona": _korona,
    "past_date": _past_date,
    "standard_text": _standard,
    "phone": _phone,
    "web": _web,
}


def find_flags(
    text: str, *, today: date, standard: str | None = None, stale: bool = False
) -> dict[str, str]:
    """Every flag one text raises, with a short detail (the word, date, number or address).

    `standard` is the area's standard text (for helsekontakt: the office's registry text);
    `stale` says the text has not changed for over 12 months.
    """
    if not text or not text.strip():
        return {"empty": ""}
    found = {"unchanged": ""} if stale else {}
    for flag, check in _CHECKS.items():
        detail = check(text, today=today, standard=standard)
        if detail is not None:
            found[flag] = detail
    return {flag: found[flag] for flag in FLAGS if flag in found}


def _standard_texts() -> dict[str, str]:
    return {a.slug: a.standard_text for a in CATALOG.info_areas if a.standard_text}


_DIGITS = b"0123456789"
_WEB_HINT = re.compile(r"www\.|://|\.(?:" + "|".join(_TLDS) + ")")
_CONTENT_FLAGS = ("standard_text", "korona", "past_date", "phone", "web")


def _rows_stmt(today: date) -> Select:
    """Every text with the office, `empty` and `stale` (0/1) and, for helsekontakt, the
    registry text (the standard text of that area)."""
    t, o = TEXTS.alias("t"), OFFICES.alias("o")
    cutoff = start_of_day(today - timedelta(days=STALE_DAYS))
    empty = case((func.length(func.trim(t.c.text)) == 0, 1), else_=0)
    stale = case((or_(t.c.updated_at.is_(None), t.c.updated_at < cutoff), 1), else_=0)
    registry = case(
        (
            t.c.area == "helsekontakt",
            o.c.name + literal("\n") + o.c.address + literal(", ") + o.c.postal_code
            + literal(" ") + o.c.postal_place,
        ),
        else_=None,
    )  # fmt: skip
    postal_code = case((t.c.area == "helsekontakt", o.c.postal_code), else_=None)
    return select(
        o.c.her_id, o.c.name, t.c.area, t.c.text, empty.label("empty"), stale.label("stale"),
        registry.label("registry"), postal_code.label("postal_code"),
    ).select_from(t.join(o, o.c.id == t.c.office_id))  # fmt: skip


def _key_word(standard: str) -> str:
    """A word any text repeating `standard` must hold: its longest inner word, lower case."""
    words = normalise_for_compare(standard).split()
    inner = words[1:-1] or words
    return max(inner, key=len) if inner else ""


def _text_details(text: str, today: date) -> tuple[str, tuple[str | None, ...]]:
    """The lower-case text and the details of korona, past_date, phone and web (or None)."""
    lowered = text.lower()
    raw = text.encode()
    digits = len(raw) - len(raw.translate(None, _DIGITS))
    return lowered, (
        _korona(text) if "korona" in lowered or "covid" in lowered else None,
        _past_date(text, today=today) if digits >= 5 and ("20" in text or "19" in text) else None,
        _phone(text) if digits >= 8 else None,
        _web(text) if _WEB_HINT.search(lowered) else None,
    )


def _scan(
    texts: list[str],
    standards: list[str | None],
    hints: list[str | None],
    index: np.ndarray,
    today: date,
) -> dict[str, tuple[list[int], list[str]]]:
    """Rows (of `index`) raising each content flag, with details; one pass, cheap tests first.

    `hints[i]`: a lower-case word any text repeating `standards[i]` holds. Many offices share
    a text word for word, so the text-only checks run once per distinct text.
    """
    found: dict[str, tuple[list[int], list[str]]] = {f: ([], []) for f in _CONTENT_FLAGS}
    memo: dict[str, tuple[str, tuple[str | None, ...]]] = {}
    text_flags = _CONTENT_FLAGS[1:]
    for i in index.tolist():
        text = texts[i]
        seen = memo.get(text)
        if seen is None:
            seen = memo[text] = _text_details(text, today)
        lowered, details = seen
        standard, hint = standards[i], hints[i]
        if standard and hint and hint in lowered:
            detail = _standard(text, standard=standard)
            if detail is not None:
                found["standard_text"][0].append(i)
                found["standard_text"][1].append(detail)
        for flag, detail in zip(text_flags, details, strict=True):
            if detail is not None:
                found[flag][0].append(i)
                found[flag][1].append(detail)
    return found


def text_flags(bind: Bind, today: date) -> pd.DataFrame:
    """One row per (office, area, flag): her_id, name, area, flag (a slug of FLAGS), text, detail.

    Flags: empty; unchanged (a non-empty text not changed since today − 365 days, or never);
    korona (a word beginning with korona/covid, not "koronar"); past_date (dd.mm.yyyy or
    "d. måned yyyy" before today); standard_text (equal to or containing the area's standard
    text, compared without case and punctuation; for helsekontakt the registry text);
    phone (8 digits, spaces and +47 allowed); web (http(s)://, www. or a domain name).
    Rows come sorted by HER-id, area (catalogue order) and flag (FLAGS order).
    """
    with connect(bind) as conn:
        rows, found = flag_hits(conn, today)
    return _assemble(rows, found)


Hits = list[tuple[np.ndarray, str, list[str] | None]]


def flag_hits(conn: Connection, today: date) -> tuple[pd.DataFrame, Hits]:
    """The rows read (one per text) and, per flag, the row positions raising it with details."""
    rows = read(conn, _rows_stmt(today))
    empty = rows["empty"].to_numpy() == 1
    stale = rows["stale"].to_numpy() == 1
    by_area = _standard_texts()
    registries = rows["registry"].tolist()
    standards = [
        registries[i] if a == "helsekontakt" else by_area.get(a)
        for i, a in enumerate(rows["area"].tolist())
    ]
    texts = rows["text"].tolist()
    key_words = {area: _key_word(text) for area, text in by_area.items()}
    hints = [
        code if a == "helsekontakt" else key_words.get(a)
        for a, code in zip(rows["area"].tolist(), rows["postal_code"].tolist(), strict=True)
    ]
    found: Hits = [
        (np.flatnonzero(empty), "empty", None),
        (np.flatnonzero(~empty & stale), "unchanged", None),
    ]
    for flag, (index, details) in _scan(
        texts, standards, hints, np.flatnonzero(~empty), today
    ).items():
        found.append((np.asarray(index, dtype="int64"), flag, details))
    return rows, found


def _assemble(rows: pd.DataFrame, found: Hits) -> pd.DataFrame:
    """One frame of all hits, sorted by HER-id, area and flag, with a single take of `rows`."""
    index = np.concatenate([i for i, _, _ in found]).astype("int64")
    flags = np.concatenate([np.full(len(i), FLAGS.index(f)) for i, f, _ in found])
    details = np.array(
        [d for i, _, ds in found for d in (ds if ds is not None else [""] * len(i))], dtype=object
    )
    area_rank = {slug: n for n, slug in enumerate(CATALOG.area_slugs)}
    offices = pd.factorize(rows["her_id"], sort=True)[0]
    areas = rows["area"].map(area_rank).fillna(len(area_rank)).to_numpy(dtype="int64")
    order = np.lexsort((flags, areas[index], offices[index]))
    out = rows.iloc[index[order]][["her_id", "name", "area", "text"]].reset_index(drop=True)
    out.insert(3, "flag", np.asarray(FLAGS, dtype=object)[flags[order]])
    out["detail"] = details[order]
    return out[FLAG_COLUMNS]
