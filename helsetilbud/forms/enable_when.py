"""Evaluate enableWhen by the FHIR R4 rules: which items a patient is shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import time
from decimal import Decimal
from typing import Any

from helsetilbud.forms.dates import compare_dates, compare_times, is_date_like
from helsetilbud.forms.items import AnswerOption, EnableWhen, Item, Questionnaire

Answers = Mapping[str, Sequence[Any]]


def enabled_items(
    questionnaire: Questionnaire,
    answers: Answers,
    expression_holds: Callable[[Item], bool] | None = None,
) -> frozenset[str]:
    """The linkIds of every enabled item, given typed answers (linkId -> list of values).

    An item is enabled when its parent is and its conditions hold (`enableBehavior` all by
    default, or any). A condition on a disabled question sees it as unanswered, so chains
    A -> B -> C follow. Items whose conditions depend on themselves in a ring (A enables B
    enables A, or a group on its own child) are never enabled, whatever the order. With no
    answer, only `exists false` and `!=` hold (FHIR: "!= is true if no answer has a value
    equal to the enableWhen answer"). `expression_holds` decides enableWhenExpression.
    """
    parents: dict[str, Item | None] = {}
    index: dict[str, Item] = {}

    def register(items: list[Item], parent: Item | None) -> None:
        for item in items:
            if item.link_id not in index:
                index[item.link_id] = item
                parents[item.link_id] = parent
            register(item.items, item)

    register(questionnaire.items, None)
    state: dict[str, bool] = {lid: False for cycle in enable_cycles(questionnaire) for lid in cycle}

    def enabled(link_id: str) -> bool:
        if link_id in state:
            return state[link_id]
        if link_id not in index:
            return False
        item = index[link_id]
        parent = parents[link_id]
        result = (
            (parent is None or enabled(parent.link_id))
            and _conditions_hold(item, lambda q: list(answers.get(q, ())) if enabled(q) else [])
            and (expression_holds is None or expression_holds(item))
        )
        state[link_id] = result
        return result

    return frozenset(link_id for link_id in index if enabled(link_id))


def enable_cycles(questionnaire: Questionnaire) -> list[list[str]]:
    """Each ring of items whose enableWhen depend on each other (through parents too).

    A condition on the item itself counts; each ring is listed in document order.
    """
    deps: dict[str, list[str]] = {}
    order: list[str] = []

    def register(items: list[Item], parent: Item | None) -> None:
        for item in items:
            if item.link_id not in deps:
                order.append(item.link_id)
                deps[item.link_id] = [c.question for c in item.enable_when] + (
                    [parent.link_id] if parent is not None else []
                )
            register(item.items, item)

    register(questionnaire.items, None)
    position = {lid: i for i, lid in enumerate(order)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in deps.get(node, []):
            if nxt not in deps:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            ring = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                ring.append(top)
                if top == node:
                    break
            if len(ring) > 1 or node in deps[node]:
                found.append(sorted(ring, key=position.__getitem__))

    for lid in order:
        if lid not in index:
            visit(lid)
    return sorted(found, key=lambda ring: position[ring[0]])


def condition_holds(condition: EnableWhen, values: Sequence[Any]) -> bool:
    """One enableWhen against the (enabled) question's answers."""
    if condition.operator == "exists":
        return bool(values) == bool(condition.answer)
    if condition.answer is None:
        return False
    matches = [_compare(value, condition) for value in values]
    if condition.operator == "=":
        return any(m == 0 for m in matches)
    if condition.operator == "!=":
        return not any(m == 0 for m in matches)
    tests = {
        ">": lambda m: m > 0,
        "<": lambda m: m < 0,
        ">=": lambda m: m >= 0,
        "<=": lambda m: m <= 0,
    }
    test = tests.get(condition.operator)
    return test is not None and any(m is not None and test(m) for m in matches)


def _conditions_hold(item: Item, answers_of: Any) -> bool:
    if not item.enable_when:
        return True
    results = (condition_holds(c, answers_of(c.question)) for c in item.enable_when)
    return any(results) if item.enable_behavior == "any" else all(results)


def _compare(value: Any, condition: EnableWhen) -> int | None:
    """-1, 0 or 1 comparing an answer with the condition's value; None if not comparable."""
    expected = condition.answer
    if isinstance(value, AnswerOption):
        if condition.answer_kind == "coding" and isinstance(expected, Mapping):
            same_system = not (value.system and expected.get("system")) or (
                value.system == expected.get("system")
            )
            return 0 if same_system and value.code == str(expected.get("code")) else None
        value = int(value.code) if value.kind == "integer" else value.code
        expected = str(expected) if not isinstance(value, int) else expected
    if isinstance(value, bool) or isinstance(expected, bool):
        return 0 if value is expected else None
    if isinstance(value, int | Decimal | float) and isinstance(expected, int | Decimal | float):
        left, right = Decimal(str(value)), Decimal(str(expected))
    elif is_date_like(value) and is_date_like(expected):
        return compare_dates(value, expected)
    elif isinstance(value, time) and isinstance(expected, time):
        return compare_times(value, expected)
    elif type(value) is type(expected) and isinstance(value, str):
        left, right = value, expected
    else:
        return None
    return (left > right) - (left < right)
