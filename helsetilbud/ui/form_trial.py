"""«Prøv skjemaet»: the form as a patient meets it, a widget form and the engine's verdict."""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as w

from helsetilbud.forms import (
    Attachment,
    FilledForm,
    Item,
    evaluate_answers,
    format_value,
    parse_questionnaire,
    render_pdf,
)
from helsetilbud.forms.items import format_size
from helsetilbud.forms.values import type_name
from helsetilbud.ui.common import button, error_text, esc

Path = tuple[tuple[str, int], ...]
Key = tuple[Path, str]

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
    return render_form(questionnaire, styled=False)


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
    if item.type == "attachment":
        return _file_input(item)
    hint = NUMBER_HINTS.get(item.type, "")
    if item.unit_text:
        hint = f"Tall i {item.unit_text}"
    return w.Text(placeholder=hint, **common)


def _file_input(item: Item) -> w.FileUpload:
    """A file button named by the question, with the types and size the form accepts."""
    rules = []
    if item.mime_types:
        rules.append("filtyper: " + ", ".join(type_name(t) for t in item.mime_types))
    if item.max_size is not None:
        rules.append(f"høyst {format_size(item.max_size)}")
    described = _label(item) + (f" ({'; '.join(rules)})" if rules else "") + " – velg fil"
    field = w.FileUpload(
        description=described,
        accept=",".join(item.mime_types),
        multiple=item.repeats,
        layout=w.Layout(width="auto"),
    )
    return field


