"""Phone numbers against the registry, and emergency numbers other than Helsenorge's own.

Helsenorge tells patients to call 113 in an emergency and 116 117 for the legevakt (the same
number everywhere in Norway). 110 (fire) and 112 (police) are no medical emergency numbers,
911 and 999 are other countries'; a local legevakt number can change without the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["EMERGENCY", "LEGEVAKT", "NumberProblem", "digits_of", "emergency_problems"]

EMERGENCY = "113"
LEGEVAKT = "116 117"
WRONG_EMERGENCY = {"110": "brannvesenet", "112": "politiet", "911": "USA", "999": "Storbritannia"}
# A wrong emergency number counts only after a word about calling or an emergency, within
# CONTEXT characters ("ring 112"), so that "Storgata 112" or "rom 110" raise nothing.
CONTEXT = 40
_CALL = re.compile(
    r"\b(?:ring\w*|nød\w*|akutt\w*|ambulanse|livstruende|alvorlig\w*|haster|alarm\w*|amk|"
    r"tlf|telefon\w*|nummer\w*)\b",
    re.IGNORECASE,
)
_LEGEVAKT_WORD = re.compile(r"\blegevakt\w*", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\d+])\+?\d(?:[ \u00a0]?\d)*(?!\d)")


def digits_of(number: str) -> str:
    """The digits of a phone number, without a leading +47 (or 0047)."""
    digits = "".join(c for c in number if c.isdigit())
    for prefix in ("0047", "47"):
        if len(digits) == 8 + len(prefix) and digits.startswith(prefix):
            return digits[len(prefix) :]
    return digits


@dataclass(frozen=True)
class NumberProblem:
    kind: str  # "wrong_emergency", "near_legevakt", "local_legevakt"
    number: str
    start: int
    end: int
    detail: str = ""


def _near_miss(digits: str) -> bool:
    """Six digits that differ from 116117 in one or two places (a typing error)."""
    target = LEGEVAKT.replace(" ", "")
    if len(digits) != len(target) or digits == target:
        return False
    return sum(a != b for a, b in zip(digits, target, strict=True)) <= 2


def emergency_problems(text: str) -> list[NumberProblem]:
    """Numbers a patient in an emergency should not be sent to."""
    found: list[NumberProblem] = []
    for m in _NUMBER.finditer(text):
        number, digits = m.group(0), digits_of(m.group(0))
        before = text[max(m.start() - CONTEXT, 0) : m.start()]
        if digits in WRONG_EMERGENCY and _CALL.search(before):
            whose = WRONG_EMERGENCY[digits]
            found.append(NumberProblem("wrong_emergency", number, m.start(), m.end(), whose))
        elif _near_miss(digits):
            found.append(NumberProblem("near_legevakt", number, m.start(), m.end()))
        elif len(digits) == 8 and _LEGEVAKT_WORD.search(text[max(m.start() - 60, 0) : m.start()]):
            found.append(NumberProblem("local_legevakt", number, m.start(), m.end()))
    return found
