"""Type and check one item's answers: formats, limits, lengths, files; Norwegian messages."""

from __future__ import annotations

import base64
import dataclasses
import mimetypes
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from helsetilbud.forms.dates import (
    PartialDate,
    compare_dates,
    compare_times,
    is_date_like,
    parse_fhir_date,
    parse_partial_no,
)
from helsetilbud.forms.items import AnswerOption, Attachment, Item, Quantity, format_size
from helsetilbud.oslo_time import OSLO, in_oslo

REQUIRED = "Du må fylle ut dette feltet."
TOO_LONG = "Du har skrevet for mange tegn. Gjør teksten kortere."
TOO_SHORT = "Du må skrive minst {n} tegn."
WRONG_FORMAT = "Svaret har feil format."
DATE_FORMAT = "Dato skal ha format dd.mm.åååå."
YEAR_FORMAT = "Årstall skal ha format åååå."
YEAR_MONTH_FORMAT = "Måned og år skal ha format mm.åååå."
DATETIME_FORMAT = "Dato og klokkeslett skal ha format dd.mm.åååå tt:mm."
TIME_FORMAT = "Klokkeslett skal ha format tt:mm."
NOT_INTEGER = "Du må skrive et heltall."
NOT_NUMBER = "Du må skrive et tall."
NOT_BOOLEAN = "Svaret må være ja eller nei."
NOT_OPTION = "«{value}» er ikke et av svaralternativene."
ONE_OPTION = "Du kan bare velge ett alternativ."
ONE_ANSWER = "Du kan bare gi ett svar."
TOO_MANY = "Du kan gi høyst {n} svar."
TOO_FEW = "Du må gi minst {n} svar."
TOO_SMALL = "Verdien må være minst {limit}."
TOO_LARGE = "Verdien kan ikke være høyere enn {limit}."
TOO_EARLY = "Datoen kan ikke være før {limit}."
TOO_LATE = "Datoen kan ikke være etter {limit}."
DECIMALS = "Du kan ikke skrive mer enn {n} desimaler."
UNKNOWN_ITEM = "Skjemaet har ikke noe spørsmål med denne linkId-en."
NOT_ANSWERABLE = "Dette elementet kan ikke besvares."
READ_ONLY = "Dette feltet fylles ut automatisk og kan ikke besvares."
GROUP_REQUIRED = "Du må svare på minst ett spørsmål i denne delen."
FILE_NEEDED = "Svaret må være en fil."
FILE_TYPE = "Filtypen {kind} er ikke tillatt. Tillatte filtyper: {allowed}."
FILE_SIZE = "Filen er for stor ({size}). Den kan være høyst {limit}."

_DATE_NO = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


class _Bad(Exception):
    """A broken rule; `own_text` when the form's validationtext replaces the message."""

    def __init__(self, message: str, own_text: bool = True) -> None:
        self.message = message
        self.own_text = own_text


def format_value(value: Any) -> str:
    """An answer as a Norwegian reader expects it: dd.mm.åååå, Ja/Nei, decimal comma."""
    if isinstance(value, AnswerOption):
        return value.display
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if isinstance(value, PartialDate | Quantity):
        return str(value)
    if isinstance(value, datetime):
        return in_oslo(value).astimezone(OSLO).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    return str(value)


def check_values(item: Item, values: list[Any]) -> tuple[list[Any], list[str]]:
    messages: list[str] = []
    if len(values) > 1 and not item.allows_many:
        messages.append(ONE_OPTION if item.type in ("choice", "open-choice") else ONE_ANSWER)
    elif item.max_occurs is not None and len(values) > item.max_occurs:
        messages.append(TOO_MANY.format(n=item.max_occurs))
    elif item.min_occurs is not None and item.allows_many and len(values) < item.min_occurs:
        messages.append(TOO_FEW.format(n=item.min_occurs))
    typed = []
    for value in values:
        try:
            typed.append(_check_one(item, value))
        except _Bad as bad:
            message = item.validation_text if bad.own_text and item.validation_text else bad.message
            if message not in messages:
                messages.append(message)
    return (typed if not messages else []), messages


