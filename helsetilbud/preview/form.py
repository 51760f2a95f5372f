"""A triage form as Helsenorge shows it to a patient, rendered from the form engine's items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helsetilbud.forms import (
    EnableWhen,
    Item,
    Questionnaire,
    QuestionnaireError,
    enabled_items,
    format_value,
    parse_questionnaire,
)
from helsetilbud.forms.computed import Computation
from helsetilbud.forms.items import format_size
from helsetilbud.forms.values import type_name
from helsetilbud.preview.markup import ICONS, Ids, attrs, esc, lines, tag

FORM_HELP = (
    "Klikk på ? hvis du har spørsmål eller ønsker å fylle ut på vegne av andre enn deg selv. "
    "Her finner du informasjon om hvor du kan henvende deg og hvordan opplysningene du oppgir "
    "vil bli behandlet."
)
# What the patient's answers go on to, per triage service ("... tas med videre til X").
ANSWERS_GO_TO = {
    "e_konsultasjon": "e-konsultasjonen",
    "e_kontakt": "meldingen til legekontoret",
    "reseptfornyelse": "reseptfornyelsen",
}
OPERATOR_TEXT = {
    "=": "er",
    "!=": "ikke er",
    ">": "er over",
    "<": "er under",
    ">=": "er minst",
    "<=": "er høyst",
}


def form_intro(triage_service: str | None) -> str:
    """The lines above the questions, as in the seed's "med skjema" screen."""
    if triage_service is None:
        return ""
    target = ANSWERS_GO_TO.get(triage_service, "timebestillingen")
    return (
        "Her får du hjelp til å beskrive situasjonen din. Svarene dine tas med videre til "
        f"{target}, der du kan legge til mer informasjon og endre beskrivelsen."
    )


def parse(questionnaire: Mapping[str, Any]) -> Questionnaire:
    """The engine's parse of a Questionnaire dict (raises QuestionnaireError)."""
    return parse_questionnaire(questionnaire)


def form_html(
    questionnaire: Questionnaire,
    *,
    triage_service: str | None = None,
    heading_level: int = 1,
    id_prefix: str = "hn-q",
) -> str:
    """The whole form: title with "?", intro, every item, buttons Neste and Avbryt.

    `id_prefix` keeps element ids apart when two forms share one page (the dashboard's
    preview and «Prøv skjemaet»), so each label names its own field."""
    writer = _FormWriter(questionnaire, id_prefix)
    title = tag(
        f"h{heading_level}",
        f"{esc(questionnaire.title)} {ICONS['help']}",
        class_="hn-form__title",
        data_testid="form-title",
    )
    intro = [tag("p", esc(FORM_HELP), class_="hn-form__intro", data_testid="form-intro")]
    description = str(questionnaire.source.get("description") or "").strip()
    if description:
        intro.append(tag("p", lines(description), class_="hn-form__intro"))
    elif triage_service:
        intro.append(tag("p", esc(form_intro(triage_service)), class_="hn-form__intro"))
    body = "".join(writer.item(item, 0) for item in questionnaire.items)
    actions = tag(
        "div",
        tag(
            "button",
            "Neste",
            type="button",
            class_="hn-button hn-button--primary",
            data_testid="action-next",
        )
        + tag(
            "button",
            "Avbryt",
            type="button",
            class_="hn-button hn-button--borderless",
            data_testid="action-cancel",
        ),
        class_="hn-actions",
    )
    return tag(
        "form",
        title + "".join(intro) + body + actions,
        class_="hn-form",
        action="#",
        data_testid="form",
        data_questionnaire=questionnaire.id or "",
    )


def form_error_html(error: QuestionnaireError) -> str:
    return tag(
        "div",
        tag("p", "Skjemaet kan ikke vises: " + esc(error.message)),
        class_="hn-error",
        data_testid="form-error",
        role="alert",
    )


