"""Evaluate a patient's answers to a form: typed values, rules, repeating groups, errors."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from helsetilbud.forms.computed import Computation
from helsetilbud.forms.enable_when import enabled_items
from helsetilbud.forms.errors import AnswerProblem, AnswersInvalid
from helsetilbud.forms.items import AnswerOption, Item, Questionnaire, descendants
from helsetilbud.forms.values import (
    GROUP_REQUIRED,
    NOT_ANSWERABLE,
    READ_ONLY,
    REQUIRED,
    UNKNOWN_ITEM,
    check_values,
    format_value,
)

NOT_IN_GROUP = "Elementet hører ikke til gruppen «{group}»."
INSTANCES_SHAPE = (
    "Svaret på en gruppe som kan gjentas må være en liste med ett JSON-objekt "
    "(linkId -> svar) for hver gang gruppen er fylt ut."
)
TOO_MANY_INSTANCES = "Du kan fylle ut denne delen høyst {n} ganger."
TOO_FEW_INSTANCES = "Du må fylle ut denne delen minst {n} ganger."

__all__ = [
    "FilledForm",
    "evaluate_answers",
    "fill_form",
    "format_value",
    "validate_answers",
]


@dataclass
class FilledForm:
    """A form with a patient's typed answers: only enabled items' answers are kept.

    `answers` and `enabled` cover the items outside repeating groups; each repeating
    group's instances are FilledForms of their own in `instances` (linkId -> one per
    instance, in order). `options` are the options an answerExpression gave.
    """

    questionnaire: Questionnaire
    answers: dict[str, list[Any]]
    enabled: frozenset[str]
    problems: list[AnswerProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    instances: dict[str, list[FilledForm]] = field(default_factory=dict)
    options: dict[str, tuple[AnswerOption, ...]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """True when no answer breaks a rule."""
        return not self.problems

    def all_answers(self) -> dict[str, list[Any]]:
        """Every answer, those of all instances of a repeating group joined per linkId."""
        found = {k: list(v) for k, v in self.answers.items()}
        for forms in self.instances.values():
            for form in forms:
                for link_id, values in form.all_answers().items():
                    found.setdefault(link_id, []).extend(values)
        return found


def evaluate_answers(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> FilledForm:
    """Type and check every answer (linkId -> value or list of values); collect all problems.

    An item the answers do not name keeps its `initial` value (and `initialSelected`
    options); naming it with null or [] clears it. A repeating group is answered with a
    list of objects, one per instance (`{"barn": [{"navn": "Ola"}, {"navn": "Kari"}]}`);
    answers to its items given outside such a list are its first instance. Within an
    instance, enableWhen and expressions see that instance's answers; outside the group,
    a condition on an item in it holds when it holds for any instance.
    """
    return _Level(questionnaire, None).evaluate({str(k): v for k, v in raw.items()}, {})


def validate_answers(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> list[AnswerProblem]:
    """Every problem with the answers, per item; [] when they can be sent."""
    return evaluate_answers(questionnaire, raw).problems


def fill_form(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> FilledForm:
    """The filled form; raises AnswersInvalid listing every problem when there is one."""
    form = evaluate_answers(questionnaire, raw)
    if form.problems:
        raise AnswersInvalid(form.problems)
    return form


class _Level:
    """The items of the whole form (scope None) or of one instance of a repeating group."""

    def __init__(self, questionnaire: Questionnaire, scope: Item | None) -> None:
        self.q = questionnaire
        self.groups = questionnaire.repeating_groups(scope)
        self.owned = {g.link_id: descendants(g) for g in self.groups}
        self.inner: set[str] = set().union(*self.owned.values())
        area = (
            descendants(scope)
            if scope is not None
            else {item.link_id for item, _ in questionnaire.walk()}
        )
        self.level = area - self.inner

    def evaluate(self, raw: dict[str, Any], outer: Mapping[str, Any]) -> FilledForm:
        own = {k: v for k, v in raw.items() if k not in self.inner and k not in self.owned}
        context = {**outer, **own}
        problems: list[AnswerProblem] = []
        instances: dict[str, list[FilledForm]] = {}
        for group in self.groups:
            owned = self.owned[group.link_id]
            loose = {k: v for k, v in raw.items() if k in owned}
            entries, bad = _entries(raw.get(group.link_id), loose)
            if bad:
                problems.append(AnswerProblem(group.link_id, INSTANCES_SHAPE, group.text))
            level = _Level(self.q, group)
            forms = []
            for index, entry in enumerate(entries):
                for key in (str(k) for k in entry if str(k) not in owned):
                    known = self.q.item(key) is not None
                    message = NOT_IN_GROUP.format(group=group.link_id) if known else UNKNOWN_ITEM
                    problems.append(AnswerProblem(key, message, "", (index,)))
                inner = {str(k): v for k, v in entry.items() if str(k) in owned}
                forms.append(level.evaluate(inner, context))
            instances[group.link_id] = forms
        joined: dict[str, list[Any]] = {}
        for forms in instances.values():
            for form in forms:
                for link_id, values in form.all_answers().items():
                    joined.setdefault(link_id, []).extend(values)
        form = self._flat(context, set(own), joined, instances)
        for group in self.groups:
            forms = instances[group.link_id] if group.link_id in form.enabled else []
            instances[group.link_id] = forms
            for index, instance in enumerate(forms):
                form.problems += [
                    dataclasses.replace(p, instance=(index, *p.instance)) for p in instance.problems
                ]
                form.notes += [n for n in instance.notes if n not in form.notes]
            if group.link_id in form.enabled:
                problems += _count_problems(group, forms)
        form.problems = problems + form.problems
        form.instances = instances
        return form

    def _flat(
        self,
        raw: Mapping[str, Any],
        own: set[str],
        joined: dict[str, list[Any]],
        instances: dict[str, list[FilledForm]],
    ) -> FilledForm:
        q = self.q
        typed: dict[str, list[Any]] = {}
        problems: dict[str, list[str]] = {}
        unknown: list[AnswerProblem] = []
        engine = Computation(q, self.inner, instances)
        deferred: list[tuple[Item, list[Any]]] = []
        for link_id, value in raw.items():
            item = q.item(link_id)
            if item is None or item.link_id in self.inner:
                if item is None and link_id in own:
                    unknown.append(AnswerProblem(link_id, UNKNOWN_ITEM))
                continue
            values = _as_list(value)
            if not values:
                continue
            if not item.is_question:
                problems[item.link_id] = [NOT_ANSWERABLE]
            elif item.read_only:
                problems[item.link_id] = [READ_ONLY]
            elif item.answer_expression:
                deferred.append((item, values))
            else:
                typed[item.link_id], problems[item.link_id] = check_values(
                    engine.with_limits(item), values
                )
        for item, _ in q.walk():
            if (
                item.initial
                and item.is_question
                and item.link_id not in raw
                and item.link_id not in self.inner
            ):
                typed[item.link_id], problems[item.link_id] = check_values(item, list(item.initial))
        typed = {k: v for k, v in typed.items() if v} | joined
        options = engine.answer_options(typed)
        for item, values in deferred:
            shown = dataclasses.replace(item, options=options.get(item.link_id, item.options))
            typed[item.link_id], problems[item.link_id] = check_values(
                engine.with_limits(shown), values
            )
        typed = engine.fill({k: v for k, v in typed.items() if v}, set(raw))
        enabled = enabled_items(q, typed, engine.enable_when_holds(typed))
        answers = {k: v for k, v in typed.items() if k in enabled and k in self.level}
        seen = {k: v for k, v in typed.items() if k in enabled}
        found = list(unknown)
        for item, _ in q.walk():
            if item.link_id not in enabled or item.link_id not in self.level:
                continue
            messages = problems.get(item.link_id) or []
            if not messages and item.link_id in answers:
                messages = engine.rule_problems(item, answers[item.link_id])
            checked = not item.read_only or item.validate_read_only
            if not messages and item.required and not item.hidden and checked:
                if item.is_question and item.link_id not in answers:
                    messages = [item.validation_text or REQUIRED]
                elif (
                    item.type == "group"
                    and not item.is_repeating_group
                    and not _any_answered(item, seen)
                ):
                    messages = [GROUP_REQUIRED]
            found += [AnswerProblem(item.link_id, m, item.text) for m in messages]
        notes = engine.notes + [
            f"Koden «{format_value(v)}» på «{item.link_id}» kunne ikke kontrolleres: "
            f"svaralternativene «{item.unchecked_value_set}» finnes ikke i skjemaet."
            for item, _ in q.walk()
            if item.unchecked_value_set
            for v in answers.get(item.link_id, [])
        ]
        level_enabled = frozenset(k for k in enabled if k in self.level)
        level_options = {k: v for k, v in options.items() if k in self.level}
        return FilledForm(q, answers, level_enabled, found, notes, options=level_options)


def _entries(value: Any, loose: dict[str, Any]) -> tuple[list[Mapping[str, Any]], bool]:
    """The instances of a repeating group given in the answers; True when badly shaped."""
    if value is None:
        return [loose], False
    if isinstance(value, Mapping):
        return [{**loose, **value}], False
    if isinstance(value, list | tuple) and all(isinstance(v, Mapping) for v in value):
        entries = [dict(v) for v in value]
        if loose:
            entries = [{**loose, **entries[0]}, *entries[1:]] if entries else [loose]
        return entries, False
    return [loose], True


def _count_problems(group: Item, forms: list[FilledForm]) -> list[AnswerProblem]:
    """minOccurs, maxOccurs and required on a repeating group count its filled instances."""
    filled = sum(1 for form in forms if form.all_answers())
    message = None
    if group.max_occurs is not None and len(forms) > group.max_occurs:
        message = TOO_MANY_INSTANCES.format(n=group.max_occurs)
    elif group.min_occurs is not None and filled < group.min_occurs and (group.required or filled):
        message = TOO_FEW_INSTANCES.format(n=group.min_occurs)
    elif group.required and not filled and not group.hidden:
        message = GROUP_REQUIRED
    if message is None:
        return []
    if group.validation_text and message != GROUP_REQUIRED:
        message = group.validation_text
    return [AnswerProblem(group.link_id, message, group.text)]


def _as_list(value: Any) -> list[Any]:
    values = value if isinstance(value, list | tuple) else [value]
    return [v for v in values if v is not None and not (isinstance(v, str) and not v.strip())]


def _any_answered(item: Item, answers: Mapping[str, list[Any]]) -> bool:
    return any(c.link_id in answers or _any_answered(c, answers) for c in item.items)
