"""TRIAGERINGSVERKTØY: the eight services with their tool, ENDRE, the choice and "Prøv skjemaet"."""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as w

from helsetilbud.catalog import CATALOG, TriageService
from helsetilbud.errors import HelsetilbudError, StaleEdit
from helsetilbud.snapshot import tool_ref
from helsetilbud.tool_catalog import allowed_tools
from helsetilbud.ui.common import OfficeModel, button, error_text, esc, html_box, status_box

INTRO = (
    "Nedenfor kan du tilpasse dialogen for pasienter som tar kontakt via Helsenorge. Du kan "
    "inkludere verktøy som innhenter relevante opplysninger og gir hjelp til å velge egnet "
    "kontaktform."
)
EXPLANATION = (
    "Hvis du velger et verktøy her, vil pasientene alltid ledes innom dette for å få veiledning "
    "og/eller svare på spørsmål før de fullfører henvendelsen."
)
NONE_CHOSEN = "Ingen valgt"
NONE = ""


class ToolChoice(w.VBox):
    """The choice screen for one service: the allowed tools with descriptions, or "Ingen valgt"."""

    def __init__(self, model: OfficeModel, service: TriageService, on_done: Any) -> None:
        super().__init__()
        self.model, self.service, self.on_done = model, service, on_done
        slug = service.slug
        self.add_class(f"ht-choice-{slug}")
        with model.factory() as session:
            self.tools = {t.id: t for t in allowed_tools(session, slug)}
        self.refs = {tool_id: tool_ref(t) for tool_id, t in self.tools.items()}
        current = model.snapshot.tools.get(slug)
        self.version = model.snapshot.tool_versions.get(slug, 0)
        kinds = sorted(
            {CATALOG.tool_kinds.get(t.kind, t.kind).lower() for t in self.tools.values()}
        )
        kind_text = " eller ".join(kinds) or "triagering"
        self.radio = w.RadioButtons(
            options=[(t.label, t.id) for t in self.tools.values()] + [(NONE_CHOSEN, NONE)],
            value=current.id if current is not None and current.id in self.tools else NONE,
            layout=w.Layout(width="auto"),
        )
        self.radio.add_class(f"ht-choice-radio-{slug}")
        descriptions = "".join(
            f"<li><b>{esc(t.label)}</b><br>{esc(t.description)}</li>" for t in self.tools.values()
        )
        back = button(
            "← TILBAKE TIL TRIAGERINGSVERKTØY", "ht-choice-back", layout=w.Layout(width="auto")
        )
        self.save = button("LAGRE", "ht-choice-save", primary=True)
        cancel = button("AVBRYT", "ht-choice-cancel")
        self.trial_button = button("Prøv skjemaet", "ht-choice-try")
        back.on_click(lambda _b: on_done())
        cancel.on_click(lambda _b: on_done())
        self.save.on_click(self._save)
        self.trial_button.on_click(self._try)
        self.status = status_box("ht-choice-status")
        self.trial = w.VBox()
        self.radio.observe(self._chosen, names="value")
        self.children = [
            back,
            w.HTML(f"<h3>{esc(service.name)}</h3>"),
            w.HTML(f"<b>Hvilket verktøy vil du bruke for {esc(kind_text)}?</b>"),
            self.radio,
            w.HTML(f'<ul class="ht-muted">{descriptions}</ul>' if descriptions else ""),
            w.HTML(f'<p class="ht-panel">{esc(EXPLANATION)}</p>'),
            w.HBox([self.save, cancel, self.trial_button]),
            self.status,
            self.trial,
        ]
        self._chosen()

    def _chosen(self, _c: object = None) -> None:
        self.trial_button.disabled = self.radio.value == NONE
        self.trial.children = []
        self.model.set_tool_choice(self.service.slug, self.refs.get(self.radio.value))

    def _save(self, _b: object = None) -> None:
        from helsetilbud import editing

        chosen = self.radio.value or None
        try:
            self.model.run(
                editing.set_tool, self.model.her_id, self.service.slug, chosen, self.version
            )
        except StaleEdit as exc:
            current = exc.current.value
            label = self.tools[current].label if current in self.tools else NONE_CHOSEN
            self.version = exc.current.version
            self.status.value = error_text(
                f"{exc.message} Lagret valg nå: {label}. Trykk LAGRE igjen for å skrive over."
            )
            return
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self.on_done()

    def _try(self, _b: object = None) -> None:
        from helsetilbud.ui.form_trial import FormTrial

        tool = self.tools.get(self.radio.value)
        if tool is None:
            return
        try:
            self.trial.children = [FormTrial(json.loads(tool.questionnaire))]
        except HelsetilbudError as exc:
            self.trial.children = [w.HTML(error_text(exc.message))]


class TriageTab(w.VBox):
    """The TRIAGERINGSVERKTØY tab: table of services, or the choice screen of one of them."""

    def __init__(self, model: OfficeModel) -> None:
        super().__init__()
        self.model = model
        self.add_class("ht-triage-tab")
        self.table = w.VBox()
        self.table.add_class("ht-triage-table")
        self.labels: dict[str, w.HTML] = {}
        self.choice: ToolChoice | None = None
        head = w.HBox(
            [
                w.HTML("Tjeneste", layout=w.Layout(width="30%")),
                w.HTML("Aktive verktøy/skjema", layout=w.Layout(width="50%")),
            ]
        )
        head.add_class("ht-table-head")
        rows: list[w.Widget] = [head]
        for service in CATALOG.triage_services:
            label = html_box("", f"ht-tool-{service.slug}", layout=w.Layout(width="50%"))
            self.labels[service.slug] = label
            items: list[w.Widget] = [
                w.HTML(esc(service.name), layout=w.Layout(width="30%")),
                label,
            ]
            if model.can_edit:
                change = button("ENDRE", f"ht-change-{service.slug}")
                change.on_click(lambda _b, s=service: self.open_service(s.slug))
                items.append(change)
            row = w.HBox(items)
            row.add_class("ht-row")
            rows.append(row)
        self.table.children = rows
        self.intro = w.HTML(f"<p>{esc(INTRO)}</p>")
        model.on_change(self.render)
        self.render()
        self.show_table()

    def render(self) -> None:
        tools = self.model.snapshot.tools
        for slug, label in self.labels.items():
            tool = tools.get(slug)
            label.value = esc(tool.label) if tool is not None else "Ingen"

    def open_service(self, service: str) -> ToolChoice:
        self.choice = ToolChoice(self.model, CATALOG.triage_service(service), self.show_table)
        self.children = [self.choice]
        return self.choice

    def show_table(self) -> None:
        if self.choice is not None:
            self.model.set_tool_choice(None)
        self.choice = None
        self.children = [self.intro, self.table]
