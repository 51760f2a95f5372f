"""The office's text beside the fixed standard text: repeats and contradictions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from helsetilbud.text_hints.readability import sentences, words

__all__ = [
    "Contradiction",
    "contradictions",
    "normalise_for_compare",
    "repeated_sentences",
    "repeats_standard",
]

_NOT_WORD = re.compile(r"[^\w]+")
REPEAT_MIN_WORDS = 4  # a shorter sentence in both texts ("Velkommen.") is no repeat


def normalise_for_compare(text: str) -> str:
    """Case-folded words separated by single spaces: punctuation and line breaks ignored."""
    text = unicodedata.normalize("NFC", text).casefold()
    return _NOT_WORD.sub(" ", text).strip()


@lru_cache(maxsize=64)
def normalised_standard(standard: str) -> str:
    return normalise_for_compare(standard)


def repeats_standard(text: str, standard: str | None) -> str | None:
    """The report's flag: "lik standardteksten", "inneholder standardteksten", or None."""
    if not standard:
        return None
    mine, theirs = normalise_for_compare(text), normalised_standard(standard)
    if theirs and theirs in mine:
        return "lik standardteksten" if mine == theirs else "inneholder standardteksten"
    return None


def repeated_sentences(text: str, standard: str | None) -> list[tuple[int, int]]:
    """Spans of the text's sentences (of REPEAT_MIN_WORDS words or more) found in `standard`."""
    if not standard:
        return []
    theirs = f" {normalised_standard(standard)} "
    found = []
    for start, end in sentences(text):
        piece = text[start:end]
        if len(words(piece)) >= REPEAT_MIN_WORDS and f" {normalise_for_compare(piece)} " in theirs:
            found.append((start, end))
    return found


_NUMBERS = {
    "en": 1, "én": 1, "ett": 1, "ei": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
    "sju": 7, "syv": 7, "åtte": 8, "ni": 9, "ti": 10, "fjorten": 14,
}  # fmt: skip
# Each unit in days, a working day counted as 7/5 days (a week holds five).
_DAYS = {"arbeidsdag": 1.4, "virkedag": 1.4, "dag": 1.0, "døgn": 1.0, "time": 1 / 24, "uke": 7.0}
DEADLINE = re.compile(
    r"\b(?:innen|i løpet av|senest(?: innen)?)\s+(\d{1,3}|" + "|".join(_NUMBERS) + r")\s+"
    r"(arbeidsdag|virkedag|dag|døgn|time|uke)(?:er|r|e|n|ene|ne)?\b",
    re.IGNORECASE,
)
_PAYS = re.compile(r"\begenandel\b", re.IGNORECASE)
_FREE = re.compile(
    r"\b(?:gratis|kostnadsfri\w*|koster ikke noe|ingen egenandel|uten egenandel|"
    r"betaler ikke|betaler ingenting)\b",
    re.IGNORECASE,
)
_OTHERS_READ = re.compile(r"lest av andre|besvart av annet helsepersonell", re.IGNORECASE)
_ONLY_GP = re.compile(
    r"\b(?:bare|kun)\s+(?:fastlegen|legen)(?:\s+din)?\s+(?:leser|ser|svarer|besvarer)\b"
    r"|\b(?:leses|besvares)\s+(?:bare|kun)\s+av\s+(?:fastlegen|legen)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Contradiction:
    """A phrase of the text saying the opposite of `theirs` in the standard text."""

    theirs: str
    mine: str
    start: int
    end: int


def _days(match: re.Match[str]) -> float:
    amount, unit = match.group(1).lower(), match.group(2).lower()
    return (int(amount) if amount.isdigit() else _NUMBERS[amount]) * _DAYS[unit]


def contradictions(text: str, standard: str | None) -> list[Contradiction]:
    """Deadlines longer than the standard text's ("innen to uker" beside "innen fem
    arbeidsdager"; a shorter one is a promise on top of it), "gratis" beside the standard's
    egenandel, and "bare fastlegen leser" beside the standard's "kan bli lest av andre"."""
    if not standard:
        return []
    found: list[Contradiction] = []
    said = DEADLINE.search(standard)
    if said is not None:
        for m in DEADLINE.finditer(text):
            if _days(m) > _days(said) + 1e-9:
                found.append(Contradiction(said.group(0), m.group(0), m.start(), m.end()))
    pairs = ((_PAYS, _FREE), (_OTHERS_READ, _ONLY_GP))
    for in_standard, in_text in pairs:
        said = in_standard.search(standard)
        if said is not None:
            found += [
                Contradiction(_phrase(standard, said), m.group(0), m.start(), m.end())
                for m in in_text.finditer(text)
            ]
    return found


def _phrase(standard: str, match: re.Match[str]) -> str:
    """The standard's sentence holding `match`, for the message."""
    for start, end in sentences(standard):
        if start <= match.start() < end:
            return standard[start:end]
    return match.group(0)
