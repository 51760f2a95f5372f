"""What `helsetilbud form check` shows for a Questionnaire, as lines the CLI and the UI share."""

from __future__ import annotations

from helsetilbud.forms import Questionnaire, format_value


def questionnaire_lines(q: Questionnaire) -> list[str]:
    """What `form check` prints for one Questionnaire: its items, then its warnings."""
    version = f", versjon {q.version}" if q.version else ""
    lines = [f"Skjema: {q.title} (id {q.id or 'mangler'}{version})", "Elementer:"]
    for item, depth in q.walk():
        marks = "".join(
            mark
            for flag, mark in (
                (item.required, " *"),
                (item.repeats, " [flere]"),
                (item.hidden, " [skjult]"),
            )
            if flag
        )
        conditional = " [betinget]" if item.enable_when else ""
        if item.initial:
            shown = ", ".join(format_value(v) for v in item.initial)
            conditional += f" [forhåndsutfylt: {shown}]"
        lines.append(
            f"{'  ' * (depth + 1)}{item.link_id} ({item.type}){marks}{conditional} {item.text}"
        )
    if q.warnings:
        lines.append(f"Advarsler ({len(q.warnings)}):")
        lines += [f"  - {warning}" for warning in q.warnings]
    else:
        lines.append("Ingen advarsler.")
    return lines
