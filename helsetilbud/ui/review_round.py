"""«Gå gjennom tekstene»: the office's texts with a hint, one by one, with LAGRE,
«Stemmer fortsatt» and «Hopp over»."""

from __future__ import annotations

import ipywidgets as w

from helsetilbud.catalog import CATALOG
from helsetilbud.errors import HelsetilbudError, StaleEdit
from helsetilbud.text_hints import office_hints
from helsetilbud.text_rules import normalise
from helsetilbud.ui.common import (
    OfficeModel,
    button,
    error_text,
    esc,
    hbox,
    html,
    html_box,
    shared_layout,
    shared_text_style,
    status_box,
)
from helsetilbud.ui.text_hints_view import HintList, confirm, confirmed_text

START_LABEL = "Gå gjennom tekstene"
NOTHING = "Ingen av tekstene har merknader nå. Det er ingenting å gå gjennom."


def areas_with_hints(model: OfficeModel) -> list[str]:
    """The areas whose stored text has at least one hint, in catalogue order."""
    snap = model.snapshot
    return [a.slug for a in CATALOG.info_areas if office_hints(snap, a.slug)]


class ReviewRound(w.VBox):
    """One text at a time: the standard text, the text with its hints, and three choices."""

    def __init__(self, model: OfficeModel) -> None:
        super().__init__(layout=shared_layout())
        self.model = model
        self.add_class("ht-review")
        self.areas: list[str] = []
        self.index = 0
        self.done: dict[str, str] = {}  # area -> "lagret" | "bekreftet" | "hoppet over"
        self.hints: HintList | None = None
        self.built = False
        self.start = button(START_LABEL, "ht-review-start")
        self.start.on_click(lambda _b: self.begin())
        self.children = [self.start] if model.can_edit else []

    def _build(self) -> None:
        """The round's own widgets, made when it is first started (none before)."""
        self.heading = html_box("", "ht-review-heading")
        self.text = w.Textarea(
            continuous_update=True,
            layout=w.Layout(width="100%", height="90px"),
            style=shared_text_style(),
        )
        self.text.add_class("ht-review-text")
        self.counter = html_box("", "ht-review-counter")
        self.save = button("LAGRE", "ht-review-save", primary=True)
        self.still = button("Stemmer fortsatt", "ht-review-confirm")
        self.skip = button("Hopp over", "ht-review-skip")
        self.stop = button("Avslutt gjennomgangen", "ht-review-stop")
        self.save.on_click(self._save)
        self.still.on_click(self._confirm)
        self.skip.on_click(lambda _b: self._next("hoppet over"))
        self.stop.on_click(lambda _b: self._finish())
        self.status = status_box("ht-review-status")
        self.text.observe(self._typed, names="value")
        self.built = True

    @property
    def area(self) -> str:
        return self.areas[self.index]

    def begin(self) -> None:
        """Start from the first text with a hint (the stored texts as they are now)."""
        if not self.built:
            self._build()
        self.areas, self.index, self.done = areas_with_hints(self.model), 0, {}
        self.status.value = ""
        if not self.areas:
            self.children = [self.start, html_box(esc(NOTHING), "ht-review-nothing")]
            return
        self._show()

    def _show(self) -> None:
        area = CATALOG.area(self.area)
        snap = self.model.snapshot
        self.hints = HintList(self.model, self.area, "ht-review-hints")
        standard = snap.standard_text(self.area) or "Ingen"
        when = confirmed_text(self.model, self.area)
        self.heading.value = (
            f"<h3>Tekst {self.index + 1} av {len(self.areas)}: {esc(area.name)}</h3>"
            f'<div class="ht-label">Standardtekst</div><div class="ht-standard">{esc(standard)}'
            f"</div>" + (f'<div class="ht-muted">{esc(when)}</div>' if when else "")
        )
        self.text.description = f"Tilleggsinformasjon – {area.name}"
        self.text.style = {"description_width": "initial"}
        self.text.value = snap.texts.get(self.area, "")
        self._typed({"new": self.text.value})
        self.children = [
            self.heading,
            self.text,
            self.counter,
            self.hints,
            hbox([self.save, self.still, self.skip, self.stop]),
            self.status,
        ]

    def _typed(self, change: dict) -> None:
        if not self.areas or self.hints is None:
            return
        text, limit = change["new"], CATALOG.area(self.area).limit
        length = len(normalise(text))
        self.counter.value = f"{length}/{limit}"
        self.hints.show(text)
        changed = text != self.model.snapshot.texts.get(self.area, "")
        self.save.disabled = not changed or length > limit
        self.still.disabled = changed

    def _save(self, _b: object = None) -> None:
        from helsetilbud import editing

        version = self.model.snapshot.text_versions.get(self.area, 0)
        try:
            self.model.run(
                editing.set_info_text, self.model.her_id, self.area, self.text.value, version
            )
        except StaleEdit as exc:
            self.model.refresh()
            self.status.value = error_text(exc.message)
            return
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self._next("lagret")

    def _confirm(self, _b: object = None) -> None:
        version = self.model.snapshot.text_versions.get(self.area, 0)
        result = confirm(self.model, self.area, version)
        if "ht-error" in result:
            self.status.value = result
            return
        self._next("bekreftet")

    def _next(self, outcome: str) -> None:
        self.done[self.area] = outcome
        self.status.value = ""
        if self.index + 1 < len(self.areas):
            self.index += 1
            self._show()
        else:
            self._finish()

    def _finish(self) -> None:
        counts = {k: sum(1 for v in self.done.values() if v == k) for k in ("lagret", "bekreftet")}
        skipped = len(self.areas) - counts["lagret"] - counts["bekreftet"]
        summary = (
            f"Gjennomgangen er ferdig: {counts['lagret']} lagret, {counts['bekreftet']} "
            f"bekreftet, {skipped} hoppet over."
        )
        self.hints = None
        self.children = [self.start, html(f'<p class="ht-ok" role="status">{esc(summary)}</p>')]