def _check_one(item: Item, value: Any) -> Any:
    kind = item.type
    if kind in ("choice", "open-choice"):
        return _choice(item, value)
    if kind in ("string", "text"):
        return _text(item, value)
    if kind == "boolean":
        return _boolean(value)
    if kind in ("integer", "decimal"):
        return _limits(item, _number(item, value))
    if kind == "quantity":
        return _quantity(item, value)
    if kind == "date":
        return _limits(item, _date(item, value))
    if kind == "dateTime":
        return _limits(item, _datetime(value))
    if kind == "time":
        return _limits(item, _time(value))
    if kind == "attachment":
        return _attachment(item, value)
    raise _Bad(NOT_ANSWERABLE, own_text=False)


def _choice(item: Item, value: Any) -> Any:
    code = value.get("code") if isinstance(value, Mapping) else value
    code = str(code).strip() if code is not None else ""
    option = item.option(code)
    if option is not None:
        return option
    if item.type == "open-choice":
        return _text(item, value)
    if not item.options:
        return AnswerOption(code, code)
    raise _Bad(NOT_OPTION.format(value=code), own_text=False)


def _text(item: Item, value: Any) -> str:
    if isinstance(value, Mapping | list):
        raise _Bad(WRONG_FORMAT)
    text = str(value)
    if item.max_length is not None and len(text) > item.max_length:
        raise _Bad(TOO_LONG)
    if item.min_length is not None and len(text) < item.min_length:
        raise _Bad(TOO_SHORT.format(n=item.min_length))
    if item.regex and re.search(item.regex, text) is None:
        raise _Bad(WRONG_FORMAT)
    return text


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    words = {"true": True, "ja": True, "false": False, "nei": False}
    if isinstance(value, str) and value.strip().casefold() in words:
        return words[value.strip().casefold()]
    raise _Bad(NOT_BOOLEAN)


