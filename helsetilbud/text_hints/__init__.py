"""The text rules: one set, used by the dashboard (hints while the GP types), the command
line (`helsetilbud text check`) and the analysts' report (`analytics.flags`).

`check_text(text, area=..., ...)` returns `Hint`s: a code, a Norwegian message saying why and
what to do, and the span of the text it concerns. The report's flags (empty, unchanged,
korona, past_date, standard_text, phone, web) come from the same definitions in `patterns`
and `standard`. Decision record: docs/decisions/0014-text-hints.md.
"""

from __future__ import annotations

from helsetilbud.text_hints.messages import TITLES
from helsetilbud.text_hints.office import office_hints
from helsetilbud.text_hints.patterns import STALE_DAYS, is_stale
from helsetilbud.text_hints.readability import Lix, lix, lix_level
from helsetilbud.text_hints.rules import (
    CODES,
    LIX_HINT_FROM,
    LIX_MIN_WORDS,
    LONG_SENTENCE_WORDS,
    WARNINGS,
    Hint,
    check_text,
)

__all__ = [
    "CODES",
    "LIX_HINT_FROM",
    "LIX_MIN_WORDS",
    "LONG_SENTENCE_WORDS",
    "STALE_DAYS",
    "TITLES",
    "WARNINGS",
    "Hint",
    "Lix",
    "check_text",
    "is_stale",
    "lix",
    "lix_level",
    "office_hints",
]