class _FormWriter:
    def __init__(self, questionnaire: Questionnaire, id_prefix: str = "hn-q") -> None:
        self.q = questionnaire
        self.ids = Ids(id_prefix)
        self.enabled = enabled_items(questionnaire, {})
        self.computed = Computation(questionnaire).answer_options({})

    def options(self, item: Item) -> tuple[Any, ...]:
        """The item's options; those of an answerExpression as it gives them with no answers."""
        return self.computed.get(item.link_id, item.options)

    def item(self, item: Item, depth: int) -> str:
        if item.hidden:
            return ""
        if item.type == "group":
            html = self.group(item, depth)
        elif item.type == "display":
            html = self.display(item)
        elif item.is_question:
            html = self.question(item)
        else:
            html = tag(
                "p",
                f"Elementtypen «{esc(item.type)}» vises ikke i forhåndsvisningen "
                f"({esc(item.text or item.link_id)}).",
                class_="hn-unsupported",
                data_testid="item-unsupported",
            )
        if item.enable_when and item.link_id not in self.enabled:
            note = tag("p", esc(self.condition_text(item)), class_="hn-conditional__note")
            html = tag("div", note + html, class_="hn-conditional", data_testid="item-conditional")
        return html

    def condition_text(self, item: Item) -> str:
        parts = [self.one_condition(c) for c in item.enable_when]
        joiner = " og " if item.enable_behavior == "all" else " eller "
        return "Vises bare når " + joiner.join(parts) + "."

    def one_condition(self, cond: EnableWhen) -> str:
        target = self.q.item(cond.question)
        name = f"«{(target.text if target and target.text else cond.question)}»"
        if cond.operator == "exists":
            return f"{name} er besvart" if cond.answer else f"{name} ikke er besvart"
        value = cond.answer
        if target is not None and isinstance(value, dict):
            option = target.option(str(value.get("code")))
            value = option.display if option else value.get("display") or value.get("code")
        elif isinstance(value, dict):
            value = value.get("display") or value.get("code")
        operator = OPERATOR_TEXT.get(cond.operator, cond.operator)
        return f"svaret på {name} {operator} «{format_value(value)}»"

    def group(self, item: Item, depth: int) -> str:
        title = tag("legend", esc(item.text), class_="hn-group__title") if item.text else ""
        children = "".join(self.item(child, depth + 1) for child in item.items)
        if item.is_repeating_group:  # one instance, as refero shows it, and its add button
            children += tag(
                "button",
                f"+ {esc(item.repeats_text or 'Legg til')}",
                type="button",
                class_="hn-button hn-button--borderless hn-repeat",
                data_testid="repeat-button",
            )
        return tag(
            "fieldset",
            title + children,
            class_="hn-group",
            data_testid="item-group",
            data_link_id=item.link_id,
        )

    def display(self, item: Item) -> str:
        if item.item_control == "help":
            return tag(
                "details",
                tag("summary", "Hjelp") + tag("div", lines(item.text)),
                class_="hn-help",
                data_testid="item-help",
            )
        return tag(
            "p",
            lines(item.text),
            class_="hn-display",
            data_testid="item-display",
            data_link_id=item.link_id,
        )

    def question(self, item: Item) -> str:
        label = esc(item.text or item.link_id)
        if not item.required:
            label += " (valgfritt)"
        testid = f"item-{item.type}"
        if item.type in ("choice", "open-choice") and item.item_control != "drop-down":
            return self.choice(item, label, testid)
        field_id = self.ids.next()
        hints: list[str] = []
        control = self.control(item, field_id, hints)
        sub = "".join(tag("span", esc(h), class_="hn-sublabel") for h in hints)
        counter = ""
        if item.type in ("string", "text") and item.max_length:
            counter = tag("p", f"0/{item.max_length}", class_="hn-counter")
        helps = "".join(self.display(c) for c in item.items if c.type == "display")
        rest = "".join(self.item(c, 0) for c in item.items if c.type != "display")
        return tag(
            "div",
            tag("label", label, class_="hn-label", for_=field_id)
            + sub
            + helps
            + control
            + counter
            + rest,
            class_="hn-question hn-field",
            data_testid=testid,
            data_link_id=item.link_id,
        )

    def control(self, item: Item, field_id: str, hints: list[str]) -> str:
        common = {
            "id": field_id,
            "name": item.link_id,
            "required": item.required,
            "readonly": item.read_only,
        }
        kind = item.type
        if item.max_length and kind in ("string", "text"):
            hints.append(f"Maksimum {item.max_length} tegn")
        if kind == "text":
            return tag("textarea", "", class_="hn-textarea", maxlength=item.max_length, **common)
        if kind == "boolean":
            box = f'<input type="checkbox"{attrs(**common)}>'
            return tag("span", box + " Ja", class_="hn-option")
        if kind in ("integer", "decimal", "quantity"):
            if item.unit_text:
                hints.append(f"Oppgis i {item.unit_text}.")
            limits = [
                f"{name} {format_value(v)}"
                for name, v in (("minst", item.min_value), ("høyst", item.max_value))
                if v is not None
            ]
            if limits:
                hints.append("Tallet må være " + " og ".join(limits) + ".")
            step = "1" if kind == "integer" else "any"
            shown = {"value": _first(item), **common}
            unit = tag("span", esc(item.unit_text), class_="hn-unit") if item.unit_text else ""
            return (
                f'<input type="number" class="hn-input hn-input--short" step="{step}"'
                f"{attrs(min=_plain(item.min_value), max=_plain(item.max_value), **shown)}>" + unit
            )
        if kind == "date":
            hints.append("Dato skal ha format dd.mm.åååå.")
            return (
                f'<input type="text" class="hn-input hn-input--short" '
                f'placeholder="dd.mm.åååå"{attrs(**common)}>'
            )
        if kind == "dateTime":
            hints.append("Dato (dd.mm.åååå) og klokkeslett (tt:mm).")
            time_attrs = attrs(name=item.link_id + ".time", aria_label="Klokkeslett")
            return (
                f'<input type="text" class="hn-input hn-input--short" '
                f'placeholder="dd.mm.åååå"{attrs(**common)}>'
                f'<input type="text" class="hn-input hn-input--short" placeholder="tt:mm"'
                f"{time_attrs}>"
            )
        if kind == "time":
            hints.append("Klokkeslett skal ha format tt:mm.")
            return (
                f'<input type="text" class="hn-input hn-input--short" '
                f'placeholder="tt:mm"{attrs(**common)}>'
            )
        if kind == "attachment":
            if item.mime_types:
                hints.append(
                    "Tillatte filtyper: " + ", ".join(map(type_name, item.mime_types)) + "."
                )
            if item.max_size is not None:
                hints.append(f"Filen kan være høyst {format_size(item.max_size)}.")
            accept = ",".join(item.mime_types) or None
            return f'<input type="file" class="hn-file"{attrs(accept=accept, **common)}>'
        if kind in ("choice", "open-choice"):  # drop-down
            options = tag("option", "Velg", value="") + "".join(
                tag("option", esc(o.display), value=o.code) for o in self.options(item)
            )
            return tag("select", options, class_="hn-select", **common)
        placeholder = item.validation_text if item.regex else None
        shown = {"value": _first(item), **common}
        return (
            f'<input type="text" class="hn-input"'
            f"{attrs(maxlength=item.max_length, placeholder=placeholder, **shown)}>"
        )

    def choice(self, item: Item, label: str, testid: str) -> str:
        many = item.allows_many
        kind = "checkbox" if many else "radio"
        chosen = {str(v) for v in item.initial}
        hint = tag("span", "Velg en eller flere", class_="hn-sublabel") if many else ""
        options = "".join(
            tag(
                "label",
                f'<input type="{kind}"'
                + attrs(name=item.link_id, value=o.code, checked=o.code in chosen)
                + ">"
                + tag("span", esc(o.display)),
                class_="hn-option",
            )
            for o in self.options(item)
        )
        if item.type == "open-choice":
            other_id, other_name = self.ids.next(), item.link_id + ".annet"
            options += tag(
                "div",
                tag("label", "Annet", class_="hn-sublabel", for_=other_id)
                + f'<input type="text" class="hn-input"{attrs(id=other_id, name=other_name)}>',
                class_="hn-field",
            )
        if not self.options(item) and item.type == "choice":
            options = tag("p", "Ingen svaralternativer.", class_="hn-unsupported")
        helps = "".join(self.display(c) for c in item.items if c.type == "display")
        rest = "".join(self.item(c, 0) for c in item.items if c.type != "display")
        return tag(
            "fieldset",
            tag("legend", label) + hint + helps + options + rest,
            class_="hn-question",
            data_testid=testid,
            data_link_id=item.link_id,
            data_control=kind,
        )


def _first(item: Item) -> str | None:
    """The initial value shown in the field (pure HTML: the value attribute)."""
    return _plain(item.initial[0]) if item.initial else None


def _plain(value: Any) -> str | None:
    return None if value is None else str(value)
