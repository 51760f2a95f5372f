"""FHIRPath for forms, evaluated by fhirpathpy (FHIR R4 model): never a FHIRPath of our own.

`%resource` is the QuestionnaireResponse built from the answers so far, `%questionnaire`
the form, and every FHIRPath `variable` of the form (root first, then items in document
order) is a `%name`. `ordinal()` reads the ordinalValue (or itemWeight) that the engine
writes on each chosen Coding. A failing expression raises ExpressionFailed with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from helsetilbud.forms.dates import PartialDate, parse_fhir_date, parse_fhir_datetime

ORDINAL_URLS = (
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
)
# Expressions that read the patient's own data, which Helsenorge fills in from its records.
LAUNCH_CONTEXT = re.compile(
    r"^\s*(Patient|RelatedPerson|Practitioner|Person)\b|%(patient|user|representative|encounter|location)\b"
)


class ExpressionFailed(Exception):
    """A FHIRPath expression could not be evaluated; `reason` is Norwegian."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _ordinal(inputs: list[Any]) -> list[Any]:
    found = []
    for coding in inputs:
        for ext in (coding.get("extension") or []) if isinstance(coding, Mapping) else []:
            if ext.get("url") in ORDINAL_URLS:
                value = ext.get("valueDecimal", ext.get("valueInteger"))
                if value is not None:
                    found.append(value)
    return found


_OPTIONS = {"userInvocationTable": {"ordinal": {"fn": _ordinal, "arity": {0: []}}}}


def needs_launch_context(expression: str) -> bool:
    """True when the expression reads Patient or another resource Helsenorge supplies."""
    return LAUNCH_CONTEXT.search(expression) is not None


def check_syntax(expression: str) -> str | None:
    """None when the expression is valid FHIRPath (fhirpathpy's grammar); else the reason.

    fhirpathpy's own parse ignores syntax errors, so its generated parser is run here with
    a listener that records them.
    """
    from antlr4 import CommonTokenStream, InputStream
    from antlr4.error.ErrorListener import ErrorListener
    from fhirpathpy.parser.generated.FHIRPathLexer import FHIRPathLexer
    from fhirpathpy.parser.generated.FHIRPathParser import FHIRPathParser

    errors: list[str] = []

    class Collect(ErrorListener):  # type: ignore[misc]
        def syntaxError(self, recognizer, offending, line, column, msg, e):  # noqa: N802, ANN001
            errors.append(f"tegn {column + 1}")

    lexer = FHIRPathLexer(InputStream(expression))
    lexer.removeErrorListeners()
    lexer.addErrorListener(Collect())
    parser = FHIRPathParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(Collect())
    parser.expression()
    if parser.getCurrentToken().type != FHIRPathParser.EOF:
        errors.append("uventet tekst til slutt")
    return f"ugyldig FHIRPath ({errors[0]})" if errors else None


def evaluate(
    expression: str,
    resource: Any,
    variables: Mapping[str, Any] | None = None,
    base: str | None = None,
) -> list[Any]:
    """The expression's result (a list) on `resource`; raises ExpressionFailed.

    `base` is the resource's FHIR type path when it is not a resource of its own (e.g.
    "QuestionnaireResponse.item"), so `answer.value` finds valueInteger and the like;
    `%context`, when it is that same element, gets the type too.
    """
    from fhirpathpy import evaluate as fhirpath_evaluate
    from fhirpathpy.engine.nodes import ResourceNode
    from fhirpathpy.models import models

    env = dict(variables or {})
    path: str | dict[str, str] = expression
    if base is not None:
        path = {"expression": expression, "base": base}
        if env.get("context") is resource:
            env["context"] = ResourceNode.create_node(resource, base)
    try:
        return list(fhirpath_evaluate(resource, path, env, models["r4"], _OPTIONS))
    except Exception as exc:  # the library's errors are ValueError, TypeError, Exception
        detail = str(exc).split("\n")[0][:120]
        raise ExpressionFailed(f"FHIRPath-feil ({type(exc).__name__}: {detail})") from exc


def as_bool(result: list[Any]) -> bool | None:
    """A boolean result (singleton) as True/False; None when empty or not a boolean."""
    if len(result) == 1 and isinstance(result[0], bool):
        return result[0]
    return None


def as_value(result: list[Any], kind: str) -> Any:
    """The first value of a result typed for an item of `kind`; None when there is none."""
    if not result:
        return None
    value = result[0]
    if isinstance(value, Mapping) and "value" in value and kind in ("decimal", "integer"):
        value = value["value"]
    if kind == "integer":
        return int(Decimal(str(value)))
    if kind in ("decimal", "quantity"):
        return Decimal(str(value))
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    if kind == "date":
        return _date(value)
    if kind == "dateTime":
        return parse_fhir_datetime(str(value))
    if kind in ("choice", "open-choice") and isinstance(value, Mapping):
        return value
    return str(value)


def _date(value: Any) -> date | PartialDate:
    text = str(value)
    if "T" in text:
        moment = parse_fhir_datetime(text)
        return moment.date() if isinstance(moment, datetime) else moment
    return parse_fhir_date(text)


def as_date(result: list[Any]) -> date | datetime | PartialDate | None:
    """A date limit from an expression like `today()` or `today() - 18 years`."""
    if not result:
        return None
    return parse_fhir_datetime(str(result[0]))
