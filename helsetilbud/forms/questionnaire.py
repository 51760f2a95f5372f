"""Load FHIR R4 Questionnaires (also every Questionnaire in a Bundle) from plain JSON."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from helsetilbud.forms.dates import is_date_like, parse_fhir_date, parse_fhir_datetime
from helsetilbud.forms.enable_when import enable_cycles
from helsetilbud.forms.errors import QuestionnaireError
from helsetilbud.forms.expressions import check_syntax, needs_launch_context
from helsetilbud.forms.fhir_check import structure_warnings
from helsetilbud.forms.items import (
    OPERATORS,
    SUPPORTED_TYPES,
    UNSUPPORTED_TYPES,
    AnswerOption,
    EnableWhen,
    Item,
    Questionnaire,
)

EXT_MIN_LENGTH = "http://hl7.org/fhir/StructureDefinition/minLength"
EXT_REGEX = "http://hl7.org/fhir/StructureDefinition/regex"
EXT_VALIDATION_TEXT = "http://ehelse.no/fhir/StructureDefinition/validationtext"
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_MAX_DECIMALS = "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces"
EXT_MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
EXT_HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
EXT_OPTION_REFERENCE = "http://ehelse.no/fhir/StructureDefinition/sdf-optionReference"

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
SDF = "http://ehelse.no/fhir/StructureDefinition/"
EXT_MIN_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs"
EXT_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
EXT_VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
EXT_VALIDATE_READ_ONLY = "http://helsenorge.no/fhir/StructureDefinition/validate-readonly"
ORDINAL_URLS = (
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
)
# FHIRPath extensions the engine evaluates: url -> (Item field, name in warnings).
EXPRESSIONS = {
    SDC + "sdc-questionnaire-calculatedExpression": ("calculated", "calculatedExpression"),
    SDF + "sdf-calculatedExpression": ("calculated", "sdf-calculatedExpression"),
    "http://hl7.org/fhir/StructureDefinition/cqf-expression": ("calculated", "cqf-expression"),
    SDC + "sdc-questionnaire-initialExpression": ("initial_expression", "initialExpression"),
    SDF + "sdf-fhirpath": ("initial_expression", "sdf-fhirpath"),
    SDC + "sdc-questionnaire-enableWhenExpression": (
        "enable_when_expression",
        "enableWhenExpression",
    ),
    SDF + "sdf-minvalue": ("min_expression", "sdf-minvalue"),
    SDF + "sdf-maxvalue": ("max_expression", "sdf-maxvalue"),
    SDF + "sdf-fhirpathvalidation": ("fhirpath_validation", "sdf-fhirpathvalidation"),
}
UNSUPPORTED_EXTENSIONS = {
    SDC + "sdc-questionnaire-answerExpression": (
        "answerExpression (svaralternativer fra uttrykk): alternativene beregnes ikke, "
        "og svaret kontrolleres ikke mot dem"
    ),
    SDC + "sdc-questionnaire-candidateExpression": (
        "candidateExpression (forslag til svar): forslagene vises ikke"
    ),
}


def load_questionnaires(source: str | Path | Mapping[str, Any]) -> list[Questionnaire]:
    """Every Questionnaire in a JSON file or dict: one, or each one in a Bundle."""
    data = _read(source) if isinstance(source, str | Path) else dict(source)
    kind = data.get("resourceType")
    if kind == "Questionnaire":
        return [parse_questionnaire(data)]
    if kind == "Bundle":
        resources = [
            entry.get("resource")
            for entry in data.get("entry") or []
            if isinstance(entry, dict) and isinstance(entry.get("resource"), dict)
        ]
        found = [
            parse_questionnaire(r) for r in resources if r.get("resourceType") == "Questionnaire"
        ]
        if not found:
            raise QuestionnaireError(
                "Samlingen (Bundle) inneholder ingen skjemaer (Questionnaire)."
            )
        return found
    raise QuestionnaireError(
        f"Filen er ikke et FHIR-skjema: resourceType er «{kind}», "
        "forventet «Questionnaire» eller «Bundle»."
    )


def load_questionnaire(
    source: str | Path | Mapping[str, Any], questionnaire_id: str | None = None
) -> Questionnaire:
    """One Questionnaire: the one with `questionnaire_id`, or the first in the file."""
    found = load_questionnaires(source)
    if questionnaire_id is None:
        return found[0]
    for q in found:
        if questionnaire_id in (q.id, q.name, q.url):
            return q
    known = ", ".join(f"«{q.id}»" for q in found)
    raise QuestionnaireError(
        f"Finner ikke skjemaet «{questionnaire_id}» i filen. Tilgjengelige: {known}.",
        field=questionnaire_id,
    )


def parse_questionnaire(data: Mapping[str, Any]) -> Questionnaire:
    """A Questionnaire resource (plain dict) as typed items plus warnings; never strict."""
    if data.get("resourceType") != "Questionnaire":
        raise QuestionnaireError("Ressursen er ikke et skjema (Questionnaire).")
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise QuestionnaireError(f"Skjemaet «{_title(data)}» har ingen spørsmål (item).")
    parser = _Parser(data)
    items = parser.items(raw_items, "item")
    if not items:
        raise QuestionnaireError(f"Skjemaet «{_title(data)}» har ingen elementer som kan brukes.")
    q = Questionnaire(
        id=data.get("id"),
        url=data.get("url"),
        version=data.get("version"),
        title=_title(data),
        name=data.get("name"),
        status=data.get("status"),
        language=data.get("language"),
        items=items,
        source=dict(data),
    )
    q.warnings = structure_warnings(data) + parser.warnings + _reference_warnings(q)
    q.variables = parser.variables(data, "skjemaet")
    return q


def _read(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise QuestionnaireError(f"Finner ikke filen «{path}».", field=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionnaireError(f"Kan ikke lese filen «{path}»: {exc}", field=str(path)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QuestionnaireError(
            f"Filen «{path.name}» er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}).",
            field=str(path),
        ) from None
    if not isinstance(data, dict):
        raise QuestionnaireError(f"Filen «{path.name}» er ikke en FHIR-ressurs.", field=str(path))
    return data


def _title(data: Mapping[str, Any]) -> str:
    return str(data.get("title") or data.get("name") or data.get("id") or "Skjema")


def _reference_warnings(q: Questionnaire) -> list[str]:
    warnings: list[str] = []
    counts = Counter(item.link_id for item, _ in q.walk())
    warnings += [f"linkId «{lid}» brukes {n} ganger." for lid, n in counts.items() if n > 1]
    for item, _ in q.walk():
        for cond in item.enable_when:
            target = q.item(cond.question)
            if target is None:
                warnings.append(
                    f"Betingelsen på «{item.link_id}» viser til et element som ikke finnes: "
                    f"«{cond.question}»."
                )
            elif cond.question == item.link_id:
                warnings.append(f"Betingelsen på «{item.link_id}» viser til elementet selv.")
    for ring in enable_cycles(q):
        if len(ring) > 1:
            quoted = [f"«{lid}»" for lid in ring]
            names = ", ".join(quoted[:-1]) + " og " + quoted[-1]
            warnings.append(
                f"Betingelsene (enableWhen) på {names} avhenger av hverandre i ring; "
                "elementene vises aldri."
            )
    return warnings


def _extension(raw: Mapping[str, Any], url: str) -> Any:
    for ext in raw.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == url:
            return next((v for k, v in ext.items() if k.startswith("value")), None)
    return None


def _typed(key: str, value: Any) -> Any:
    """A FHIR `value[x]`/`answer[x]` as a Python value (Decimal, date, ...); None if unusable."""
    try:
        if key.endswith("Decimal"):
            return Decimal(str(value))
        if key.endswith("Integer"):
            return int(value)
        if key.endswith("DateTime"):
            return parse_fhir_datetime(str(value))
        if key.endswith("Date"):
            return parse_fhir_date(str(value))
        if key.endswith("Time"):
            return time.fromisoformat(str(value))
        if key.endswith("Reference"):
            return value.get("reference")
    except (ValueError, TypeError, InvalidOperation, AttributeError):
        return None
    return value


class _Parser:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.warnings: list[str] = []

    def items(self, raw_items: list[Any], path: str) -> list[Item]:
        result = []
        for index, raw in enumerate(raw_items):
            where = f"{path}[{index}]"
            if not isinstance(raw, dict) or not raw.get("linkId"):
                self.warnings.append(f"Elementet {where} mangler linkId og er hoppet over.")
                continue
            result.append(self.item(raw))
        return result

    def item(self, raw: Mapping[str, Any]) -> Item:
        link_id = str(raw["linkId"])
        kind = str(raw.get("type") or "")
        if kind in UNSUPPORTED_TYPES:
            self.warnings.append(f"Elementtypen «{kind}» støttes ikke (element «{link_id}»).")
        elif kind not in SUPPORTED_TYPES:
            self.warnings.append(f"Elementtypen «{kind}» er ukjent (element «{link_id}»).")
        for ext in raw.get("extension") or []:
            if isinstance(ext, dict) and ext.get("url") in UNSUPPORTED_EXTENSIONS:
                self.warnings.append(
                    f"Funksjonen {UNSUPPORTED_EXTENSIONS[ext['url']]} (element «{link_id}»)."
                )
        expressions = self.expressions(raw, link_id)
        control = _extension(raw, EXT_ITEM_CONTROL)
        codes = [c.get("code") for c in (control or {}).get("coding", []) if isinstance(c, dict)]
        children = self.items(raw.get("item") or [], f"«{link_id}»")
        if kind == "group" and not children:
            self.warnings.append(f"Gruppen «{link_id}» har ingen underelementer.")
        if kind == "display" and children:
            self.warnings.append(f"Visningselementet «{link_id}» har underelementer.")
        behavior = raw.get("enableBehavior") or "all"
        if behavior not in ("all", "any"):
            self.warnings.append(
                f"Ukjent enableBehavior «{behavior}» på «{link_id}»; bruker «all»."
            )
            behavior = "all"
        return Item(
            link_id=link_id,
            type=kind,
            text=str(raw.get("text") or "").strip(),
            required=bool(raw.get("required")),
            repeats=bool(raw.get("repeats")),
            read_only=bool(raw.get("readOnly")),
            hidden=bool(_extension(raw, EXT_HIDDEN)),
            max_length=_int_or_none(raw.get("maxLength")),
            min_length=_int_or_none(_extension(raw, EXT_MIN_LENGTH)),
            regex=self.regex(raw, link_id),
            validation_text=_extension(raw, EXT_VALIDATION_TEXT),
            min_value=self.limit(raw, EXT_MIN_VALUE, link_id, kind),
            max_value=self.limit(raw, EXT_MAX_VALUE, link_id, kind),
            max_decimal_places=_int_or_none(_extension(raw, EXT_MAX_DECIMALS)),
            max_occurs=_int_or_none(_extension(raw, EXT_MAX_OCCURS)),
            item_control=codes[0] if codes else None,
            options=self.options(raw, link_id, kind),
            enable_when=self.conditions(raw, link_id),
            enable_behavior=behavior,
            items=children,
            initial=self.initial(raw, link_id),
            min_occurs=_int_or_none(_extension(raw, EXT_MIN_OCCURS)),
            unit=self.unit(raw, link_id, kind),
            variables=self.variables(raw, link_id),
            validate_read_only=bool(_extension(raw, EXT_VALIDATE_READ_ONLY))
            or bool(_extension(self.data, EXT_VALIDATE_READ_ONLY)),
            source=dict(raw),
            unchecked_value_set=self.unchecked(raw),
            **expressions,
        )

    def unchecked(self, raw: Mapping[str, Any]) -> str | None:
        ref = raw.get("answerValueSet")
        return str(ref) if ref and self.value_set(str(ref)) is None else None

    def expressions(self, raw: Mapping[str, Any], link_id: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for ext in raw.get("extension") or []:
            if not isinstance(ext, dict) or ext.get("url") not in EXPRESSIONS:
                continue
            attr, name = EXPRESSIONS[ext["url"]]
            text = self.expression_text(ext, f"{name} på «{link_id}»")
            if text is None:
                continue
            if attr == "initial_expression" and needs_launch_context(text):
                self.warnings.append(
                    f"Forhåndsutfyllingen {name} på «{link_id}» bruker pasientens opplysninger "
                    f"som Helsenorge fyller inn («{_short(text)}»); feltet står tomt her."
                )
                continue
            found.setdefault(attr, text)
        return found

    def expression_text(self, ext: Mapping[str, Any], where: str) -> str | None:
        value = ext.get("valueExpression") or ext.get("valueString")
        language = "text/fhirpath"
        if isinstance(value, dict):
            language = str(value.get("language") or language)
            value = value.get("expression")
        if not isinstance(value, str) or not value.strip():
            self.warnings.append(f"Uttrykket {where} mangler; regelen følges ikke.")
            return None
        if language != "text/fhirpath":
            self.warnings.append(
                f"Uttrykket {where} er skrevet i «{language}», ikke FHIRPath; regelen følges ikke."
            )
            return None
        reason = check_syntax(value)
        if reason is not None:
            self.warnings.append(
                f"Uttrykket {where} kan ikke brukes: {reason}; regelen følges ikke."
            )
            return None
        return value

    def variables(self, raw: Mapping[str, Any], link_id: str) -> tuple[tuple[str, str], ...]:
        found = []
        for ext in raw.get("extension") or []:
            if isinstance(ext, dict) and ext.get("url") == EXT_VARIABLE:
                name = (ext.get("valueExpression") or {}).get("name")
                text = self.expression_text(ext, f"variable «{name}» på «{link_id}»")
                if text is not None and name:
                    found.append((str(name), text))
        return tuple(found)

    def unit(self, raw: Mapping[str, Any], link_id: str, kind: str) -> dict[str, Any] | None:
        units = [
            ext.get("valueCoding")
            for ext in raw.get("extension") or []
            if isinstance(ext, dict) and ext.get("url") == EXT_UNIT
        ]
        units = [u for u in units if isinstance(u, dict)]
        if len(units) > 1:
            self.warnings.append(
                f"«{link_id}» tilbyr {len(units)} enheter; bare den første («"
                f"{units[0].get('display') or units[0].get('code')}») brukes."
            )
        if kind == "quantity" and not units:
            self.warnings.append(f"Mengden «{link_id}» har ingen enhet (questionnaire-unit).")
        return units[0] if units else None

    def regex(self, raw: Mapping[str, Any], link_id: str) -> str | None:
        pattern = _extension(raw, EXT_REGEX)
        if pattern is None:
            return None
        try:
            re.compile(str(pattern))
        except re.error:
            self.warnings.append(
                f"Det regulære uttrykket (regex) «{pattern}» på «{link_id}» kan ikke leses; "
                "formatet kontrolleres ikke."
            )
            return None
        return str(pattern)

    def initial(self, raw: Mapping[str, Any], link_id: str) -> tuple[Any, ...]:
        found: list[Any] = []
        for entry in raw.get("initial") or []:
            key = (
                next((k for k in entry if k.startswith("value")), None)
                if isinstance(entry, dict)
                else None
            )
            value = _typed(key, entry[key]) if key else None
            if value is None:
                self.warnings.append(f"Startverdien (initial) på «{link_id}» kan ikke leses.")
                continue
            found.append(value)
        for opt in raw.get("answerOption") or []:
            if isinstance(opt, dict) and opt.get("initialSelected") is True:
                parsed = _option(opt)
                if parsed is not None:
                    found.append(parsed.code)
        return tuple(found)

    def limit(self, raw: Mapping[str, Any], url: str, link_id: str, kind: str) -> Any:
        for ext in raw.get("extension") or []:
            if isinstance(ext, dict) and ext.get("url") == url:
                key = next((k for k in ext if k.startswith("value")), None)
                value = _typed(key, ext[key]) if key else None
                name = url.rsplit("/", 1)[-1]
                if value is None or not _limit_fits(kind, value):
                    shown = ext.get(key) if key else ""
                    self.warnings.append(
                        f"Grensen {name} «{shown}» på «{link_id}» kan ikke brukes for typen "
                        f"«{kind}»; den kontrolleres ikke."
                    )
                    return None
                return value
        return None

    def options(self, raw: Mapping[str, Any], link_id: str, kind: str) -> tuple[AnswerOption, ...]:
        found: list[AnswerOption] = []
        for opt in raw.get("answerOption") or []:
            parsed = _option(opt) if isinstance(opt, dict) else None
            if parsed is None:
                self.warnings.append(f"Et svaralternativ på «{link_id}» kan ikke leses.")
            else:
                found.append(parsed)
        for ext in raw.get("extension") or []:
            if isinstance(ext, dict) and ext.get("url") == EXT_OPTION_REFERENCE:
                ref = ext.get("valueReference") or {}
                if ref.get("reference"):
                    display = ref.get("display") or ref["reference"]
                    found.append(AnswerOption(ref["reference"], display, "reference"))
        value_set = raw.get("answerValueSet")
        if value_set:
            concepts = self.value_set(str(value_set))
            if concepts is None:
                self.warnings.append(
                    f"Svaralternativene «{value_set}» for «{link_id}» finnes ikke i skjemaet; "
                    "kodene i svaret kan ikke kontrolleres, og hver kode godtas med en merknad."
                )
            found.extend(concepts or [])
        if kind == "choice" and not found and not value_set:
            self.warnings.append(f"Flervalgsspørsmålet «{link_id}» har ingen svaralternativer.")
        return tuple(found)

    def value_set(self, ref: str) -> list[AnswerOption] | None:
        for res in self.data.get("contained") or []:
            if not isinstance(res, dict) or res.get("resourceType") != "ValueSet":
                continue
            if ref.lstrip("#") != res.get("id") and ref != res.get("url"):
                continue
            found = []
            for include in (res.get("compose") or {}).get("include") or []:
                for concept in include.get("concept") or []:
                    code = str(concept.get("code"))
                    found.append(
                        AnswerOption(
                            code,
                            concept.get("display") or code,
                            system=include.get("system"),
                            ordinal=_ordinal(concept),
                        )
                    )
            for entry in (res.get("expansion") or {}).get("contains") or []:
                code = str(entry.get("code"))
                found.append(
                    AnswerOption(
                        code,
                        entry.get("display") or code,
                        system=entry.get("system"),
                        ordinal=_ordinal(entry),
                    )
                )
            return found
        return None

    def conditions(self, raw: Mapping[str, Any], link_id: str) -> tuple[EnableWhen, ...]:
        found = []
        for cond in raw.get("enableWhen") or []:
            keys = [k for k in cond if k.startswith("answer")] if isinstance(cond, dict) else []
            question, operator = (
                (cond.get("question"), cond.get("operator")) if keys else (None, None)
            )
            if not keys or not question or operator not in OPERATORS:
                self.warnings.append(f"En betingelse (enableWhen) på «{link_id}» kan ikke leses.")
                continue
            kind = keys[0].removeprefix("answer").lower()
            if kind == "quantity":
                self.warnings.append(
                    f"Betingelser på mengde (answerQuantity) støttes ikke (element «{link_id}»)."
                )
            value = cond[keys[0]]
            found.append(EnableWhen(str(question), operator, _typed(keys[0], value), kind))
        return tuple(found)


def _option(opt: Mapping[str, Any]) -> AnswerOption | None:
    if isinstance(opt.get("valueCoding"), dict):
        coding = opt["valueCoding"]
        if coding.get("code") is None:
            return None
        code = str(coding["code"])
        return AnswerOption(
            code,
            coding.get("display") or code,
            "coding",
            coding.get("system"),
            _ordinal(opt, coding),
        )
    for key, kind in (
        ("valueString", "string"),
        ("valueInteger", "integer"),
        ("valueDate", "date"),
        ("valueTime", "time"),
    ):
        if key in opt:
            return AnswerOption(str(opt[key]), str(opt[key]), kind)
    if isinstance(opt.get("valueReference"), dict) and opt["valueReference"].get("reference"):
        ref = opt["valueReference"]
        return AnswerOption(ref["reference"], ref.get("display") or ref["reference"], "reference")
    return None


def _limit_fits(kind: str, value: Any) -> bool:
    if kind in ("integer", "decimal", "quantity"):
        return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if kind in ("date", "dateTime"):
        return is_date_like(value)
    if kind == "time":
        return isinstance(value, time)
    return False


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ordinal(*holders: Any) -> Decimal | None:
    for holder in holders:
        for ext in (holder.get("extension") or []) if isinstance(holder, dict) else []:
            if isinstance(ext, dict) and ext.get("url") in ORDINAL_URLS:
                value = ext.get("valueDecimal", ext.get("valueInteger"))
                try:
                    return Decimal(str(value))
                except InvalidOperation:
                    return None
    return None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