def _file_value(value: Any) -> list[Attachment]:
    """The uploaded files as Attachments (ipywidgets gives name, type, size, content)."""
    return [
        Attachment(str(f["name"]), str(f.get("type") or ""), int(f["size"]), bytes(f["content"]))
        for f in value or ()
    ]


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
    """Fill in a triage tool's form to see its errors and the PDF the office would receive.

    A repeating group shows one instance with «Legg til» (up to maxOccurs) and, when there
    are several, «Fjern» on each; every field is keyed by its instance path and linkId.
    """

    def __init__(self, questionnaire: dict[str, Any]) -> None:
        super().__init__()
        self.add_class("ht-form-trial")
        self.questionnaire = parse_questionnaire(questionnaire)
        self.counts: dict[Key, int] = {}
        self._busy = False
        self.fields: dict[Key, w.Widget] = {}
        self.field_errors: dict[Key, w.HTML] = {}
        self.field_rows: dict[Key, w.Box] = {}
        self.body = w.VBox()
        self._build()
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
            self.body,
            self.check,
            self.summary,
            self.notes,
            self.pdf,
        ]
        self._enable()

    @property
    def inputs(self) -> dict[str, w.Widget]:
        """The fields outside repeating groups, by linkId."""
        return {lid: f for (path, lid), f in self.fields.items() if not path}

    @property
    def errors(self) -> dict[str, w.HTML]:
        """The error lines outside repeating groups, by linkId."""
        return {lid: e for (path, lid), e in self.field_errors.items() if not path}

    def instance_fields(self, group: str) -> list[dict[str, w.Widget]]:
        """The fields of each instance of a top-level repeating group, by linkId."""
        found: list[dict[str, w.Widget]] = []
        for (path, lid), field in self.fields.items():
            if path and path[0][0] == group:
                while len(found) <= path[0][1]:
                    found.append({})
                found[path[0][1]][lid] = field
        return found

    def _build(self) -> None:
        self.fields, self.field_errors, self.field_rows = {}, {}, {}
        self.body.children = self._rows(self.questionnaire.items, 0, ())

    def _rows(self, items: list[Item], depth: int, path: Path) -> list[w.Widget]:
        rows: list[w.Widget] = []
        margin = w.Layout(margin=f"0 0 0 {depth * 16}px")
        for item in items:
            if item.hidden:
                continue
            key = (path, item.link_id)
            if item.is_repeating_group:
                rows.append(self._repeat(item, depth, path))
                continue
            if not item.is_question:
                if item.text:
                    tag = "b" if item.type == "group" else "span"
                    head = w.HTML(f"<{tag}>{esc(item.text)}</{tag}>")
                    self.field_rows[key] = w.VBox([head], layout=margin)
                    rows.append(self.field_rows[key])
                rows += self._rows(item.items, depth + 1, path)
                continue
            field = _input(item)
            field.add_class(f"ht-form-input-{item.link_id}")
            field.disabled = item.read_only
            _initial(item, field)
            field.observe(lambda _c: self._enable(), names="value")
            error = w.HTML()
            error.add_class(f"ht-form-error-{item.link_id}")
            self.fields[key], self.field_errors[key] = field, error
            self.field_rows[key] = w.VBox([field, error], layout=margin)
            rows.append(self.field_rows[key])
            rows += self._rows(item.items, depth + 1, path)
        return rows

    def _repeat(self, item: Item, depth: int, path: Path) -> w.VBox:
        key = (path, item.link_id)
        count = self.counts.setdefault(key, 1)
        name = item.text or item.link_id
        boxes: list[w.Widget] = []
        for index in range(count):
            inner: Path = (*path, (item.link_id, index))
            head = w.HTML(f"<b>{esc(name)} ({index + 1})</b>")
            parts = [head, *self._rows(item.items, depth + 1, inner)]
            if count > 1:
                remove = button("Fjern", f"ht-form-remove-{item.link_id}")
                remove.tooltip = f"Fjern {name} ({index + 1})"
                remove.on_click(lambda _b, i=index: self._resize(key, remove_at=i))
                parts.append(remove)
            box = w.VBox(parts, layout=w.Layout(margin=f"0 0 8px {depth * 16}px"))
            box.add_class(f"ht-form-instance-{item.link_id}")
            boxes.append(box)
        add = button(item.repeats_text or "Legg til", f"ht-form-add-{item.link_id}")
        add.tooltip = f"Legg til {name}"
        add.disabled = item.max_occurs is not None and count >= item.max_occurs
        add.on_click(lambda _b: self._resize(key))
        error = w.HTML()
        error.add_class(f"ht-form-error-{item.link_id}")
        self.field_errors[key] = error
        self.field_rows[key] = w.VBox([*boxes, add, error])
        self.field_rows[key].add_class(f"ht-form-repeat-{item.link_id}")
        return self.field_rows[key]

    def _resize(self, key: Key, remove_at: int | None = None) -> None:
        """Add an instance at the end, or remove one; the other instances keep their values."""
        values = {k: f.value for k, f in self.fields.items()}
        path, group = key
        depth = len(path)
        if remove_at is not None:
            moved = {}
            for (p, lid), value in values.items():
                if len(p) > depth and p[:depth] == path and p[depth][0] == group:
                    index = p[depth][1]
                    if index == remove_at:
                        continue
                    if index > remove_at:
                        p = (*p[:depth], (group, index - 1), *p[depth + 1 :])
                moved[(p, lid)] = value
            values = moved
            self.counts[key] -= 1
        else:
            self.counts[key] += 1
        self._build()
        self._busy = True
        try:
            for k, value in values.items():
                if k in self.fields:
                    self.fields[k].value = value
        finally:
            self._busy = False
        self._enable()

    def raw_answers(self) -> dict[str, Any]:
        """linkId -> the typed answer; a repeating group is a list of one object per instance.

        A cleared prefilled field is sent as None (no answer).
        """
        return self._raw(self.questionnaire.items, ())

    def _raw(self, items: list[Item], path: Path) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for item in items:
            if item.is_repeating_group:
                count = self.counts.get((path, item.link_id), 1)
                raw[item.link_id] = [
                    self._raw(item.items, (*path, (item.link_id, i))) for i in range(count)
                ]
                continue
            field = self.fields.get((path, item.link_id))
            if field is not None and not item.read_only:
                value = field.value
                if isinstance(field, w.FileUpload):
                    value = _file_value(value)
                elif isinstance(value, tuple):
                    value = list(value)
                if value in ("", [], None):
                    if item.initial or item.initial_expression:
                        raw[item.link_id] = None
                else:
                    raw[item.link_id] = value
            raw.update(self._raw(item.items, path))
        return raw

    def _form_at(self, form: FilledForm, path: Path) -> FilledForm | None:
        for group, index in path:
            forms = form.instances.get(group, [])
            if index >= len(forms):
                return None
            form = forms[index]
        return form

    def _enable(self) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            self._show(evaluate_answers(self.questionnaire, self.raw_answers()))
        finally:
            self._busy = False

    def _show(self, form: FilledForm) -> None:
        for (path, link_id), row in self.field_rows.items():
            scope = self._form_at(form, path)
            row.layout.display = None if scope and link_id in scope.enabled else "none"
        for (path, link_id), field in self.fields.items():
            item = self.questionnaire.item(link_id)
            scope = self._form_at(form, path)
            if item is not None and item.read_only and isinstance(field, w.Text) and scope:
                values = scope.answers.get(link_id) or []
                field.value = ", ".join(format_value(v) for v in values)
            options = scope.options.get(link_id) if scope else None
            if options is not None and isinstance(field, w.Dropdown | w.SelectMultiple):
                _set_options(field, options)
        self.notes.value = "".join(
            f'<p class="ht-form-note">Merknad: {esc(note)}</p>' for note in form.notes
        )

    def _chain(self, link_id: str) -> list[str]:
        """The repeating groups around an item, outermost first."""

        def find(items: list[Item], above: list[str]) -> list[str] | None:
            for item in items:
                if item.link_id == link_id:
                    return above
                inner = [*above, item.link_id] if item.is_repeating_group else above
                found = find(item.items, inner)
                if found is not None:
                    return found
            return None

        return find(self.questionnaire.items, []) or []

    def _check(self, _b: object = None) -> None:
        form = evaluate_answers(self.questionnaire, self.raw_answers())
        for error in self.field_errors.values():
            error.value = ""
        for problem in form.problems:
            path: Path = tuple(zip(self._chain(problem.link_id), problem.instance, strict=False))
            error = self.field_errors.get((path, problem.link_id))
            if error is not None:
                error.value = error_text(problem.message)
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


def _set_options(field: w.Widget, options: tuple[Any, ...]) -> None:
    """Options computed by answerExpression; a choice no longer offered is cleared."""
    pairs = [(o.display, o.code) for o in options]
    if isinstance(field, w.Dropdown):
        pairs = [("Velg …", ""), *pairs]
    if list(field.options) == pairs:
        return
    codes = {c for _, c in pairs}
    value = field.value
    field.options = pairs
    if isinstance(field, w.SelectMultiple):
        field.value = tuple(v for v in value if v in codes)
    else:
        field.value = value if value in codes else ""
