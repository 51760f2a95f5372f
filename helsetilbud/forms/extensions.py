"""Read the extensions of a Questionnaire item: rules, limits, units and FHIRPath expressions.

`ExtensionReader` is the half of the parser that reads `extension` entries; every one it
cannot use becomes a Norwegian warning in `warnings`, never a silent skip.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from helsetilbud.forms.dates import is_date_like, parse_fhir_date, parse_fhir_datetime
from helsetilbud.forms.expressions import check_syntax, needs_launch_context

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
    SDC + "sdc-questionnaire-answerExpression": ("answer_expression", "answerExpression"),
}
# The SDC rules evaluated on the item's own QuestionnaireResponse item (%context); the
# Helsenorge (sdf-) ones on the whole response, as refero evaluates them.
ITEM_CONTEXT_RULES = frozenset(
    {"calculatedExpression", "initialExpression", "enableWhenExpression", "answerExpression"}
)
EXT_REPEATS_TEXT = SDF + "repeatstext"
EXT_ANSWER_EXPRESSION = SDC + "sdc-questionnaire-answerExpression"
EXT_MIME_TYPE = "http://hl7.org/fhir/StructureDefinition/mimeType"
EXT_MAX_SIZE = "http://hl7.org/fhir/StructureDefinition/maxSize"
UNSUPPORTED_EXTENSIONS = {
    SDC + "sdc-questionnaire-candidateExpression": (
        "candidateExpression (forslag til svar): forslagene vises ikke"
    ),
}


def extension(raw: Mapping[str, Any], url: str) -> Any:
    for ext in raw.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == url:
            return next((v for k, v in ext.items() if k.startswith("value")), None)
    return None


def typed(key: str, value: Any) -> Any:
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


class ExtensionReader:
    """Reads item extensions; collects a warning for each one that cannot be used."""

    warnings: list[str]

    def expressions(self, raw: Mapping[str, Any], link_id: str) -> dict[str, Any]:
        """Item fields for each FHIRPath rule, plus `expression_names` (field -> rule)."""
        found: dict[str, Any] = {}
        names: dict[str, str] = {}
        for ext in raw.get("extension") or []:
            if not isinstance(ext, dict) or ext.get("url") not in EXPRESSIONS:
                continue
            attr, name = EXPRESSIONS[ext["url"]]
            text = self.expression_text(ext, f"{name} på «{link_id}»")
            if text is not None and needs_launch_context(text):
                if attr == "initial_expression":
                    self.warnings.append(
                        f"Forhåndsutfyllingen {name} på «{link_id}» bruker pasientens "
                        f"opplysninger som Helsenorge fyller inn («{short(text)}»); "
                        "feltet står tomt her."
                    )
                    continue
                if attr == "answer_expression":
                    self.warnings.append(
                        f"Svaralternativene (answerExpression) på «{link_id}» hentes fra "
                        f"opplysninger Helsenorge har («{short(text)}»)."
                    )
                    text = None
            if text is None:
                if attr == "answer_expression":
                    self.warnings.append(
                        f"Svaralternativene til «{link_id}» kan ikke beregnes (answerExpression); "
                        "alle svar godtas uten kontroll."
                    )
                continue
            if attr not in found:
                found[attr], names[attr] = text, name
        return {**found, "expression_names": names}

    def attachment(self, raw: Mapping[str, Any], link_id: str) -> dict[str, Any]:
        """mime_types and max_size of an attachment item (mimeType, maxSize extensions)."""
        types = tuple(
            str(ext.get("valueCode"))
            for ext in raw.get("extension") or []
            if isinstance(ext, dict) and ext.get("url") == EXT_MIME_TYPE and ext.get("valueCode")
        )
        size = extension(raw, EXT_MAX_SIZE)
        try:
            max_size = int(Decimal(str(size))) if size is not None else None
        except InvalidOperation:
            self.warnings.append(
                f"Største filstørrelse (maxSize) «{size}» på «{link_id}» kan ikke leses; "
                "størrelsen kontrolleres ikke."
            )
            max_size = None
        if raw.get("type") == "attachment" and not types:
            self.warnings.append(
                f"Vedlegget «{link_id}» angir ingen filtyper (mimeType); Helsenorge bruker da "
                "sine egne standardtyper, som prøven ikke kjenner: her godtas alle filtyper."
            )
        return {"mime_types": types, "max_size": max_size}

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
        pattern = extension(raw, EXT_REGEX)
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

    def limit(self, raw: Mapping[str, Any], url: str, link_id: str, kind: str) -> Any:
        for ext in raw.get("extension") or []:
            if isinstance(ext, dict) and ext.get("url") == url:
                key = next((k for k in ext if k.startswith("value")), None)
                value = typed(key, ext[key]) if key else None
                name = url.rsplit("/", 1)[-1]
                if value is None or not limit_fits(kind, value):
                    shown = ext.get(key) if key else ""
                    self.warnings.append(
                        f"Grensen {name} «{shown}» på «{link_id}» kan ikke brukes for typen "
                        f"«{kind}»; den kontrolleres ikke."
                    )
                    return None
                return value
        return None


def limit_fits(kind: str, value: Any) -> bool:
    if kind in ("integer", "decimal", "quantity"):
        return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if kind in ("date", "dateTime"):
        return is_date_like(value)
    if kind == "time":
        return isinstance(value, time)
    return False


def short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ordinal(*holders: Any) -> Decimal | None:
    for holder in holders:
        for ext in (holder.get("extension") or []) if isinstance(holder, dict) else []:
            if isinstance(ext, dict) and ext.get("url") in ORDINAL_URLS:
                value = ext.get("valueDecimal", ext.get("valueInteger"))
                try:
                    return Decimal(str(value))
                except InvalidOperation:
                    return None
    return None


def int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
