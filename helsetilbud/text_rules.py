"""Rules for the texts an office writes for patients: the info texts, scheduled texts and notes.

A text is normalised to Unicode NFC and stripped of surrounding white space; line breaks are
kept (CR LF and lone CR become LF), every other control character is refused, and so is every
invisible format character (Unicode category Cf: direction overrides and marks, zero-width
spaces, soft hyphens, byte order marks), which could make what a patient reads differ from
what is stored; a zero-width joiner inside an emoji sequence is the one exception
(docs/decisions/0011-strict-input.md). Its length is
`len()` of the NFC string, that is Unicode code points: "é" typed as e + combining accent
counts 1, "ø" counts 1, a single emoji such as 😀 counts 1 (an emoji built from several code
points, such as a skin-tone or family sequence, counts each of them). A text holding a valid
fødselsnummer or D-nummer is refused, also when it is written with dots, dashes or spaces
between the digits, with invisible characters among them, or in look-alike digits (full-width,
other scripts). Texts are plain text: nothing here escapes or strips HTML, and nothing anywhere
may interpret it as HTML.
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
# A run of digits, one to three separators (white space, dots, dashes, slashes) between any
# two of them. A run of exactly 11 digits is a candidate: phone numbers (8 digits, 10 with +47),
# dates (6 or 8) and date-and-time (10 or 12) never are.
_SEPARATORS = " \t.\\-/_\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DIGIT_RUN = re.compile(rf"[0-9](?:[{_SEPARATORS}]{{0,3}}[0-9])*")
# Norwegian names of the format characters people meet; others are named by code point only.
_FORMAT_NAMES = {
    0x00AD: "myk bindestrek",
    0x061C: "arabisk bokstavmerke",
    0x180E: "mongolsk vokalskiller",
    0x200B: "mellomrom med null bredde",
    0x200C: "ikke-sammenbinder med null bredde",
    0x200D: "sammenbinder med null bredde",
    0x200E: "venstre-til-høyre-merke",
    0x200F: "høyre-til-venstre-merke",
    0x202A: "venstre-til-høyre-innbygging",
    0x202B: "høyre-til-venstre-innbygging",
    0x202C: "slutt på retningsformatering",
    0x202D: "venstre-til-høyre-overstyring",
    0x202E: "høyre-til-venstre-overstyring",
    0x2060: "ordbinder",
    0x2066: "venstre-til-høyre-isolering",
    0x2067: "høyre-til-venstre-isolering",
    0x2068: "første sterke retningsisolering",
    0x2069: "slutt på retningsisolering",
    0xFEFF: "byte-rekkefølgemerke (BOM)",
}

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


def _plain_digits(text: str) -> str:
    """NFKC, format characters dropped, every decimal digit of any script as 0–9."""
    folded = unicodedata.normalize("NFKC", text)
    out = []
    for char in folded:
        if unicodedata.category(char) == "Cf":
            continue
        digit = unicodedata.decimal(char, None)
        out.append(str(digit) if digit is not None else char)
    return "".join(out)


def contains_fodselsnummer(text: str) -> bool:
    """True when the text holds a valid fødselsnummer or D-nummer: 11 digits written as one
    group or with separators between them ("150590 12387", "15.05.90-123 87"), seen through
    invisible characters and look-alike digits."""
    for run in _DIGIT_RUN.finditer(_plain_digits(text)):
        digits = "".join(c for c in run.group() if c.isdigit())
        if len(digits) == 11 and valid_fodselsnummer(digits):
            return True
    return False


def normalise(text: str) -> str:
    """NFC, line breaks as LF, surrounding white space removed."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _emoji_joiner(text: str, index: int) -> bool:
    """A zero-width joiner between two parts of an emoji sequence (👩‍⚕️, 👨‍👩‍👧)."""
    if text[index] != "\u200d" or index == 0 or index + 1 == len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    return unicodedata.category(after) == "So" and (
        unicodedata.category(before) in ("So", "Sk") or before == "\ufe0f"
    )


def _bad_characters(text: str) -> tuple[list[str], list[str]]:
    """Control characters (and lone surrogates), and invisible format characters, by code."""
    controls: list[str] = []
    formats: list[str] = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        code = f"U+{ord(char):04X}"
        if (category == "Cc" and char != "\n") or category == "Cs":
            if code not in controls:
                controls.append(code)
        elif category == "Cf" and not _emoji_joiner(text, index):
            name = _FORMAT_NAMES.get(ord(char))
            shown = f"{code}, {name}" if name else code
            if shown not in formats:
                formats.append(shown)
    return controls, formats


def _problems(label: str, text: str, limit: int) -> tuple[str, list[str]]:
    if not isinstance(text, str):
        return "", [f"{label} må være tekst."]
    cleaned = normalise(text)
    problems: list[str] = []
    if contains_fodselsnummer(cleaned):  # first: the one a person must never miss
        problems.append(f"{label} {FODSELSNUMMER_MESSAGE}")
    controls, formats = _bad_characters(cleaned)
    for code in controls:
        problems.append(f"{label} inneholder et ugyldig kontrolltegn ({code}).")
    for shown in formats:
        problems.append(
            f"{label} inneholder et usynlig formateringstegn ({shown}) som kan få teksten til å "
            "se annerledes ut for pasienten enn det som er lagret. Fjern tegnet."
        )
    if len(cleaned) > limit:
        problems.append(f"{label} er {len(cleaned)} tegn; grensen er {limit}.")
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
