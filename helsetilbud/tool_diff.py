"""What changed between two versions of a triage tool's Questionnaire: a pure function.

Items are matched by linkId across the whole tree. For an item in both versions the diff names
each change of text, type, required, answer options and enableWhen conditions, in Norwegian.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from helsetilbud.forms import EnableWhen, Item, Questionnaire

__all__ = ["ADDED", "CHANGED", "REMOVED", "ItemChange", "ToolDiff", "diff_questionnaires"]

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
OPERATORS = {
    "=": "er",
    "!=": "ikke er",
    ">": "er over",
    "<": "er under",
    ">=": "er minst",
    "<=": "er høyst",
    "exists": "er besvart:",
}


@dataclass(frozen=True)
class ItemChange:
    """One item added, removed or changed; `details` says what changed, one line each."""

    kind: str
    link_id: str
    text: str
    type: str
    details: tuple[str, ...] = ()

    def line(self) -> str:
        name = f"«{self.text}» ({self.link_id})" if self.text else f"«{self.link_id}»"
        if self.kind == ADDED:
            return f"Lagt til: {name}, type {self.type}"
        if self.kind == REMOVED:
            return f"Fjernet: {name}"
        return f"Endret: {name}: " + "; ".join(self.details)


@dataclass(frozen=True)
class ToolDiff:
    """The changes from `old` to `new`, items in the new version's order (removed ones last)."""

    old_version: str
    new_version: str
    header: tuple[str, ...] = ()
    items: tuple[ItemChange, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not self.header and not self.items

    def count(self, kind: str) -> int:
        return sum(1 for c in self.items if c.kind == kind)

    def summary(self) -> str:
        """ "Versjon 1.0.0 → 1.1.0: 1 lagt til, 0 fjernet, 2 endret." """
        if self.empty:
            return f"Versjon {self.old_version} → {self.new_version}: ingen endringer i skjemaet."
        return (
            f"Versjon {self.old_version} → {self.new_version}: {self.count(ADDED)} lagt til, "
            f"{self.count(REMOVED)} fjernet, {self.count(CHANGED)} endret."
        )

    def lines(self) -> list[str]:
        """The summary, then one line per change: readable in a terminal and in the view."""
        return [self.summary(), *self.header, *(c.line() for c in self.items)]


def diff_questionnaires(old: Questionnaire, new: Questionnaire) -> ToolDiff:
    """The readable difference between two loaded Questionnaires (nothing is written)."""
    before = {item.link_id: item for item, _ in old.walk()}
    after = {item.link_id: item for item, _ in new.walk()}
    header = []
    if old.title != new.title:
        header.append(f"Tittel: «{old.title}» → «{new.title}»")
    changes: list[ItemChange] = []
    for link_id, item in after.items():
        previous = before.get(link_id)
        if previous is None:
            changes.append(ItemChange(ADDED, link_id, item.text, item.type))
            continue
        details = _item_details(previous, item, old, new)
        if details:
            changes.append(ItemChange(CHANGED, link_id, item.text, item.type, tuple(details)))
    for link_id, item in before.items():
        if link_id not in after:
            changes.append(ItemChange(REMOVED, link_id, item.text, item.type))
    return ToolDiff(str(old.version or "–"), str(new.version or "–"), tuple(header), tuple(changes))


def _item_details(old: Item, new: Item, old_q: Questionnaire, new_q: Questionnaire) -> list[str]:
    details = []
    if old.text != new.text:
        details.append(f"tekst «{old.text}» → «{new.text}»")
    if old.type != new.type:
        details.append(f"type {old.type} → {new.type}")
    if old.required != new.required:
        details.append("nå påkrevd" if new.required else "ikke lenger påkrevd")
    details += _option_details(old, new)
    old_when = _conditions(old, old_q)
    new_when = _conditions(new, new_q)
    if old_when != new_when:
        details.append(f"vises når: {old_when or 'alltid'} → {new_when or 'alltid'}")
    return details


def _option_details(old: Item, new: Item) -> list[str]:
    before = {o.code: o.display for o in old.options}
    after = {o.code: o.display for o in new.options}
    details = []
    added = [after[c] for c in after if c not in before]
    removed = [before[c] for c in before if c not in after]
    renamed = [
        f"«{before[c]}» → «{after[c]}»" for c in after if c in before and before[c] != after[c]
    ]
    if added:
        details.append("nye svaralternativer " + ", ".join(f"«{d}»" for d in added))
    if removed:
        details.append("fjernede svaralternativer " + ", ".join(f"«{d}»" for d in removed))
    if renamed:
        details.append("svaralternativ omdøpt " + ", ".join(renamed))
    return details


def _conditions(item: Item, q: Questionnaire) -> str:
    if not item.enable_when:
        return ""
    joiner = " eller " if item.enable_behavior == "any" else " og "
    return joiner.join(_condition(c, q) for c in item.enable_when)


def _condition(cond: EnableWhen, q: Questionnaire) -> str:
    question = q.item(cond.question)
    name = question.text if question is not None and question.text else cond.question
    return f"«{name}» {OPERATORS.get(cond.operator, cond.operator)} {_answer(cond, question)}"


def _answer(cond: EnableWhen, question: Item | None) -> str:
    value: Any = cond.answer
    if isinstance(value, dict):
        code = str(value.get("code") or "")
        option = question.option(code) if question is not None and code else None
        value = option.display if option is not None else (value.get("display") or code)
    if isinstance(value, bool):
        value = "ja" if value else "nei"
    return f"«{value}»"
