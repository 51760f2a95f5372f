"""Text quality flags: info texts an analyst should look at, one row per office, area and flag.

SQL finds the stale texts; Python does the rest once per distinct text (many offices share a
text word for word): one search of all of them joined finds the few that may raise a flag,
and the regular expressions run only on those.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from helsetilbud.analytics._common import Bind, connect
from helsetilbud.analytics._textrows import TextRows, read_texts
from helsetilbud.catalog import CATALOG
from helsetilbud.text_hints import TITLES
from helsetilbud.text_hints.patterns import (
    KORONA,
    KORONA_STEMS,
    PHONE_RUN,
    TLDS,
    YEAR,
    dates,
    phones,
    web_addresses,
)
from helsetilbud.text_hints.standard import normalise_for_compare, repeats_standard

__all__ = ["FLAGS", "FLAG_LABELS", "find_flags", "text_flags"]

# The report's flags are the text rules' (helsetilbud.text_hints) codes of the same names.
FLAGS: tuple[str, ...] = (
    "empty",
    "unchanged",
    "korona",
    "past_date",
    "standard_text",
    "phone",
    "web",
)
FLAG_LABELS: dict[str, str] = {flag: TITLES[flag] for flag in FLAGS}
FLAG_COLUMNS = ["her_id", "name", "area", "flag", "text", "detail"]


def _korona(text: str, **_: object) -> str | None:
    match = KORONA.search(text)
    return match.group(0) if match else None


def _past_date(text: str, *, today: date, **_: object) -> str | None:
    passed = sorted(d for d, _, _ in dates(text) if d < today)
    return ", ".join(f"{d:%d.%m.%Y}" for d in passed) or None


def _phone(text: str, **_: object) -> str | None:
    return ", ".join(number for number, _, _ in phones(text)) or None


def _web(text: str, **_: object) -> str | None:
    addresses = list(dict.fromkeys(address for address, _, _ in web_addresses(text)))
    return ", ".join(addresses) or None


def _standard(text: str, *, standard: str | None, **_: object) -> str | None:
    return repeats_standard(text, standard)


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


def _key_word(standard: str) -> str:
    """A word any text repeating `standard` must hold: its longest inner word, lower case."""
    words = normalise_for_compare(standard).split()
    inner = words[1:-1] or words
    return max(inner, key=len) if inner else ""


_DIGITS = b"0123456789"
_SEP = "\x00"  # joins the distinct texts; no hint below can match it
# Hints: every text a check flags holds one, and most texts hold none. They are searched in
# the lower-case texts, as the korona and web checks' gates do (lower() changes no digit,
# space or "+"); every date holds a year, every phone number lies in a PHONE_RUN.
_KORONA_HINTS = tuple(re.compile(stem) for stem in KORONA_STEMS)
_DATE_HINT = re.compile(YEAR)
_WEB_HINT = re.compile(r"www\.|://|\.(?:" + "|".join(TLDS) + ")")


def _digits(text: str) -> int:
    raw = text.encode()
    return len(raw) - len(raw.translate(None, _DIGITS))


def _blank(text: str) -> bool:
    """SQL's length(trim(text)) = 0: only spaces (SQLite's length stops at a NUL)."""
    return not text.partition("\x00")[0].strip(" ")


class _Joined:
    """Texts joined by _SEP into one string, so that one search finds the texts holding a hint."""

    def __init__(self, texts: list[str]) -> None:
        self.text = _SEP.join(texts)
        self.ends = np.cumsum(np.fromiter(map(len, texts), "int64", len(texts)) + 1)

    def holding(self, *patterns: re.Pattern[str]) -> np.ndarray:
        """Positions of the texts any of `patterns` matches in, ascending, once each."""
        starts = [
            np.fromiter((m.start() for m in p.finditer(self.text)), "int64") for p in patterns
        ]
        return np.unique(np.searchsorted(self.ends, np.concatenate(starts), side="right"))


Hit = tuple[np.ndarray, np.ndarray]  # positions (of distinct texts or rows), details
Hits = list[tuple[np.ndarray, str, np.ndarray | None]]  # rows, flag, details (None: all "")


def _text_hits(uniques: list[str], lowered: _Joined, today: date) -> dict[str, Hit]:
    """Per flag on the text alone: the distinct texts raising it and the details."""

    def past_date(text: str) -> str | None:
        gate = _digits(text) >= 5 and ("20" in text or "19" in text)
        return _past_date(text, today=today) if gate else None

    def phone(text: str) -> str | None:
        return _phone(text) if _digits(text) >= 8 else None

    checks = {
        "korona": (lowered.holding(*_KORONA_HINTS), _korona),
        "past_date": (lowered.holding(_DATE_HINT), past_date),
        "phone": (lowered.holding(PHONE_RUN), phone),
        "web": (lowered.holding(_WEB_HINT), _web),
    }
    found = {}
    for flag, (candidates, check) in checks.items():
        details = [check(uniques[i]) for i in candidates.tolist()]
        raised = np.fromiter((d is not None for d in details), bool, len(details))
        kept = np.array([d for d in details if d is not None], dtype=object)
        found[flag] = (candidates[raised], kept)
    return found


def _standard_hits(rows: TextRows, content: np.ndarray, lowered: list[str], joined: _Joined) -> Hit:
    """Rows repeating their area's standard text (for helsekontakt: the office's registry
    text); only texts holding its key word (the office's postal code) are compared."""
    found: dict[int, str | None] = {}
    for area, standard in _standard_texts().items():
        hint = _key_word(standard)
        if area == "helsekontakt" or not hint:
            continue
        holding = np.zeros(len(rows.uniques), dtype=bool)
        holding[joined.holding(re.compile(re.escape(hint)))] = True
        index = np.flatnonzero(rows.in_area(area) & content & holding[rows.codes])
        memo: dict[int, str | None] = {}
        for i, code in zip(index.tolist(), rows.codes[index].tolist(), strict=True):
            if code not in memo:
                memo[code] = _standard(rows.uniques[code], standard=standard)
            found[i] = memo[code]
    index = np.flatnonzero(rows.in_area("helsekontakt") & content)
    postal = rows.offices["postal_code"][rows.office[index]].tolist()
    pairs = zip(postal, rows.codes[index].tolist(), strict=True)
    index = index[np.fromiter((bool(p) and p in lowered[c] for p, c in pairs), bool, len(index))]
    for i, at, code in zip(index.tolist(), rows.office[index], rows.codes[index], strict=True):
        found[i] = _standard(rows.uniques[code], standard=_registry(rows.offices, at))
    index = np.fromiter(sorted(i for i, d in found.items() if d is not None), "int64")
    return index, np.array([found[i] for i in index.tolist()], dtype=object)


def _registry(offices: dict[str, np.ndarray], at: int) -> str:
    """The office's name and address as the registry shows them (helsekontakt's standard)."""
    name, address, code, place = (
        offices[k][at] for k in ("name", "address", "postal_code", "postal_place")
    )
    return f"{name}\n{address}, {code} {place}"


def flag_hits(rows: TextRows, today: date) -> Hits:
    """Per flag, the rows raising it (ascending) and the details (None: all empty)."""
    empty = np.fromiter(map(_blank, rows.uniques), bool, len(rows.uniques))[rows.codes]
    lowered = [text.lower() for text in rows.uniques]
    joined = _Joined(lowered)
    found: Hits = [
        (np.flatnonzero(empty), "empty", None),
        (np.flatnonzero(~empty & rows.stale), "unchanged", None),
    ]
    index, details = _standard_hits(rows, ~empty, lowered, joined)
    found.append((index, "standard_text", details))
    for flag, (texts, details) in _text_hits(rows.uniques, joined, today).items():
        raised = np.full(len(rows.uniques), -1, dtype="int64")
        raised[texts] = np.arange(len(texts))
        position = np.where(empty, -1, raised[rows.codes])
        index = np.flatnonzero(position >= 0)
        found.append((index, flag, details[position[index]]))
    return found


def text_flags(bind: Bind, today: date) -> pd.DataFrame:
    """One row per (office, area, flag): her_id, name, area, flag (a slug of FLAGS), text, detail.

    Flags: empty; unchanged (a non-empty text neither changed nor confirmed since
    today − 365 days);
    korona (a word beginning with korona/covid, not "koronar"); past_date (dd.mm.yyyy or
    "d. måned yyyy" before today); standard_text (equal to or containing the area's standard
    text, compared without case and punctuation; for helsekontakt the registry text);
    phone (8 digits, spaces and +47 allowed); web (http(s)://, www. or a domain name).
    Rows come sorted by HER-id, area (catalogue order) and flag (FLAGS order).
    """
    with connect(bind) as conn:
        rows = read_texts(conn, today)
    return _assemble(rows, flag_hits(rows, today))


def _assemble(rows: TextRows, found: Hits) -> pd.DataFrame:
    """One frame of all hits, sorted by HER-id, area and flag, with one take per column."""
    index = np.concatenate([i for i, _, _ in found]).astype("int64")
    flags = np.concatenate([np.full(len(i), FLAGS.index(f), "int64") for i, f, _ in found])
    details = np.concatenate(
        [np.full(len(i), "", object) if ds is None else ds for i, _, ds in found]
    )
    her_ids = rows.offices["her_id"].tolist()  # unique
    by_her_id = np.empty(len(her_ids), "int64")
    by_her_id[sorted(range(len(her_ids)), key=her_ids.__getitem__)] = np.arange(len(her_ids))
    row_key = by_her_id[rows.office] * (len(CATALOG.area_slugs) + 1) + rows.area_rank()
    order = np.argsort(row_key[index] * len(FLAGS) + flags, kind="stable")
    take, office = index[order], rows.office[index[order]]
    texts = np.asarray(rows.uniques, dtype=object)
    columns = {
        "her_id": rows.offices["her_id"][office],
        "name": rows.offices["name"][office],
        "area": rows.area_slugs(take),
        "flag": np.asarray(FLAGS, dtype=object)[flags[order]],
        "text": texts[rows.codes[take]],
        "detail": details[order],
    }
    frame = pd.DataFrame(columns, columns=FLAG_COLUMNS, dtype="str")
    if len(frame):
        return frame
    read = "str" if len(rows.codes) else object  # an empty frame keeps the dtypes it had
    return frame.astype(
        {c: read if c in ("her_id", "name", "area", "text") else object for c in FLAG_COLUMNS}
    )
