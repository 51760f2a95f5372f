"""The office format's JSON schema (`docs/office-format.schema.json`) and its Norwegian messages.

The schema describes `helsetilbud.office/2`; a `/1` document is checked against the same schema
without the fields /2 added (phone, closures, holiday rule, scheduled texts, delegations,
vikars).

Every value of an import is checked for its JSON type here, before anything converts it. The
schema's own `x-unknown` (what an unknown key is called) and `x-pattern` (what a pattern asks
for) carry the Norwegian words; jsonschema does the checking.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError as SchemaError

from helsetilbud.json_input import LongNumber, shown

__all__ = ["FORMAT_1", "FORMAT_2", "SCHEMA_PATH", "document_problems", "schema"]

FORMAT_1 = "helsetilbud.office/1"
FORMAT_2 = "helsetilbud.office/2"
ONLY_IN_2 = ("phone", "scheduled_texts", "delegations", "vikars")
GP_ONLY_IN_2 = ("closures", "holidays")

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "office-format.schema.json"

_TYPE_NAMES = {
    "object": "et objekt",
    "array": "en liste",
    "string": "tekst",
    "integer": "et heltall",
    "boolean": "true eller false",
    "null": "null",
}


def _strict_integer(_checker: object, instance: object) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
)


@cache
def schema() -> dict[str, Any]:
    """The published schema of one office document."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_1() -> dict[str, Any]:
    """The schema of a `/1` document: /2 without the fields /2 added."""
    old = copy.deepcopy(schema())
    old["properties"]["format"] = {"const": FORMAT_1}
    for key in ONLY_IN_2:
        del old["properties"][key]
    for key in GP_ONLY_IN_2:
        del old["$defs"]["gp"]["properties"][key]
    return old


@cache
def _validator(format_2: bool = True) -> Any:
    return _Validator(schema() if format_2 else schema_1())


def _kind(value: object) -> str:
    if isinstance(value, LongNumber):
        return f"et tall med {value.digits} sifre"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return "et heltall"
    if isinstance(value, float):
        return "et desimaltall"
    names = {dict: "et objekt", list: "en liste", str: "tekst", type(None): "null"}
    return names.get(type(value), "en ukjent verdi")


def _expected(types: str | list[str]) -> str:
    names = [_TYPE_NAMES.get(t, t) for t in ([types] if isinstance(types, str) else types)]
    return " eller ".join(names)


def _subject(path: list[str | int], doc: object) -> str:
    """What the message is about: «info_texts.reseptfornyelse.version», a GP by HPR."""
    if not path:
        return "legekontoret"
    if path[0] == "gps" and len(path) > 1 and isinstance(path[1], int):
        gps = doc.get("gps") if isinstance(doc, dict) else None
        gp = gps[path[1]] if isinstance(gps, list) and path[1] < len(gps) else None
        hpr = gp.get("hpr") if isinstance(gp, dict) else None
        if isinstance(hpr, str) and hpr.isascii() and hpr.isdigit() and len(hpr) <= 9:
            who = f"fastlegen med HPR {hpr}"
        else:
            who = f"fastlege nr. {path[1] + 1} i «gps»"
        rest = ".".join(shown(p) if isinstance(p, str) else str(p + 1) for p in path[2:])
        return f"«{rest}» for {who}" if rest else who
    return "«" + ".".join(shown(p) if isinstance(p, str) else str(p + 1) for p in path) + "»"


def _messages(error: SchemaError, doc: object) -> list[str]:
    subject = _subject(list(error.absolute_path), doc)
    keyword, value, instance, sub = (
        error.validator,
        error.validator_value,
        error.instance,
        error.schema,
    )
    if keyword == "type":
        return [f"{subject} må være {_expected(value)}, ikke {_kind(instance)}."]
    if keyword == "required":
        missing = [key for key in value if key not in instance]
        return [f"{subject} mangler " + " og ".join(f"«{key}»" for key in missing) + "."]
    if keyword == "additionalProperties":
        label, known = sub.get("x-unknown", "felt"), sub.get("properties", {})
        where = "" if subject == "legekontoret" else f" i {subject}"
        return [f"ukjent {label} «{shown(key)}»{where}." for key in instance if key not in known]
    if keyword == "const":
        return [f"{subject} må være «{value}»."]
    if keyword == "enum":
        choices = ", ".join(f"«{v}»" for v in value)
        return [f"{subject} må være en av {choices}, ikke «{shown(instance)}»."]
    if keyword in ("maxItems", "minItems"):
        return [f"{subject} kan ha høyst {value} elementer."]
    if keyword == "pattern":
        return [f"{subject} må være {sub.get('x-pattern', 'på riktig form')}."]
    if keyword == "maxLength":
        return [f"{subject} kan være høyst {value} tegn."]
    if keyword in ("minimum", "maximum"):
        low, high = sub.get("minimum"), sub.get("maximum")
        return [f"{subject} må være et heltall fra {low} til {high}, ikke {instance}."]
    return [f"{subject} er ugyldig ({keyword})."]


def document_problems(doc: object) -> list[str]:
    """Every way `doc` breaks the schema, as Norwegian messages (empty: it fits)."""
    found: list[str] = []
    format_2 = not (isinstance(doc, dict) and doc.get("format") == FORMAT_1)
    for error in _validator(format_2).iter_errors(doc):
        for message in _messages(error, doc):
            if message not in found:
                found.append(message)
    return found
