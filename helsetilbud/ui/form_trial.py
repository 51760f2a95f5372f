"""«Prøv skjemaet»: the form as a patient meets it, a widget form and the engine's verdict."""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as w

from helsetilbud.forms import (
    Item,
    evaluate_answers,
    format_value,
    parse_questionnaire,
    render_pdf,
)
from helsetilbud.ui.common import button, error_text, esc

NUMBER_HINTS = {
    "integer": "Heltall",
    "decimal": "Tall",
    "date": "dd.mm.åååå",
    "dateTime": "dd.mm.åååå tt:mm",
    "time": "tt:mm",
}


def _rendered(questionnaire: dict[str, Any]) -> str:
    try:
        from helsetilbud.preview import render_form
    except ImportError:
        return ""
    return render_form(questionnaire)


def _label(item: Item) -> str:
    text = item.text or item.link_id
    if item.unit_text:
        text += f" ({item.unit_text})"
    return text + (" (må fylles ut)" if item.required else "")


def _input(item: Item) -> w.Widget:
    """The control with the question as its label (<label for=…>, read by screen readers)."""
    common: dict[str, Any] = {
        "description": _label(item),
        "style": {"description_width": "initial"},
        "layout": w.Layout(width="95%", flex_flow="column", align_items="stretch"),
    }
    if item.type == "text":
        return w.Textarea(**common)
    if item.type == "boolean":
        options = [("Ikke besvart", ""), ("Ja", "ja"), ("Nei", "nei")]
        return w.Dropdown(options=options, value="", **common)
    if item.type in ("choice", "open-choice") and item.options:
        options = [(o.display, o.code) for o in item.options]
        if item.allows_many:
            return w.SelectMultiple(options=options, **common)
        return w.Dropdown(options=[("Velg …", ""), *options], value="", **common)
    hint = NUMBER_HINTS.get(item.type, "")
    if item.unit_text:
        hint = f"Tall i {item.unit_text}"
    return w.Text(placeholder=hint, **common)


def _initial(item: Item, field: w.Widget) -> None:
    values = list(item.initial)
    if not values:
        return
    if isinstance(field, w.SelectMultiple):
        codes = {str(getattr(v, "code", v)) for v in values}
        field.value = tuple(c for _, c in field.options if c in codes)
    elif isinstance(field, w.Dropdown):
        first = values[0]
        code = ("ja" if first else "nei") if isinstance(first, bool) else str(first)
        if code in [c for _, c in field.options]:
            field.value = code
    else:
        field.value = format_value(values[0])


class FormTrial(w.VBox):
    """Fill in a triage tool's form to see its errors and the PDF the office would receive."""

    def __init__(self, questionnaire: dict[str, Any]) -> None:
        super().__init__()
        self.add_class("ht-form-trial")
        self.questionnaire = parse_questionnaire(questionnaire)
        self.inputs: dict[str, w.Widget] = {}
        self.errors: dict[str, w.HTML] = {}
        self.rows: dict[str, w.VBox] = {}
        rows: list[w.Widget] = []
        for item, depth in self.questionnaire.walk():
            if item.hidden:
                continue
            indent = f"{depth * 16}px"
            if not item.is_question:
                if item.text:
                    tag = "b" if item.type == "group" else "span"
                    head = w.HTML(f"<{tag}>{esc(item.text)}</{tag}>")
                    self.rows[item.link_id] = w.VBox(
                        [head], layout=w.Layout(margin=f"0 0 0 {indent}")
                    )
                    rows.append(self.rows[item.link_id])
                continue
            field = _input(item)
            field.add_class(f"ht-form-input-{item.link_id}")
            field.disabled = item.read_only
            _initial(item, field)
            field.observe(lambda _c: self._enable(), names="value")
            error = w.HTML()
            error.add_class(f"ht-form-error-{item.link_id}")
            row = w.VBox([field, error], layout=w.Layout(margin=f"0 0 0 {indent}"))
            self.inputs[item.link_id], self.errors[item.link_id] = field, error
            self.rows[item.link_id] = row
            rows.append(row)
        self.check = button("Kontroller svarene", "ht-form-check", primary=True)
        self.check.on_click(self._check)
        self.summary = w.HTML()
        self.summary.add_class("ht-form-summary")
        self.notes = w.HTML()
        self.notes.add_class("ht-form-notes")
        warnings = "".join(f"<li>{esc(x)}</li>" for x in self.questionnaire.warnings)
        self.warnings = w.HTML(
            "<p><b>Dette kan prøven ikke følge eller kontrollere:</b></p><ul>" + warnings + "</ul>"
            if warnings
            else ""
        )
        self.warnings.add_class("ht-form-warnings")
        self.pdf = w.HTML()
        self.pdf.add_class("ht-form-pdf")
        rendered = _rendered(questionnaire)
        preview = w.HTML(rendered)
        preview.add_class("ht-form-preview")
        acc = w.Accordion(children=[preview], selected_index=None)
        acc.set_title(0, "Skjemaet slik pasienten ser det")
        self.children = [
            w.HTML(f"<h4>Prøv skjemaet: {esc(self.questionnaire.title)}</h4>"),
            *([acc] if rendered else []),
            self.warnings,
            *rows,
            self.check,
            self.summary,
            self.notes,
            self.pdf,
        ]
        self._enable()

    def raw_answers(self) -> dict[str, Any]:
        """linkId -> the typed answer; a cleared prefilled field is sent as None (no answer)."""
        raw: dict[str, Any] = {}
        for link_id, field in self.inputs.items():
            item = self.questionnaire.item(link_id)
            if item is None or item.read_only:
                continue
            value = field.value
            if isinstance(value, tuple):
                value = list(value)
            if value in ("", [], None):
                if item.initial or item.initial_expression:
                    raw[link_id] = None
                continue
            raw[link_id] = value
        return raw

    def _enable(self) -> None:
        form = evaluate_answers(self.questionnaire, self.raw_answers())
        for link_id, row in self.rows.items():
            row.layout.display = None if link_id in form.enabled else "none"
        for link_id, field in self.inputs.items():
            item = self.questionnaire.item(link_id)
            if item is not None and item.read_only and isinstance(field, w.Text):
                values = form.answers.get(link_id) or []
                field.value = ", ".join(format_value(v) for v in values)
        self.notes.value = "".join(
            f'<p class="ht-form-note">Merknad: {esc(note)}</p>' for note in form.notes
        )

    def _check(self, _b: object = None) -> None:
        form = evaluate_answers(self.questionnaire, self.raw_answers())
        for error in self.errors.values():
            error.value = ""
        for problem in form.problems:
            if problem.link_id in self.errors:
                self.errors[problem.link_id].value = error_text(problem.message)
        if form.problems:
            n = len(form.problems)
            self.summary.value = error_text(
                f"Skjemaet har {n} feil. Pasienten må rette {'den' if n == 1 else 'dem'} "
                "før henvendelsen kan sendes."
            )
            self.pdf.value = ""
            return
        doc = render_pdf(form)
        data = base64.b64encode(doc.content).decode("ascii")
        self.summary.value = '<span class="ht-ok">Svarene er gyldige.</span>'
        self.pdf.value = (
            f'<a download="{esc(doc.file_name)}" href="data:application/pdf;base64,{data}">'
            f"Last ned PDF-en kontoret mottar ({esc(doc.file_name)})</a>"
        )
        self.document = doc
