"""Sentences, words and LIX (lesbarhetsindeks, "liks"), as Björnsson defined it and
Språkrådet describes it: words per sentence plus the percentage of long words.

- A word is a run of letters and digits; a hyphen, apostrophe or dot between two such runs
  keeps them one word ("e-konsultasjon", "01.07.2025", "f.eks").
- A long word has more than six letters (digits are not letters).
- A sentence ends at ".", "!" or "?" followed by white space or the end of the text (not after
  a known abbreviation such as "kl." or "tlf."), at ":" followed by a capital letter, and at
  a line break. A text with words and no such end is one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "LIX_LEVELS",
    "LONG_WORD_LETTERS",
    "Lix",
    "lix",
    "lix_level",
    "sentences",
    "words",
]

LONG_WORD_LETTERS = 6  # a long word has more letters than this
# (lowest LIX of the level, the level's name) as Språkrådet and Norwegian tools give the scale
LIX_LEVELS = (
    (0, "svært lettlest, som barnebøker"),
    (30, "lettlest, som skjønnlitteratur og populæraviser"),
    (40, "middels vanskelig, som en vanlig avisartikkel"),
    (50, "vanskelig, som offentlige dokumenter og fagtekster"),
    (60, "svært vanskelig, som byråkratiske tekster"),
)
ABBREVIATIONS = frozenset(
    [
        "bl.a",
        "ca",
        "dvs",
        "eks",
        "el",
        "etc",
        "evt",
        "f.eks",
        "fr.o.m",
        "jf",
        "kl",
        "mht",
        "mv",
        "nr",
        "o.l",
        "osv",
        "pga",
        "ref",
        "tel",
        "tlf",
        "t.o.m",
    ]
)
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_END = re.compile(r"[.!?]+(?=\s|$)|:(?=\s*[A-ZÆØÅ])|\n")

Span = tuple[int, int]


def words(text: str) -> list[tuple[str, int, int]]:
    """Every word with its start and end."""
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


def _abbreviation_before(text: str, at: int) -> bool:
    start = at
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    return text[start:at].lower().strip(".") in ABBREVIATIONS


def sentences(text: str) -> list[Span]:
    """The sentences' spans (start, end), each holding at least one word, white space trimmed."""
    spans: list[Span] = []
    start = 0
    for match in _END.finditer(text):
        if match.group(0).startswith(".") and _abbreviation_before(text, match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    kept: list[Span] = []
    for a, b in spans:
        piece = text[a:b]
        if _WORD.search(piece):
            lead = len(piece) - len(piece.lstrip())
            kept.append((a + lead, a + len(piece.rstrip())))
    return kept


@dataclass(frozen=True)
class Lix:
    """LIX = words / sentences + 100 × long words / words."""

    words: int
    sentences: int
    long_words: int

    @property
    def value(self) -> float:
        return self.words / self.sentences + 100 * self.long_words / self.words

    @property
    def level(self) -> str:
        return lix_level(self.value)


def lix_level(value: float) -> str:
    """The level's name for a LIX value: "lettlest, …" for 30–39 and so on."""
    name = LIX_LEVELS[0][1]
    for lowest, level in LIX_LEVELS:
        if value >= lowest:
            name = level
    return name


def lix(text: str) -> Lix | None:
    """The text's LIX counts; None for a text without words."""
    found = words(text)
    if not found:
        return None
    long_words = sum(1 for w, _, _ in found if sum(c.isalpha() for c in w) > LONG_WORD_LETTERS)
    return Lix(len(found), max(len(sentences(text)), 1), long_words)


# Written in capitals by convention; a word of CAPITALS_MIN_LETTERS letters or more in capitals
# that is not one of these is shouting.
ACRONYMS = frozenset({"COVID", "HELFO", "BANKID", "MINID", "HELSENORGE", "BUPA", "HELSEID"})
CAPITALS_MIN_LETTERS = 4
_POSTAL_CODE = re.compile(r"(?<!\d)\d{4}\s+$")


def capital_words(text: str) -> list[tuple[str, int, int]]:
    """Words of four letters or more written in capitals only ("VIKTIG", "STENGT"); a postal
    place after its postal code ("0155 OSLO") is written so by convention."""
    found = []
    for word, start, end in words(text):
        letters = [c for c in word if c.isalpha()]
        if (
            len(letters) >= CAPITALS_MIN_LETTERS
            and not _POSTAL_CODE.search(text, max(start - 12, 0), start)
            and all(c.isupper() for c in letters)
            and word.upper().split("-")[0] not in ACRONYMS
        ):
            found.append((word, start, end))
    return found
