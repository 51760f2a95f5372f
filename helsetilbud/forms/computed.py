"""The form's FHIRPath rules on a patient's answers: variables, initial and calculated values,
enableWhenExpression, Helsenorge's sdf-minvalue/sdf-maxvalue and sdf-fhirpathvalidation.

Every expression that fails is a note naming the rule, the item and the reason; none is
skipped silently.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from helsetilbud.forms.expressions import (
    ExpressionFailed,
    as_bool,
    as_date,
    as_value,
    evaluate,
)
from helsetilbud.forms.items import Item, Quantity, Questionnaire
from helsetilbud.forms.response import answer_value, draft_response

RULE_BROKEN = "Svaret oppfyller ikke skjemaets regel for dette feltet."


class Computation:
    """The expressions of one form, evaluated against one set of answers."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire
        self.notes: list[str] = []
        self.items = [item for item, _ in questionnaire.walk()]

    def _note(self, rule: str, item: Item | None, failure: ExpressionFailed) -> None:
        where = f" på «{item.link_id}»" if item is not None else ""
        note = f"Regelen {rule}{where} kunne ikke følges: {failure.reason}."
        if note not in self.notes:
            self.notes.append(note)

    def env(self, answers: dict[str, list[Any]]) -> dict[str, Any]:
        """%resource, %questionnaire and the form's variables for these answers."""
        response = draft_response(self.q, answers, None)
        env: dict[str, Any] = {
            "resource": response,
            "context": response,
            "questionnaire": self.q.source,
        }
        scoped = [(None, self.q.variables)] + [(i, i.variables) for i in self.items]
        for item, variables in scoped:
            for name, expression in variables:
                try:
                    env[name] = evaluate(expression, response, env)
                except ExpressionFailed as failure:
                    self._note(f"variable «{name}»", item, failure)
                    env[name] = []
        return env

    def fill(self, answers: dict[str, list[Any]], given: set[str]) -> dict[str, list[Any]]:
        """Answers with initialExpression and calculated values filled in (until stable)."""
        answers = dict(answers)
        env = self.env(answers)
        for item in self.items:
            if (
                item.initial_expression
                and item.link_id not in given
                and item.link_id not in answers
            ):
                value = self._value(item, item.initial_expression, "initialExpression", env)
                if value is not None:
                    answers[item.link_id] = [value]
        calculated = [i for i in self.items if i.calculated]
        for _ in range(len(calculated) + 1):
            changed = False
            env = self.env(answers)
            for item in calculated:
                if item.link_id in given and not item.read_only:
                    continue
                value = self._value(item, item.calculated or "", "calculatedExpression", env)
                new = [value] if value is not None else []
                if answers.get(item.link_id, []) != new:
                    changed = True
                    if new:
                        answers[item.link_id] = new
                    else:
                        answers.pop(item.link_id, None)
            if not changed:
                break
        return answers

    def _value(self, item: Item, expression: str, rule: str, env: dict[str, Any]) -> Any:
        try:
            result = evaluate(expression, env["resource"], env)
            value = as_value(result, item.type)
        except ExpressionFailed as failure:
            self._note(rule, item, failure)
            return None
        except (ValueError, ArithmeticError) as exc:
            self._note(rule, item, ExpressionFailed(f"resultatet passer ikke typen ({exc})"))
            return None
        if item.type in ("choice", "open-choice") and isinstance(value, dict):
            return item.option(str(value.get("code"))) or value.get("display")
        if item.type == "quantity" and value is not None:
            unit = item.unit or {}
            return Quantity(value, item.unit_text, unit.get("system"), unit.get("code"))
        return value

    def enable_when_holds(self, answers: dict[str, list[Any]]) -> Callable[[Item], bool]:
        """For enabled_items: does an item's enableWhenExpression hold for these answers?"""
        env = self.env(answers)

        def holds(item: Item) -> bool:
            if not item.enable_when_expression:
                return True
            try:
                result = evaluate(item.enable_when_expression, env["resource"], env)
            except ExpressionFailed as failure:
                self._note("enableWhenExpression", item, failure)
                return False
            return as_bool(result) is True

        return holds

    def with_limits(self, item: Item) -> Item:
        """The item with today's sdf-minvalue/sdf-maxvalue (a FHIRPath on the item) as limits."""
        changes: dict[str, Any] = {}
        for attr, field, rule in (
            ("min_expression", "min_value", "sdf-minvalue"),
            ("max_expression", "max_value", "sdf-maxvalue"),
        ):
            expression = getattr(item, attr)
            if not expression:
                continue
            try:
                limit = as_date(evaluate(expression, item.source))
            except (ExpressionFailed, ValueError) as failure:
                reason = failure if isinstance(failure, ExpressionFailed) else None
                self._note(rule, item, reason or ExpressionFailed(f"ikke en dato ({failure})"))
                continue
            if limit is not None:
                changes[field] = limit
        return dataclasses.replace(item, **changes) if changes else item

    def rule_problems(self, item: Item, values: list[Any]) -> list[str]:
        """sdf-fhirpathvalidation on each answer (`this.value`); the form's text if broken."""
        if not item.fhirpath_validation:
            return []
        for value in values:
            element = answer_value(value)
            fhir = next(iter(element.values()))
            if isinstance(fhir, dict):
                fhir = fhir.get("value", fhir.get("code"))
            root = {"this": {"value": fhir}, "value": fhir}
            try:
                result = evaluate(item.fhirpath_validation, root)
            except ExpressionFailed as failure:
                self._note("sdf-fhirpathvalidation", item, failure)
                return []
            if as_bool(result) is not True:
                return [item.validation_text or RULE_BROKEN]
        return []
