"""The form's FHIRPath rules on a patient's answers: variables, initial and calculated values,
enableWhenExpression, answerExpression, Helsenorge's sdf-minvalue/sdf-maxvalue and
sdf-fhirpathvalidation.

The SDC rules (calculatedExpression, initialExpression, enableWhenExpression,
answerExpression) and item variables are evaluated on the item's own QuestionnaireResponse
item: it is the focus and `%context`, and `%qitem` is the Questionnaire item. A variable
on an item is seen by that item and the items below it. Helsenorge's sdf- rules and
cqf-expression are evaluated on the whole response, as refero does. Every expression that
fails is a note naming the rule, the item and the reason; none is skipped silently.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from typing import Any

from helsetilbud.forms.expressions import (
    ExpressionFailed,
    as_bool,
    as_date,
    as_value,
    evaluate,
)
from helsetilbud.forms.extensions import ITEM_CONTEXT_RULES
from helsetilbud.forms.items import AnswerOption, Item, Quantity, Questionnaire
from helsetilbud.forms.response import answer_value, draft_response

ITEM = "QuestionnaireResponse.item"
RULE_BROKEN = "Svaret oppfyller ikke skjemaets regel for dette feltet."
DEFAULT_NAMES = {
    "calculated": "calculatedExpression",
    "initial_expression": "initialExpression",
    "enable_when_expression": "enableWhenExpression",
    "answer_expression": "answerExpression",
}


class Computation:
    """The expressions of one form, evaluated against one set of answers.

    `skip` are items evaluated elsewhere (the items of repeating groups, per instance);
    `instances` are those groups' evaluated instances, written into `%resource`.
    """

    def __init__(
        self,
        questionnaire: Questionnaire,
        skip: Collection[str] = (),
        instances: Mapping[str, list[Any]] | None = None,
    ) -> None:
        self.q = questionnaire
        self.notes: list[str] = []
        self.items = [item for item, _ in questionnaire.walk() if item.link_id not in skip]
        self.ids = {item.link_id for item in self.items}
        self.instances = instances or {}
        self.parents: dict[str, Item | None] = {}

        def register(items: list[Item], parent: Item | None) -> None:
            for item in items:
                self.parents.setdefault(item.link_id, parent)
                register(item.items, item)

        register(questionnaire.items, None)

    def _note(self, rule: str, item: Item | None, failure: ExpressionFailed) -> None:
        where = f" på «{item.link_id}»" if item is not None else ""
        note = f"Regelen {rule}{where} kunne ikke følges: {failure.reason}."
        if note not in self.notes:
            self.notes.append(note)

    def env(self, answers: dict[str, list[Any]]) -> dict[str, Any]:
        """%resource, %questionnaire and the form's own variables for these answers."""
        nodes: dict[str, dict[str, Any]] = {}
        response = draft_response(self.q, answers, None, self.instances, nodes)
        env: dict[str, Any] = {
            "resource": response,
            "context": response,
            "questionnaire": self.q.source,
            "_nodes": nodes,
            "_scopes": {},
        }
        for name, expression in self.q.variables:
            try:
                env[name] = evaluate(expression, response, _vars(env))
            except ExpressionFailed as failure:
                self._note(f"variable «{name}»", None, failure)
                env[name] = []
        return env

    def scoped(self, item: Item, env: dict[str, Any]) -> dict[str, Any]:
        """The env for expressions on `item`: its ancestors' and its own variables, %context."""
        cache: dict[str, dict[str, Any]] = env["_scopes"]
        if item.link_id in cache:
            return cache[item.link_id]
        parent = self.parents.get(item.link_id)
        base = self.scoped(parent, env) if parent is not None else env
        node = env["_nodes"].get(item.link_id) or {"linkId": item.link_id}
        scope = {**base, "context": node, "qitem": item.source}
        for name, expression in item.variables:
            try:
                scope[name] = evaluate(expression, node, _vars(scope), ITEM)
            except ExpressionFailed as failure:
                self._note(f"variable «{name}»", item, failure)
                scope[name] = []
        cache[item.link_id] = scope
        return scope

    def run(self, item: Item, attr: str, env: dict[str, Any]) -> list[Any]:
        """Evaluate the item's rule `attr`: SDC rules on the item, sdf- rules on the response."""
        expression = getattr(item, attr) or ""
        scope = self.scoped(item, env)
        if self.rule(item, attr) in ITEM_CONTEXT_RULES and not expression.lstrip().startswith(
            "QuestionnaireResponse"
        ):
            return evaluate(expression, scope["context"], _vars(scope), ITEM)
        return evaluate(expression, env["resource"], {**_vars(scope), "context": env["resource"]})

    def rule(self, item: Item, attr: str) -> str:
        """The name of the extension the item's rule `attr` came from."""
        return item.expression_names.get(attr, DEFAULT_NAMES.get(attr, attr))

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
                value = self._value(item, "initial_expression", env)
                if value is not None:
                    answers[item.link_id] = [value]
        calculated = [i for i in self.items if i.calculated]
        for _ in range(len(calculated) + 1):
            changed = False
            env = self.env(answers)
            for item in calculated:
                if item.link_id in given and not item.read_only:
                    continue
                value = self._value(item, "calculated", env)
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

    def _value(self, item: Item, attr: str, env: dict[str, Any]) -> Any:
        rule = self.rule(item, attr)
        try:
            value = as_value(self.run(item, attr, env), item.type)
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

    def answer_options(self, answers: dict[str, list[Any]]) -> dict[str, tuple[AnswerOption, ...]]:
        """The options of each item with an answerExpression, for these answers."""
        targets = [i for i in self.items if i.answer_expression]
        if not targets:
            return {}
        env = self.env(answers)
        found: dict[str, tuple[AnswerOption, ...]] = {}
        for item in targets:
            try:
                result = self.run(item, "answer_expression", env)
            except ExpressionFailed as failure:
                self._note("answerExpression", item, failure)
                continue
            options = [_as_option(value) for value in result]
            if any(o is None for o in options):
                reason = "resultatet er ikke en liste av koder, tekster eller tall"
                self._note("answerExpression", item, ExpressionFailed(reason))
                continue
            found[item.link_id] = tuple(o for o in options if o is not None)
        return found

    def enable_when_holds(self, answers: dict[str, list[Any]]) -> Callable[[Item], bool]:
        """For enabled_items: does an item's enableWhenExpression hold for these answers?"""
        env = self.env(answers)

        def holds(item: Item) -> bool:
            if not item.enable_when_expression or item.link_id not in self.ids:
                return True
            try:
                result = self.run(item, "enable_when_expression", env)
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


def _vars(env: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in env.items() if not k.startswith("_")}


def _as_option(value: Any) -> AnswerOption | None:
    """One answerExpression result as an option: a Coding, a string, an integer or a date."""
    if isinstance(value, Mapping):
        if isinstance(value.get("valueCoding"), Mapping):
            value = value["valueCoding"]
        if value.get("code") is None:
            return None
        code = str(value["code"])
        return AnswerOption(code, str(value.get("display") or code), "coding", value.get("system"))
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return AnswerOption(str(value), str(value), "integer")
    if isinstance(value, str | Decimal | float):
        return AnswerOption(str(value), str(value), "string")
    return None
