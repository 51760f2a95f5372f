"""`check_text`: every hint for one text, from the rules in this package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from helsetilbud.catalog import CATALOG
from helsetilbud.oslo_time import today_in_oslo
from helsetilbud.text_hints import messages as say
from helsetilbud.text_hints.numbers import digits_of, emergency_problems
from helsetilbud.text_hints.patterns import dates, korona_words, phones, web_addresses
from helsetilbud.text_hints.readability import capital_words, lix, sentences, words
from helsetilbud.text_hints.standard import contradictions, repeated_sentences, repeats_standard

__all__ = [
    "CODES",
    "LIX_HINT_FROM",
    "LIX_MIN_WORDS",
    "LONG_SENTENCE_WORDS",
    "WARNINGS",
    "Hint",
    "check_text",
]

CODES = tuple(say.TITLES)
# Hints about something that misleads a patient: shown as a warning on the card.
WARNINGS = frozenset(
    {"korona", "past_date", "standard_contradiction", "phone_registry", "emergency_number"}
)
LONG_SENTENCE_WORDS = 20  # a sentence of more words than this is long
LIX_HINT_FROM = 50  # "vanskelig" and above
LIX_MIN_WORDS = 20  # LIX says little about fewer words


@dataclass(frozen=True)
class Hint:
    """One problem of a text: `code` (a slug of CODES), a Norwegian `message` saying why and
    what to do, and the span `start`..`end` it concerns (None: the text as a whole)."""

    code: str
    message: str
    start: int | None = None
    end: int | None = None

    @property
    def warning(self) -> bool:
        return self.code in WARNINGS

    @property
    def title(self) -> str:
        return say.TITLES[self.code]

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "start": self.start, "end": self.end}


def _standard_of(area: str | None) -> str | None:
    if area is None:
        return None
    return CATALOG.area(area).standard_text or None


def check_text(
    text: str,
    *,
    area: str | None = None,
    standard: str | None = None,
    today: date | None = None,
    stale: bool = False,
    registry_phone: str | None = None,
) -> list[Hint]:
    """The hints for `text`, text-wide ones first, then in the order of the text.

    `standard` is the standard text beside it (default: the area's fixed one; for helsekontakt
    pass the office's registry text); `today` decides which dates have passed (default: today
    in Oslo); `stale` says the text has not been changed or confirmed for over 12 months;
    `registry_phone` is the office's phone number in the registry, where it has one.
    """
    today = today or today_in_oslo()
    standard = standard if standard is not None else _standard_of(area)
    if not text.strip():
        return [Hint("empty", say.empty())]
    hints: list[Hint] = []
    if stale:
        hints.append(Hint("unchanged", say.unchanged()))
    hints += _standard_hints(text, standard)
    hints += [Hint("korona", say.korona(w), a, b) for w, a, b in korona_words(text)]
    hints += [
        Hint("past_date", say.past_date(text[a:b]), a, b) for d, a, b in dates(text) if d < today
    ]
    hints += _phone_hints(text, registry_phone)
    hints += [Hint("web", say.web(w), a, b) for w, a, b in web_addresses(text)]
    hints += _emergency_hints(text)
    hints += _readability_hints(text)
    rank = {code: n for n, code in enumerate(CODES)}
    return sorted(hints, key=lambda h: (-1 if h.start is None else h.start, rank[h.code]))


def _standard_hints(text: str, standard: str | None) -> list[Hint]:
    repeated = repeated_sentences(text, standard)
    detail = repeats_standard(text, standard)
    hints: list[Hint] = []
    if detail is not None:
        start, end = (repeated[0][0], repeated[-1][1]) if repeated else (None, None)
        hints.append(Hint("standard_text", say.standard_text(detail.startswith("lik")), start, end))
    else:
        hints += [
            Hint("standard_sentence", say.standard_sentence(text[a:b]), a, b) for a, b in repeated
        ]
    hints += [
        Hint("standard_contradiction", say.standard_contradiction(c.theirs, c.mine), c.start, c.end)
        for c in contradictions(text, standard)
    ]
    return hints


def _phone_hints(text: str, registry_phone: str | None) -> list[Hint]:
    registry = digits_of(registry_phone) if registry_phone else ""
    hints = []
    for number, a, b in phones(text):
        if registry and digits_of(number) != registry:
            hints.append(Hint("phone_registry", say.phone_registry(number, registry_phone), a, b))
        else:
            hints.append(Hint("phone", say.phone(number), a, b))
    return hints


def _emergency_hints(text: str) -> list[Hint]:
    wording = {
        "wrong_emergency": lambda p: say.wrong_emergency(p.number, p.detail),
        "near_legevakt": lambda p: say.near_legevakt(p.number),
        "local_legevakt": lambda p: say.local_legevakt(p.number),
    }
    return [
        Hint("emergency_number", wording[p.kind](p), p.start, p.end)
        for p in emergency_problems(text)
    ]


def _readability_hints(text: str) -> list[Hint]:
    hints = []
    for a, b in sentences(text):
        count = len(words(text[a:b]))
        if count > LONG_SENTENCE_WORDS:
            hints.append(Hint("long_sentence", say.long_sentence(count, LONG_SENTENCE_WORDS), a, b))
    counts = lix(text)
    if counts is not None and counts.words >= LIX_MIN_WORDS and counts.value >= LIX_HINT_FROM:
        hints.append(Hint("lix", say.lix(counts.value, counts.level)))
    hints += [Hint("capitals", say.capitals(w), a, b) for w, a, b in capital_words(text)]
    return hints
