"""Validate a patient's answers to a form: typed values, rules, Norwegian errors per item."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from helsetilbud.forms.computed import Computation
from helsetilbud.forms.dates import (
    PartialDate,
    compare_dates,
    compare_times,
    in_oslo,
    is_date_like,
    parse_fhir_date,
    parse_partial_no,
)
from helsetilbud.forms.enable_when import enabled_items
from helsetilbud.forms.errors import AnswerProblem, AnswersInvalid
from helsetilbud.forms.items import AnswerOption, Item, Quantity, Questionnaire
from helsetilbud.oslo_time import OSLO

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

_DATE_NO = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


@dataclass
class FilledForm:
    """A form with a patient's typed answers: only enabled items' answers are kept."""

    questionnaire: Questionnaire
    answers: dict[str, list[Any]]
    enabled: frozenset[str]
    problems: list[AnswerProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when no answer breaks a rule."""
        return not self.problems


class _Bad(Exception):
    """A broken rule; `own_text` when the form's validationtext replaces the message."""

    def __init__(self, message: str, own_text: bool = True) -> None:
        self.message = message
        self.own_text = own_text


def evaluate_answers(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> FilledForm:
    """Type and check every answer (linkId -> value or list of values); collect all problems.

    An item the answers do not name keeps its `initial` value (and `initialSelected`
    options); naming it with null or [] clears it.
    """
    typed: dict[str, list[Any]] = {}
    problems: dict[str, list[str]] = {}
    unknown: list[AnswerProblem] = []
    given = {str(k) for k in raw}
    engine = Computation(questionnaire)
    for link_id, value in raw.items():
        item = questionnaire.item(str(link_id))
        if item is None:
            unknown.append(AnswerProblem(str(link_id), UNKNOWN_ITEM))
            continue
        values = _as_list(value)
        if not values:
            continue
        if not item.is_question:
            problems[item.link_id] = [NOT_ANSWERABLE]
        elif item.read_only:
            problems[item.link_id] = [READ_ONLY]
        else:
            typed[item.link_id], problems[item.link_id] = _check_values(
                engine.with_limits(item), values
            )
    for item, _ in questionnaire.walk():
        if item.initial and item.is_question and item.link_id not in given:
            typed[item.link_id], problems[item.link_id] = _check_values(item, list(item.initial))
    typed = engine.fill({k: v for k, v in typed.items() if v}, given)
    enabled = enabled_items(questionnaire, typed, engine.enable_when_holds(typed))
    answers = {k: v for k, v in typed.items() if k in enabled}
    found = list(unknown)
    for item, _ in questionnaire.walk():
        if item.link_id not in enabled:
            continue
        messages = problems.get(item.link_id) or []
        if not messages and item.link_id in answers:
            messages = engine.rule_problems(item, answers[item.link_id])
        checked = not item.read_only or item.validate_read_only
        if not messages and item.required and not item.hidden and checked:
            if item.is_question and item.link_id not in answers:
                messages = [item.validation_text or REQUIRED]
            elif item.type == "group" and not _any_answered(item, answers):
                messages = [GROUP_REQUIRED]
        found += [AnswerProblem(item.link_id, m, item.text) for m in messages]
    notes = engine.notes + [
        f"Koden «{format_value(v)}» på «{item.link_id}» kunne ikke kontrolleres: "
        f"svaralternativene «{item.unchecked_value_set}» finnes ikke i skjemaet."
        for item, _ in questionnaire.walk()
        if item.unchecked_value_set
        for v in answers.get(item.link_id, [])
    ]
    return FilledForm(questionnaire, answers, enabled, found, notes)


def validate_answers(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> list[AnswerProblem]:
    """Every problem with the answers, per item; [] when they can be sent."""
    return evaluate_answers(questionnaire, raw).problems


def fill_form(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> FilledForm:
    """The filled form; raises AnswersInvalid listing every problem when there is one."""
    form = evaluate_answers(questionnaire, raw)
    if form.problems:
        raise AnswersInvalid(form.problems)
    return form


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


def _as_list(value: Any) -> list[Any]:
    values = value if isinstance(value, list | tuple) else [value]
    return [v for v in values if v is not None and not (isinstance(v, str) and not v.strip())]


def _any_answered(item: Item, answers: Mapping[str, list[Any]]) -> bool:
    return any(c.link_id in answers or _any_answered(c, answers) for c in item.items)


def _check_values(item: Item, values: list[Any]) -> tuple[list[Any], list[str]]:
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
