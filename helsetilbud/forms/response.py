"""Build a FHIR R4 QuestionnaireResponse from a filled form."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from helsetilbud.forms.dates import PartialDate
from helsetilbud.forms.errors import QuestionnaireError
from helsetilbud.forms.fhir_check import response_problems
from helsetilbud.forms.items import AnswerOption, Attachment, Item, Quantity, Questionnaire
from helsetilbud.oslo_time import OSLO, in_oslo

if TYPE_CHECKING:
    from helsetilbud.forms.answers import FilledForm


def build_response(
    form: FilledForm,
    *,
    authored: datetime | None = None,
    response_id: str | None = None,
    subject: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A completed QuestionnaireResponse (plain dict) that fhir.resources R4B accepts."""
    moment = authored or datetime.now(OSLO)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=OSLO)
    q = form.questionnaire
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id or str(uuid.uuid4()),
        "questionnaire": questionnaire_reference(q),
        "status": "completed",
        "authored": moment.isoformat(timespec="seconds"),
    }
    if q.language:
        response["language"] = q.language
    if subject:
        response["subject"] = subject
    items = _items(q.items, form.answers, form.enabled, form.instances)
    if items:
        response["item"] = items
    problems = response_problems(response)
    if problems:
        raise QuestionnaireError("Svaret kunne ikke lages som gyldig FHIR: " + " ".join(problems))
    return response


def questionnaire_reference(q: Questionnaire) -> str:
    """The canonical reference to the form: url|version, url, or Questionnaire/id."""
    if q.url:
        return f"{q.url}|{q.version}" if q.version else q.url
    return f"Questionnaire/{q.id or 'ukjent'}"


def answer_value(value: Any) -> dict[str, Any]:
    """One typed answer as a FHIR `value[x]` element."""
    if isinstance(value, AnswerOption):
        return value.fhir_value()
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, Attachment):
        return {"valueAttachment": value.fhir()}
    if isinstance(value, Quantity):
        return {"valueQuantity": value.fhir()}
    if isinstance(value, Decimal | float):
        return {"valueDecimal": float(value)}
    if isinstance(value, PartialDate):
        return {"valueDate": value.isoformat()}
    if isinstance(value, datetime):
        return {"valueDateTime": in_oslo(value).isoformat(timespec="seconds")}
    if isinstance(value, date):
        return {"valueDate": value.isoformat()}
    if isinstance(value, time):
        return {"valueTime": value.strftime("%H:%M:%S")}
    return {"valueString": str(value)}


def draft_response(
    questionnaire: Questionnaire,
    answers: dict[str, list[Any]],
    enabled: frozenset[str] | None,
    instances: Mapping[str, list[FilledForm]] | None = None,
    nodes: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An in-progress QuestionnaireResponse of these answers (for FHIRPath; not validated).

    `nodes` collects each item's response item (an empty one when it has no answer).
    """
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "item": _items(questionnaire.items, answers, enabled, instances, nodes),
    }


def _items(
    items: list[Item],
    answers: Mapping[str, list[Any]],
    enabled: frozenset[str] | None,
    instances: Mapping[str, list[FilledForm]] | None = None,
    nodes: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Response items; a repeating group gives one item per instance, all with its linkId."""
    result = []
    for item in items:
        if enabled is not None and item.link_id not in enabled:
            continue
        if instances and item.link_id in instances:
            for form in instances[item.link_id]:
                inner = _items(item.items, form.answers, form.enabled, form.instances)
                if inner:
                    result.append(_node(item) | {"item": inner})
            continue
        children = _items(item.items, answers, enabled, instances, nodes)
        node = _node(item)
        values = answers.get(item.link_id) if item.is_question else None
        if values:
            node["answer"] = [answer_value(v) for v in values]
            if children:
                node["answer"][0]["item"] = children
        elif children:
            node["item"] = children
        if nodes is not None:
            nodes.setdefault(item.link_id, node)
        if values or children:
            result.append(node)
    return result


def _node(item: Item) -> dict[str, Any]:
    return {"linkId": item.link_id, **({"text": item.text} if item.text else {})}
