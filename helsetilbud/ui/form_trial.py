"""«Prøv skjemaet»: the form as a patient meets it, a widget form and the engine's verdict."""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as w

from helsetilbud.forms import Item, evaluate_answers, parse_questionnaire, render_pdf
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


def _input(item: Item) -> w.Widget:
    layout = w.Layout(width="95%")
    if item.type == "text":
        return w.Textarea(layout=layout)
    if item.type == "boolean":
        return w.Dropdown(options=[("Ikke besvart", ""), ("Ja", "ja"), ("Nei", "nei")], value="")
    if item.type in ("choice", "open-choice") and item.options:
        options = [(o.display, o.code) for o in item.options]
        if item.allows_many:
            return w.SelectMultiple(options=options, layout=layout)
        return w.Dropdown(options=[("Velg …", ""), *options], value="")
    return w.Text(placeholder=NUMBER_HINTS.get(item.type, ""), layout=layout)


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
            field.observe(lambda _c: self._enable(), names="value")
            error = w.HTML()
            error.add_class(f"ht-form-error-{item.link_id}")
            label = esc(item.text or item.link_id) + (
                " <i>(må fylles ut)</i>" if item.required else ""
            )
            row = w.VBox([w.HTML(label), field, error], layout=w.Layout(margin=f"0 0 0 {indent}"))
            self.inputs[item.link_id], self.errors[item.link_id] = field, error
            self.rows[item.link_id] = row
            rows.append(row)
        self.check = button("Kontroller svarene", "ht-form-check", primary=True)
        self.check.on_click(self._check)
        self.summary = w.HTML()
        self.summary.add_class("ht-form-summary")
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
            *rows,
            self.check,
            self.summary,
            self.pdf,
        ]
        self._enable()

    def raw_answers(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for link_id, field in self.inputs.items():
            value = field.value
            if isinstance(value, tuple):
                value = list(value)
            if value in ("", [], None):
                continue
            raw[link_id] = value
        return raw

    def _enable(self) -> None:
        enabled = evaluate_answers(self.questionnaire, self.raw_answers()).enabled
        for link_id, row in self.rows.items():
            row.layout.display = None if link_id in enabled else "none"

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
