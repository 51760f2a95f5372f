"""Rules for the texts an office writes for patients: the info texts, scheduled texts and notes.

A text is normalised to Unicode NFC and stripped of surrounding white space; line breaks are
kept (CR LF and lone CR become LF), every other control character is refused. Its length is
`len()` of the NFC string, that is Unicode code points: "é" typed as e + combining accent
counts 1, "ø" counts 1, a single emoji such as 😀 counts 1 (an emoji built from several code
points, such as a skin-tone or family sequence, counts each of them). A text holding a valid
fødselsnummer or D-nummer is refused. Texts are plain text: nothing here escapes or strips
HTML, and nothing anywhere may interpret it as HTML.
"""

from __future__ import annotations

import re
import unicodedata

from helsetilbud.catalog import CATALOG
from helsetilbud.errors import NotFound, ValidationError

__all__ = [
    "clean_info_text",
    "clean_text",
    "info_area_name",
    "normalise",
    "text_problems",
    "valid_fodselsnummer",
]

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# 11 digits, possibly with one (no-break) space after the sixth, not part of a longer number.
_ID_CANDIDATE = re.compile(r"(?<![0-9])([0-9]{6})[ \u00a0]?([0-9]{5})(?![0-9])")

FODSELSNUMMER_MESSAGE = (
    "inneholder et fødselsnummer eller D-nummer. "
    "Pasienters identitetsnummer skal aldri stå på en offentlig side."
)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    rest = sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11
    digit = (11 - rest) % 11
    return None if digit == 10 else digit


def valid_fodselsnummer(digits: str) -> bool:
    """True when `digits` (11 digits) is a valid fødselsnummer or D-nummer.

    Both mod-11 check digits must be right, and the date part plausible: day 1–31, or 41–71
    for a D-nummer (first digit + 4); month 1–12, or + 40 (H-nummer) or + 80 (synthetic
    test numbers).
    """
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return False
    day, month = int(digits[0:2]), int(digits[2:4])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        return False
    if not any(1 <= month - offset <= 12 for offset in (0, 40, 80)):
        return False
    k1 = _check_digit(digits[:9], _WEIGHTS_1)
    if k1 is None or k1 != int(digits[9]):
        return False
    k2 = _check_digit(digits[:10], _WEIGHTS_2)
    return k2 is not None and k2 == int(digits[10])


def contains_fodselsnummer(text: str) -> bool:
    """True when the text holds 11 digits (maybe "ddmmåå nnnnn") forming a valid number."""
    return any(valid_fodselsnummer(m.group(1) + m.group(2)) for m in _ID_CANDIDATE.finditer(text))


def normalise(text: str) -> str:
    """NFC, line breaks as LF, surrounding white space removed."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _bad_characters(text: str) -> list[str]:
    found: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char != "\n") or category == "Cs":
            code = f"U+{ord(char):04X}"
            if code not in found:
                found.append(code)
    return found


def _problems(label: str, text: str, limit: int) -> tuple[str, list[str]]:
    if not isinstance(text, str):
        return "", [f"{label} må være tekst."]
    cleaned = normalise(text)
    problems: list[str] = []
    for code in _bad_characters(cleaned):
        problems.append(f"{label} inneholder et ugyldig kontrolltegn ({code}).")
    if len(cleaned) > limit:
        problems.append(f"{label} er {len(cleaned)} tegn; grensen er {limit}.")
    if contains_fodselsnummer(cleaned):
        problems.append(f"{label} {FODSELSNUMMER_MESSAGE}")
    return cleaned, problems


def clean_text(text: str, *, label: str, limit: int, field: str | None = None) -> str:
    """The cleaned text, or ValidationError naming `label` ("Merknaden") and the first problem."""
    cleaned, problems = _problems(label, text, limit)
    if problems:
        raise ValidationError(problems[0], field=field)
    return cleaned


def info_area_name(area: str) -> str:
    """The UI name of an info area; NotFound for an unknown slug."""
    try:
        return CATALOG.area(area).name
    except KeyError:
        raise NotFound(f"Ukjent informasjonsområde «{area}».", field=area) from None


def _area_label_and_limit(area: str) -> tuple[str, int]:
    name = info_area_name(area)
    return f"Teksten for «{name}»", CATALOG.area(area).limit


def clean_info_text(area: str, text: str) -> str:
    """The text as stored for `area`, or ValidationError; empty means "no additional information".

    E.g. "Teksten for «Reseptfornyelse» er 301 tegn; grensen er 300."
    """
    label, limit = _area_label_and_limit(area)
    return clean_text(text, label=label, limit=limit, field=area)


def text_problems(area: str, text: str) -> list[str]:
    """Every rule `text` breaks for `area`, as Norwegian messages (empty list: the text is fine)."""
    label, limit = _area_label_and_limit(area)
    return _problems(label, text, limit)[1]
