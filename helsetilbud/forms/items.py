"""The typed shape of a loaded form: items, answer options, conditions."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

QUESTION_TYPES = frozenset(
    {
        "string",
        "text",
        "boolean",
        "integer",
        "decimal",
        "date",
        "dateTime",
        "time",
        "choice",
        "open-choice",
        "quantity",
        "attachment",
    }
)
SUPPORTED_TYPES = QUESTION_TYPES | {"group", "display"}
UNSUPPORTED_TYPES = frozenset({"reference", "url", "question"})
ORDINAL_URL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
OPERATORS = frozenset({"exists", "=", "!=", ">", "<", ">=", "<="})


@dataclass(frozen=True)
class AnswerOption:
    """One answer a choice item offers; `code` is what a patient's answer file names."""

    code: str
    display: str
    kind: str = "coding"
    system: str | None = None
    ordinal: Decimal | None = None

    def fhir_value(self) -> dict[str, Any]:
        """The option as a FHIR `value[x]` element (a Coding carries its ordinalValue)."""
        if self.kind == "coding":
            coding: dict[str, Any] = {
                k: v
                for k, v in (
                    ("system", self.system),
                    ("code", self.code),
                    ("display", self.display),
                )
                if v
            }
            if self.ordinal is not None:
                coding["extension"] = [{"url": ORDINAL_URL, "valueDecimal": float(self.ordinal)}]
            return {"valueCoding": coding}
        if self.kind == "reference":
            return {"valueReference": {"reference": self.code, "display": self.display}}
        if self.kind == "integer":
            return {"valueInteger": int(self.code)}
        key = {"date": "valueDate", "time": "valueTime"}.get(self.kind, "valueString")
        return {key: self.code}


@dataclass(frozen=True)
class Quantity:
    """A number with its unit (FHIR Quantity, from the item's questionnaire-unit)."""

    value: Decimal
    unit: str
    system: str | None = None
    code: str | None = None

    def fhir(self) -> dict[str, Any]:
        """The FHIR Quantity element."""
        found = {"value": float(self.value), "unit": self.unit, "system": self.system}
        found["code"] = self.code
        return {k: v for k, v in found.items() if v is not None and v != ""}

    def __str__(self) -> str:
        return f"{str(self.value).replace('.', ',')} {self.unit}".strip()


@dataclass(frozen=True)
class Attachment:
    """A file a patient attaches (FHIR Attachment): name, type, size and the bytes."""

    title: str
    content_type: str
    size: int
    data: bytes = field(default=b"", repr=False)

    def fhir(self) -> dict[str, Any]:
        """The FHIR Attachment element, the file inline as base64 `data`."""
        found: dict[str, Any] = {"contentType": self.content_type, "title": self.title}
        found["size"] = self.size
        if self.data:
            found["data"] = base64.b64encode(self.data).decode("ascii")
        return found

    def __str__(self) -> str:
        return f"{self.title} ({format_size(self.size)})"


def format_size(size: int) -> str:
    """A file size as a Norwegian reader expects it: "820 byte", "12 kB", "2,5 MB"."""
    if size < 1000:
        return f"{size} byte"
    if size < 1_000_000:
        return f"{round(size / 1000)} kB"
    return f"{size / 1_000_000:.1f}".replace(".", ",").replace(",0", "") + " MB"


@dataclass(frozen=True)
class EnableWhen:
    """One condition: the item is shown when `question`'s answer meets `operator answer`."""

    question: str
    operator: str
    answer: Any
    answer_kind: str


@dataclass
class Item:
    """One Questionnaire item with the rules the engine enforces."""

    link_id: str
    type: str
    text: str = ""
    required: bool = False
    repeats: bool = False
    read_only: bool = False
    hidden: bool = False
    max_length: int | None = None
    min_length: int | None = None
    regex: str | None = None
    validation_text: str | None = None
    min_value: Any = None
    max_value: Any = None
    max_decimal_places: int | None = None
    max_occurs: int | None = None
    item_control: str | None = None
    options: tuple[AnswerOption, ...] = ()
    enable_when: tuple[EnableWhen, ...] = ()
    enable_behavior: str = "all"
    items: list[Item] = field(default_factory=list)
    initial: tuple[Any, ...] = ()
    min_occurs: int | None = None
    unit: dict[str, Any] | None = None
    calculated: str | None = None
    initial_expression: str | None = None
    enable_when_expression: str | None = None
    min_expression: str | None = None
    max_expression: str | None = None
    fhirpath_validation: str | None = None
    variables: tuple[tuple[str, str], ...] = ()
    validate_read_only: bool = False
    unchecked_value_set: str | None = None
    expression_names: dict[str, str] = field(default_factory=dict)
    answer_expression: str | None = None
    repeats_text: str | None = None
    mime_types: tuple[str, ...] = ()
    max_size: int | None = None
    source: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def unit_text(self) -> str:
        """The unit a number is given in (questionnaire-unit), e.g. "kg"; "" when none."""
        unit = self.unit or {}
        return str(unit.get("display") or unit.get("code") or "")

    @property
    def is_question(self) -> bool:
        """True for an item a patient answers (not group, display or unsupported)."""
        return self.type in QUESTION_TYPES

    @property
    def is_repeating_group(self) -> bool:
        """A group a patient can add instances of («Legg til»)."""
        return self.type == "group" and self.repeats

    @property
    def allows_many(self) -> bool:
        """Several answers allowed: `repeats`, or a check-box list as Helsenorge renders it."""
        control = self.item_control or ""
        if self.type == "group":
            return False
        return self.repeats or control == "check-box" or "checkbox" in control

    def option(self, code: str) -> AnswerOption | None:
        """The option with this code (or, failing that, this display text)."""
        for opt in self.options:
            if opt.code == code:
                return opt
        folded = code.casefold()
        return next((o for o in self.options if o.display.casefold() == folded), None)


@dataclass
class Questionnaire:
    """A loaded form: its metadata, item tree and the warnings found while loading."""

    id: str | None
    url: str | None
    version: str | None
    title: str
    name: str | None
    status: str | None
    language: str | None
    items: list[Item]
    warnings: list[str] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict, repr=False)
    variables: tuple[tuple[str, str], ...] = ()

    def walk(self) -> Iterator[tuple[Item, int]]:
        """Every item in document order with its nesting depth (0 at the top)."""

        def _walk(items: list[Item], depth: int) -> Iterator[tuple[Item, int]]:
            for item in items:
                yield item, depth
                yield from _walk(item.items, depth + 1)

        yield from _walk(self.items, 0)

    def item(self, link_id: str) -> Item | None:
        """The item with this linkId, or None."""
        return next((it for it, _ in self.walk() if it.link_id == link_id), None)

    def repeating_groups(self, scope: Item | None = None) -> list[Item]:
        """The repeating groups directly inside `scope` (the whole form when None).

        A repeating group inside another one belongs to the outer one's instances.
        """

        def find(items: list[Item]) -> Iterator[Item]:
            for item in items:
                if item.is_repeating_group:
                    yield item
                else:
                    yield from find(item.items)

        return list(find(scope.items if scope is not None else self.items))


def descendants(item: Item) -> set[str]:
    """The linkIds of every item below `item` (not the item itself)."""
    found: set[str] = set()
    for child in item.items:
        found.add(child.link_id)
        found |= descendants(child)
    return found
