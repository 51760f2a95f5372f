"""Check resources against FHIR R4B (fhir.resources): warnings for forms, a gate for responses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

_KINDS = {
    "string_pattern_mismatch": "verdien har ugyldig format (for eksempel mellomrom i en kode)",
    "missing": "et påkrevd felt mangler",
    "extra_forbidden": "feltet er ukjent i FHIR R4B",
    "string_too_short": "verdien er tom",
}


def load_models() -> None:
    """Import the FHIR models now rather than at the first check (a preheated kernel does)."""
    from fhir.resources.R4B import questionnaire, questionnaireresponse  # noqa: F401


def structure_warnings(resource: Mapping[str, Any]) -> list[str]:
    """Norwegian warnings for every place a Questionnaire breaks FHIR R4B; [] when valid."""
    from fhir.resources.R4B.questionnaire import Questionnaire

    return _problems(Questionnaire, resource, "Avviker fra FHIR R4B")


def response_problems(response: Mapping[str, Any]) -> list[str]:
    """Norwegian descriptions of why a QuestionnaireResponse is not valid R4B; [] when valid."""
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    return _problems(QuestionnaireResponse, response, "Ugyldig svar (FHIR R4B)")


def _problems(model: Any, resource: Mapping[str, Any], prefix: str) -> list[str]:
    try:
        model.model_validate(dict(resource))
    except ValidationError as exc:
        found = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ()))
            what = _KINDS.get(error.get("type", ""), "ugyldig verdi")
            value = error.get("input")
            shown = f" (verdi «{_short(value)}»)" if isinstance(value, str | int | float) else ""
            found.append(f"{prefix} ved «{where}»: {what}{shown}.")
        return found
    except Exception as exc:
        return [f"{prefix}: kunne ikke kontrolleres ({type(exc).__name__})."]
    return []


def _short(value: object, limit: int = 40) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
