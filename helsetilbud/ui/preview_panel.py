"""The patient preview beside the editor: which GP's patients, which page, drafts included."""

from __future__ import annotations

import threading

import ipywidgets as w

from helsetilbud.catalog import CATALOG
from helsetilbud.patient_view import PatientView, patient_view
from helsetilbud.ui.common import OfficeModel, esc, now_utc

PAGE_NAMES = {
    "forside": "Forsiden",
    "reseptfornyelse": "Reseptfornyelse",
    "e_konsultasjon": "E-konsultasjon",
    "kontakt_legekontoret": "Kontakt legekontoret",
    "timebestilling": "Timebestilling",
}
AREA_PAGE = {"helsekontakt": "forside"}


def _fallback_fragment(view: PatientView, page: str) -> str:
    """A plain rendering used only while `helsetilbud.preview` is not available."""
    gp = view.gp.name if view.gp else "ingen fastlege"
    if page == "forside":
        buttons = "".join(f"<li>{esc(b.label)}</li>" for b in view.buttons)
        own = view.texts.get("helsekontakt", "")
        box = f"<h4>Informasjon fra legekontoret</h4><p>{esc(own)}</p>" if own else ""
        return f"<h3>Hei</h3><p>Fastlegen din er {esc(gp)}</p><ul>{buttons}</ul>{box}"
    standard = view.office.standard_text(page) if page in CATALOG.area_slugs else ""
    own = view.texts.get(page, "")
    box = f"<h4>Informasjon fra fastlegekontoret</h4><p>{esc(own)}</p>" if own else ""
    return (
        f"<h3>{esc(PAGE_NAMES[page])}</h3><p>{esc(standard)}</p>{box}<p>Til Fastlege {esc(gp)}</p>"
    )


def render_page(view: PatientView, page: str) -> str:
    try:
        from helsetilbud.preview import render_fragment
    except ImportError:
        return _fallback_fragment(view, page)
    return render_fragment(view, page)


class PreviewPanel(w.VBox):
    """What a patient of the chosen GP sees now, with the texts being typed (not yet saved)."""

    def __init__(self, model: OfficeModel, *, background: bool = False) -> None:
        super().__init__(layout=w.Layout(width="100%"))
        self.model = model
        self.add_class("ht-preview-panel")
        gps = model.snapshot.gps
        default = model.own_hpr if any(g.hpr == model.own_hpr for g in gps) else None
        self.gp = w.Dropdown(
            options=[(f"Pasient hos {g.name}", g.hpr) for g in gps],
            value=default or (gps[0].hpr if gps else None),
            description="Vis som",
        )
        self.gp.add_class("ht-preview-gp")
        self.page = w.Dropdown(
            options=[(name, slug) for slug, name in PAGE_NAMES.items()],
            value="forside",
            description="Side",
        )
        self.page.add_class("ht-preview-page")
        self.html = w.HTML()
        self.html.add_class("ht-preview")
        self._last_focus: str | None = None
        self.children = [
            w.HTML("<b>Slik ser pasientene det</b> (oppdateres mens du skriver)"),
            w.HBox([self.gp, self.page]),
            self.html,
        ]
        self.gp.observe(lambda _c: self.render(), names="value")
        self.page.observe(lambda _c: self.render(), names="value")
        model.on_change(self._follow, drafts=True)
        self.ready = not background
        if background:
            self.html.value = "<p>Laster forhåndsvisningen …</p>"
            threading.Thread(target=self._load, daemon=True).start()
        else:
            self.render()

    def _load(self) -> None:
        """Import the renderer off the main thread, so the editor can be typed into sooner."""
        import helsetilbud.preview  # noqa: F401

        self.ready = True
        self.render()

    def _follow(self) -> None:
        focus = self.model.focus_area
        if focus is not None and focus != self._last_focus:
            self._last_focus = focus
            page = AREA_PAGE.get(focus, focus)
            if page in PAGE_NAMES and self.page.value != page:
                self.page.value = page  # renders through the observer
                return
        self.render()

    def render(self) -> None:
        if not self.ready:
            return
        snap = self.model.snapshot
        if not snap.gps:
            self.html.value = "<p>Kontoret har ingen fastleger å vise forhåndsvisning for.</p>"
            return
        drafts = dict(self.model.drafts)
        view = patient_view(snap, self.gp.value, now_utc(), drafts)
        state = (
            '<div class="ht-preview-state ht-preview-draft" data-state="draft">'
            "Viser teksten du skriver – den er ikke lagret ennå.</div>"
            if drafts
            else '<div class="ht-preview-state" data-state="saved">Viser det som er lagret.</div>'
        )
        self.html.value = state + render_page(view, self.page.value)
