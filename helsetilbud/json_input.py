"""Reading JSON a person hands us: strict, with Norwegian errors that point at the real problem.

The bytes must be UTF-8 (a UTF-8 byte order mark is accepted and dropped). The text is one or
more JSON values one after the other (one pretty object, a list, or one object a line). Parsing
stops at the first error and names its line and column. Refused, beyond what JSON itself
refuses: a key twice in one object, `NaN` and `Infinity`, nesting deeper than `MAX_DEPTH`.
An integer of more than `MAX_DIGITS` digits is read as a `LongNumber`, which no schema type
accepts, so the field it stands in is named when the document is checked.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from typing import Any

from helsetilbud.errors import ValidationError

__all__ = ["MAX_DEPTH", "JsonDocument", "JsonInputError", "LongNumber", "decode", "read_values"]

MAX_DEPTH = 32
MAX_DIGITS = 30
_WHITESPACE = re.compile(r"[ \t\n\r]*")

_MESSAGES = (  # the parser's English, first words -> Norwegian
    ("Expecting value", "forventet en verdi"),
    ("Expecting property name enclosed in double quotes", "forventet et feltnavn i anførselstegn"),
    ("Expecting ':' delimiter", "forventet «:» etter feltnavnet"),
    ("Expecting ',' delimiter", "forventet «,» eller slutten på objektet eller listen"),
    ("Unterminated string", "teksten mangler avsluttende anførselstegn"),
    ("Invalid control character", "kontrolltegn (som linjeskift eller tabulator) inne i en tekst"),
    ("Invalid \\uXXXX escape", "ugyldig \\u-kode"),
    ("Invalid \\escape", "ugyldig bruk av omvendt skråstrek (\\)"),
    ("Illegal trailing comma", "komma for mye før slutten på objektet eller listen"),
)


class JsonInputError(ValidationError):
    """The file cannot be read as JSON; the message names where and why, in Norwegian."""


@dataclass(frozen=True)
class LongNumber:
    """An integer too long to be a version or anything else in our formats."""

    digits: int


@dataclass(frozen=True)
class JsonDocument:
    """One top-level JSON value and the lines (1-based, inclusive) it spans."""

    value: Any
    first_line: int
    last_line: int


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _NotJson(Exception):
    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def shown(value: object, limit: int = 40) -> str:
    """A value as it may be printed: invisible and unprintable characters as \\u escapes, cut."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(raw: bytes) -> str:
    """UTF-8 bytes as text (BOM dropped), or JsonInputError naming the first bad byte."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise JsonInputError("Filen er lagret som UTF-16. Lagre den som UTF-8 og prøv igjen.")
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
        byte = f"0x{raw[exc.start]:02X}"
        raise JsonInputError(
            f"Linje {line}, kolonne {column}: filen er ikke gyldig UTF-8 (byte {byte}). "
            "Lagre filen som UTF-8 og prøv igjen."
        ) from None


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _integer(digits: str) -> int | LongNumber:
    count = len(digits.lstrip("-"))
    return LongNumber(count) if count > MAX_DIGITS else int(digits)


def _constant(word: str) -> float:
    raise _NotJson(word)


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_integer, parse_constant=_constant)


def _syntax(text: str, exc: json.JSONDecodeError) -> JsonInputError:
    what = next((no for en, no in _MESSAGES if exc.msg.startswith(en)), "ugyldig JSON")
    index = exc.pos
    before = text[:index].rstrip(" \t\n\r")
    if text[index : index + 1] in ("}", "]") and before.endswith(","):
        index, what = len(before) - 1, "komma for mye før slutten på objektet eller listen"
    line, column = _position(text, index)
    return JsonInputError(f"Linje {line}, kolonne {column}: ugyldig JSON – {what}.")


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def _one(text: str, index: int) -> tuple[Any, int]:
    line = _position(text, index)[0]
    try:
        value, end = _DECODER.raw_decode(text, index)
    except json.JSONDecodeError as exc:
        raise _syntax(text, exc) from None
    except _DuplicateKey as exc:
        raise JsonInputError(
            f"Linje {line}: feltet «{shown(exc.key)}» står to ganger i samme objekt i verdien "
            "som begynner her. Fjern det ene."
        ) from None
    except _NotJson as exc:
        raise JsonInputError(
            f"Linje {line}: «{exc.word}» i verdien som begynner her er ikke gyldig JSON."
        ) from None
    except RecursionError:
        value, end = None, -1
    if end < 0 or _too_deep(value):
        raise JsonInputError(
            f"Linje {line}: verdien er nøstet for dypt (mer enn {MAX_DEPTH} nivåer med objekter "
            "og lister)."
        )
    return value, end


def read_values(text: str) -> list[JsonDocument]:
    """Every top-level JSON value in `text`, in order; JsonInputError at the first error."""
    values: list[JsonDocument] = []
    index = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    while index < len(text):
        value, end = _one(text, index)
        values.append(JsonDocument(value, _position(text, index)[0], _position(text, end)[0]))
        index = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
    return values