def _number(item: Item, value: Any) -> int | Decimal:
    if isinstance(value, bool):
        raise _Bad(NOT_INTEGER if item.type == "integer" else NOT_NUMBER)
    text = str(value).strip().replace(" ", "").replace(",", ".")
    if item.type == "integer":
        if not re.fullmatch(r"[-+]?\d+", text):
            raise _Bad(NOT_INTEGER)
        return int(text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Bad(NOT_NUMBER) from None
    if not number.is_finite():
        raise _Bad(NOT_NUMBER)
    places = -number.as_tuple().exponent if number.as_tuple().exponent < 0 else 0
    if item.max_decimal_places is not None and places > item.max_decimal_places:
        raise _Bad(DECIMALS.format(n=item.max_decimal_places))
    return number


def _quantity(item: Item, value: Any) -> Quantity:
    if isinstance(value, Quantity):
        return value
    number = value.get("value") if isinstance(value, Mapping) else value
    if isinstance(number, str):
        unit = item.unit_text
        if unit and number.strip().endswith(unit):
            number = number.strip()[: -len(unit)]
    if number is None:
        raise _Bad(NOT_NUMBER)
    amount = _limits(item, _number(dataclasses.replace(item, type="decimal"), number))
    unit = item.unit or {}
    return Quantity(Decimal(str(amount)), item.unit_text, unit.get("system"), unit.get("code"))


def _date(item: Item, value: Any) -> date | PartialDate:
    control = (item.item_control or "").casefold()
    if isinstance(value, PartialDate) or (
        isinstance(value, date) and not isinstance(value, datetime)
    ):
        return value
    text = str(value).strip()
    if control == "year":
        found = parse_partial_no(text)
        if found is None or found.month is not None:
            raise _Bad(YEAR_FORMAT)
        return found
    if control == "yearmonth":
        found = parse_partial_no(text)
        if found is None:
            try:
                found = parse_fhir_date(text)
            except ValueError:
                found = None
        if not isinstance(found, PartialDate) or found.month is None:
            raise _Bad(YEAR_MONTH_FORMAT)
        return found
    match = _DATE_NO.fullmatch(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise _Bad(DATE_FORMAT)


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return in_oslo(value)
    text = str(value).strip()
    parts = text.split()
    try:
        if len(parts) == 2 and _DATE_NO.fullmatch(parts[0]):
            day, month, year = (int(g) for g in _DATE_NO.fullmatch(parts[0]).groups())
            return in_oslo(datetime.combine(date(year, month, day), _time(parts[1])))
        if "T" in text:
            return in_oslo(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except (ValueError, _Bad):
        pass
    raise _Bad(DATETIME_FORMAT)


def _time(value: Any) -> time:
    if isinstance(value, time):
        return value
    match = _TIME.fullmatch(str(value).strip())
    try:
        if match:
            hour, minute, second = (int(g or 0) for g in match.groups())
            return time(hour, minute, second)
    except ValueError:
        pass
    raise _Bad(TIME_FORMAT)


def _attachment(item: Item, value: Any) -> Attachment:
    if isinstance(value, Mapping):
        value = _file_from(value)
    if not isinstance(value, Attachment):
        raise _Bad(FILE_NEEDED, own_text=False)
    kind = value.content_type or mimetypes.guess_type(value.title)[0] or ""
    if item.mime_types and not any(_type_matches(kind, t) for t in item.mime_types):
        allowed = ", ".join(type_name(t) for t in item.mime_types)
        raise _Bad(FILE_TYPE.format(kind=type_name(kind) if kind else "(ukjent)", allowed=allowed))
    if item.max_size is not None and value.size > item.max_size:
        raise _Bad(FILE_SIZE.format(size=format_size(value.size), limit=format_size(item.max_size)))
    return dataclasses.replace(value, content_type=kind) if kind != value.content_type else value


def _file_from(value: Mapping[str, Any]) -> Attachment | None:
    """A FHIR Attachment dict, or a browser upload (name, type, size, content)."""
    content = value.get("content")
    if content is None and isinstance(value.get("data"), str):
        try:
            content = base64.b64decode(value["data"], validate=True)
        except ValueError:
            return None
    data = bytes(content) if content is not None else b""
    title = str(value.get("title") or value.get("name") or "vedlegg")
    kind = str(value.get("contentType") or value.get("type") or "")
    try:
        size = int(value.get("size") if value.get("size") is not None else len(data))
    except (TypeError, ValueError):
        return None
    return Attachment(title, kind, size, data)


def _type_matches(kind: str, allowed: str) -> bool:
    if allowed.endswith("/*"):
        return kind.startswith(allowed[:-1])
    return kind.casefold() == allowed.casefold()


def type_name(kind: str) -> str:
    """A MIME type as a patient knows it: "application/pdf" -> "PDF", "image/*" -> "bilder"."""
    if kind.endswith("/*"):
        return {"image": "bilder", "text": "tekstfiler"}.get(kind[:-2], kind)
    known = {"image/jpeg": "JPEG", "text/plain": "tekst (TXT)"}
    return known.get(kind, kind.rsplit("/", 1)[-1].upper() if "/" in kind else kind)


def _limits(item: Item, value: Any) -> Any:
    low, high = item.min_value, item.max_value
    dated = is_date_like(value)
    if low is not None and order(value, low) < 0:
        template = TOO_EARLY if dated else TOO_SMALL
        raise _Bad(template.format(limit=format_value(low)))
    if high is not None and order(value, high) > 0:
        template = TOO_LATE if dated else TOO_LARGE
        raise _Bad(template.format(limit=format_value(high)))
    return value


def order(value: Any, limit: Any) -> int:
    """-1, 0 or 1 comparing an answer with a limit of the same kind (checked when loading).

    Dates of different precision compare at the precision they share ("1994-05" admits
    every day in May 1994); a kind the form engine cannot compare raises TypeError.
    """
    if is_date_like(value) and is_date_like(limit):
        return compare_dates(value, limit) or 0
    if isinstance(value, time) and isinstance(limit, time):
        return compare_times(value, limit)
    if isinstance(value, int | Decimal) and isinstance(limit, int | Decimal | float):
        left, right = Decimal(str(value)), Decimal(str(limit))
        return (left > right) - (left < right)
    raise TypeError(f"kan ikke sammenligne {type(value).__name__} med {type(limit).__name__}")
