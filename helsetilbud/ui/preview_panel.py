"""The patient preview beside the editor: which GP's patients, which page, drafts included."""

from __future__ import annotations

import dataclasses

import ipywidgets as w

from helsetilbud.catalog import CATALOG
from helsetilbud.patient_view import patient_view
from helsetilbud.preview import PAGE_TITLES, PAGE_TRIAGE_SERVICE, render_fragment
from helsetilbud.snapshot import OfficeSnapshot, ToolRef
from helsetilbud.ui.common import (
    OfficeModel,
    esc,
    hbox,
    html,
    now_utc,
    shared_description_style,
    shared_layout,
    vbox,
)

AREA_PAGE = {"helsekontakt": "forside"}
TOOL_DRAFT = "Viser verktøyet du har valgt – det er ikke lagret ennå."
TEXT_DRAFT = "Viser teksten du skriver – den er ikke lagret ennå."


def service_page(service: str) -> str:
    """The patient page a triage service's form stands in front of (the catalogue says)."""
    return CATALOG.triage_service(service).patient_service


def with_tool(snapshot: OfficeSnapshot, service: str, tool: ToolRef | None) -> OfficeSnapshot:
    """The snapshot as if `tool` were saved for `service` (nothing is written).

    The page shows the tool of its own triage service (timebestilling: the consultation's), so
    a choice for another timebestilling service is shown in that place as well.
    """
    shown = PAGE_TRIAGE_SERVICE[service_page(service)]
    return dataclasses.replace(snapshot, tools={**snapshot.tools, service: tool, shown: tool})


class PreviewPanel(w.VBox):
    """What a patient of the chosen GP sees now, with the texts being typed (not yet saved)."""

    def __init__(self, model: OfficeModel) -> None:
        super().__init__(layout=w.Layout(width="100%"))
        self.model = model
        self.add_class("ht-preview-panel")
        gps = model.snapshot.gps
        default = model.own_hpr if any(g.hpr == model.own_hpr for g in gps) else None
        self.gp = w.Dropdown(
            options=[(f"Pasient hos {g.name}", g.hpr) for g in gps],
            value=default or (gps[0].hpr if gps else None),
            description="Vis som",
            layout=shared_layout(),
            style=shared_description_style(),
        )
        self.gp.add_class("ht-preview-gp")
        self.page = w.Dropdown(
            options=[(name, slug) for slug, name in PAGE_TITLES.items()],
            value="forside",
            description="Side",
            layout=shared_layout(),
            style=shared_description_style(),
        )
        self.page.add_class("ht-preview-page")
        # The line saying whether drafts are shown is a widget of its own, so that LAGRE, which
        # changes only that line, does not send and redraw the whole page again.
        self.state = html()
        self.html = html()
        frame = vbox([self.state, self.html])
        frame.add_class("ht-preview")
        self._last_focus: str | None = None
        self.children = [
            html("<b>Slik ser pasientene det</b> (oppdateres mens du skriver)"),
            hbox([self.gp, self.page]),
            frame,
        ]
        self.gp.observe(lambda _c: self.render(), names="value")
        self.page.observe(lambda _c: self.render(), names="value")
        model.on_change(self._follow, drafts=True)
        self.render()

    def _follow(self) -> None:
        choice = self.model.tool_choice
        focus = f"verktøy:{choice[0]}" if choice else self.model.focus_area
        if focus is None:
            self._last_focus = None
        elif focus != self._last_focus:
            self._last_focus = focus
            page = service_page(choice[0]) if choice else AREA_PAGE.get(focus, focus)
            if page in PAGE_TITLES and self.page.value != page:
                self.page.value = page  # renders through the observer
                return
        self.render()

    def render(self) -> None:
        snap = self.model.snapshot
        if not snap.gps:
            self.html.value = "<p>Kontoret har ingen fastleger å vise forhåndsvisning for.</p>"
            return
        drafts = dict(self.model.drafts)
        step, draft = "melding", TEXT_DRAFT if drafts else None
        choice = self.model.tool_choice
        if choice is not None and self.page.value == service_page(choice[0]):
            service, tool = choice
            step = "skjema"  # the patient meets the form first, or the message without one
            stored = snap.tools.get(service)
            if (tool.id if tool else None) != (stored.id if stored else None):
                draft = TOOL_DRAFT
            snap = with_tool(snap, service, tool)
        view = patient_view(snap, self.gp.value, now_utc(), drafts)
        self.state.value = (
            f'<div class="ht-preview-state ht-preview-draft" data-state="draft">{esc(draft)}</div>'
            if draft
            else '<div class="ht-preview-state" data-state="saved">Viser det som er lagret.</div>'
        )
        self.html.value = render_fragment(view, self.page.value, step=step, styled=False)

    @property
    def shown(self) -> str:
        """The preview as the page shows it: the draft-or-saved line, then the patient page."""
        return self.state.value + self.html.value
