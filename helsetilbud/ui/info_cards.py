"""INFOMELDINGER: one card per info area, with counter, save, cancel, conflicts and schedules."""

from __future__ import annotations

import time as time_module
from datetime import date, datetime, time
from functools import cache

import ipywidgets as w

from helsetilbud.catalog import CATALOG, InfoArea
from helsetilbud.errors import HelsetilbudError, StaleEdit
from helsetilbud.oslo_time import OSLO
from helsetilbud.text_rules import normalise
from helsetilbud.ui.common import (
    OfficeModel,
    button,
    error_text,
    esc,
    hbox,
    html,
    html_box,
    message_of,
    oslo_time,
    shared_layout,
    shared_text_style,
    status_box,
    vbox,
)
from helsetilbud.ui.review_round import ReviewRound
from helsetilbud.ui.text_hints_view import CardHead, CardHints

STANDARD_LABEL = "Standardtekst som vises på Helsenorge (ikke redigerbar)"
OWN_LABEL = "Tilleggsinformasjon fra legekontoret"
SAVED = '<span class="ht-ok">Lagret. Pasientene ser nå den nye teksten.</span>'
CHANGED_AFTER_SAVE = (
    '<span class="ht-notice-inline">Teksten er endret etter at den ble lagret. '
    "Trykk LAGRE for å lagre endringen.</span>"
)
LATE_KEYSTROKES_S = 3.0  # a change this soon after a save is the browser catching up
INTRO = (
    "Nedenfor kan du tilpasse tekster som vises på Helsenorge. Forhåndsvisningen til høyre "
    "viser hvordan pasientene ser teksten mens du skriver, før du lagrer."
)


def own_label(area: InfoArea) -> str:
    """The name of an area's text box, read by screen readers and shown above the box."""
    return f"{OWN_LABEL} – {area.name}"


def _moment(day: date | None, clock: time | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, clock or time(0, 0), tzinfo=OSLO)


class ScheduledTexts(w.VBox):
    """The time-limited texts of one area: the list with "Fjern", and a form to add one."""

    def __init__(self, model: OfficeModel, area: InfoArea) -> None:
        super().__init__(layout=shared_layout())
        self.model, self.area = model, area
        self.add_class(f"ht-scheduled-{area.slug}")
        self.listing = w.VBox()
        labelled = {"style": {"description_width": "initial"}}
        self.text = w.Textarea(
            placeholder="F.eks. «Kontoret er stengt i romjulen.»",
            description=f"Planlagt tekst for {area.name.lower()} (vises bare i perioden)",
            **labelled,
        )
        self.text.add_class(f"ht-scheduled-text-{area.slug}")
        self.text.add_class(f"ht-field-scheduled-{area.slug}")
        self.from_day = w.DatePicker(description="Fra dato", **labelled)
        self.from_time = w.TimePicker(value=time(0, 0), description="klokken", **labelled)
        self.to_day = w.DatePicker(description="Til dato", **labelled)
        self.to_time = w.TimePicker(value=time(0, 0), description="klokken", **labelled)
        for field in (self.from_day, self.from_time, self.to_day, self.to_time):
            field.add_class("ht-labelled")
        self.add = button("Legg til planlagt tekst", f"ht-scheduled-add-{area.slug}")
        self.add.on_click(self._add)
        self.status = w.HTML()
        self.status.add_class("ht-live")
        self.status.add_class(f"ht-msg-scheduled-{area.slug}")
        editor = [
            self.text,
            w.HBox([self.from_day, self.from_time]),
            w.HBox([self.to_day, self.to_time]),
            self.add,
        ]
        self.children = [self.listing, *(editor if model.can_edit else []), self.status]
        self.render()

    def render(self) -> None:
        rows: list[w.Widget] = []
        for s in self.model.snapshot.scheduled:
            if s.area != self.area.slug:
                continue
            label = w.HTML(
                f"<b>{esc(oslo_time(s.starts_at))} – {esc(oslo_time(s.ends_at))}:</b> {esc(s.text)}"
            )
            items: list[w.Widget] = [label]
            if self.model.can_edit:
                remove = button("Fjern", f"ht-scheduled-remove-{s.id}")
                remove.on_click(lambda _b, sid=s.id: self._remove(sid))
                items.append(remove)
            rows.append(w.HBox(items))
        self.listing.children = rows

    def _add(self, _b: object = None) -> None:
        from helsetilbud import editing

        starts = _moment(self.from_day.value, self.from_time.value)
        ends = _moment(self.to_day.value, self.to_time.value)
        if starts is None or ends is None:
            self.status.value = error_text("Velg dato for både fra og til.")
            return
        try:
            self.model.run(
                editing.add_scheduled_text,
                self.model.her_id,
                self.area.slug,
                self.text.value,
                starts,
                ends,
            )
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self.text.value = ""
        self.status.value = '<span class="ht-ok">Planlagt tekst lagt til.</span>'

    def _remove(self, scheduled_id: int) -> None:
        from helsetilbud import editing

        try:
            self.model.run(editing.remove_scheduled_text, scheduled_id)
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self.status.value = '<span class="ht-ok">Planlagt tekst fjernet.</span>'


@cache
def _textarea_layout() -> w.Layout:
    """One Layout model for the five text boxes (never changed in place)."""
    return w.Layout(width="100%", height="90px")


class InfoCard(w.VBox):
    """One area: the fixed standard text, the office's text with counter, LAGRE and AVBRYT."""

    def __init__(self, model: OfficeModel, area: InfoArea) -> None:
        super().__init__(layout=shared_layout())
        self.model, self.area = model, area
        slug = area.slug
        self.add_class("ht-card")
        self.add_class(f"ht-card-{slug}")
        snap = model.snapshot
        self.saved_text = snap.texts.get(slug, "")
        self.version = snap.text_versions.get(slug, 0)
        self.textarea = w.Textarea(
            value=self.saved_text,
            description=own_label(area),
            continuous_update=True,
            disabled=not model.can_edit,
            layout=_textarea_layout(),
            style=shared_text_style(),
        )
        self.textarea.add_class(f"ht-text-{slug}")
        self.textarea.add_class(f"ht-field-{slug}")
        self.counter = html_box("", f"ht-counter-{slug}")
        for css in ("ht-counter", "ht-live-debounced", f"ht-msg-{slug}"):
            self.counter.add_class(css)
        self.status = status_box(f"ht-status-{slug}")
        self.status.add_class(f"ht-msg-{slug}")
        self.save = button("LAGRE", f"ht-save-{slug}", primary=True)
        self.save.add_class(f"ht-field-{slug}")
        self.cancel = button("AVBRYT", f"ht-cancel-{slug}")
        self.save.on_click(self._save)
        self.cancel.on_click(self._cancel)
        self._extra: w.VBox | None = None
        self._conflict: w.VBox | None = None
        self._my_draft: w.VBox | None = None
        self.pending: StaleEdit | None = None
        self._saved_at = -LATE_KEYSTROKES_S
        self.head = CardHead(area, snap.standard_text(slug) or "Ingen", STANDARD_LABEL)
        self.hints = CardHints(model, area, self.textarea, self.head, self.status)  # issue 16
        buttons: list[w.Widget] = (
            [self.save, self.cancel, self.hints.confirm] if model.can_edit else []
        )
        self._scheduled: ScheduledTexts | None = None
        self._toggle: w.Button | None = None
        if model.can_edit or any(s.area == slug for s in snap.scheduled):
            self._toggle = button("Planlagt tekst ▸", f"ht-scheduled-toggle-{slug}")
            self._toggle.on_click(lambda _b: self.scheduled)
            buttons.append(self._toggle)
        self._buttons = hbox(buttons)
        # One model per part a person tells apart: the fewer, the sooner the page is ready.
        self.children = [
            self.head,
            self.textarea,
            self.counter,
            self.hints.list,
            *([self._buttons] if buttons else []),
            self.status,
        ]
        self.textarea.observe(self._typed, names="value")
        model.on_change(self._from_model)
        self._update()

    @property
    def scheduled(self) -> ScheduledTexts:
        """The scheduled-text editor, built when first opened (at the card's end)."""
        if self._scheduled is None:
            self._scheduled = ScheduledTexts(self.model, self.area)
            self.children = [*self.children, self._scheduled]
            shown = [b for b in self._buttons.children if b is not self._toggle]
            self._buttons.children = shown  # the toggle has done its work
        return self._scheduled

    @property
    def extra(self) -> w.VBox:
        """Under the status: the conflict notice and the kept draft, built when needed."""
        if self._extra is None:
            self._extra = vbox()
            at = self.children.index(self.status) + 1
            self.children = [*self.children[:at], self._extra, *self.children[at:]]
        return self._extra

    @property
    def conflict(self) -> w.VBox:
        if self._conflict is None:
            self._conflict = w.VBox()
            self._conflict.add_class(f"ht-conflict-{self.area.slug}")
            self._conflict.add_class(f"ht-msg-{self.area.slug}")
            self.extra.children = [self._conflict, *self.extra.children]
        return self._conflict

    @property
    def my_draft(self) -> w.VBox:
        if self._my_draft is None:
            self._my_draft = w.VBox()
            self.extra.children = [*self.extra.children, self._my_draft]
        return self._my_draft

    @property
    def dirty(self) -> bool:
        return self.textarea.value != self.saved_text

    @property
    def length(self) -> int:
        return len(normalise(self.textarea.value))

    @property
    def over_limit(self) -> bool:
        return self.length > self.area.limit

    def _update(self) -> None:
        over = self.over_limit
        self.counter.value = f"{self.length}/{self.area.limit}" + (
            f" – teksten er for lang, fjern {self.length - self.area.limit} tegn" if over else ""
        )
        (self.counter.add_class if over else self.counter.remove_class)("ht-over")
        with self.save.hold_sync():  # one message for both
            self.save.disabled = over or not self.dirty
            self.save.tooltip = (
                f"Kan ikke lagre: teksten er for lang, fjern {self.length - self.area.limit} tegn."
                if over
                else "Ingen endringer å lagre."
                if not self.dirty
                else None
            )
        self.cancel.disabled = not self.dirty and self.pending is None
        (self.add_class if self.dirty else self.remove_class)("ht-editing")

    def _typed(self, change: dict) -> None:
        self._update()
        if self.status.value and self.pending is None:
            # The browser can send the last keystrokes after the click on LAGRE: say so
            # rather than let «Lagret» stand for a text that is not all saved.
            late = time_module.monotonic() - self._saved_at < LATE_KEYSTROKES_S
            just_saved = self.status.value == SAVED and late
            self.status.value = CHANGED_AFTER_SAVE if just_saved and self.dirty else ""
        self.model.set_draft(self.area.slug, change["new"] if self.dirty else None)

    def _from_model(self) -> None:
        snap = self.model.snapshot
        if self._scheduled is not None:
            self._scheduled.render()
        if self.dirty or self.pending is not None:
            return
        self.saved_text = snap.texts.get(self.area.slug, "")
        self.version = snap.text_versions.get(self.area.slug, 0)
        if self.textarea.value != self.saved_text:
            self.textarea.value = self.saved_text
        self._update()

    def _store(self, expected_version: int) -> None:
        from helsetilbud import editing

        mine = self.textarea.value
        try:
            self.model.run(
                editing.set_info_text,
                self.model.her_id,
                self.area.slug,
                mine,
                expected_version,
            )
        except StaleEdit as exc:
            self._show_conflict(exc)
            return
        except HelsetilbudError as exc:
            self.status.value = error_text(message_of(exc))
            return
        self._clear_conflict()
        snap = self.model.snapshot
        self.saved_text = snap.texts.get(self.area.slug, "")
        self.version = snap.text_versions.get(self.area.slug, 0)
        self.textarea.value = self.saved_text
        self.model.set_draft(self.area.slug, None)
        self.status.value = SAVED
        self._saved_at = time_module.monotonic()
        self._update()

    def _save(self, _b: object = None) -> None:
        if self.over_limit:
            return
        self._store(self.version)

    def _cancel(self, _b: object = None) -> None:
        self._clear_conflict()
        if self._my_draft is not None:
            self._my_draft.children = []
        self.textarea.value = self.saved_text
        self.status.value = ""
        self.model.set_draft(self.area.slug, None)
        self._update()

    def _show_conflict(self, exc: StaleEdit) -> None:
        self.pending = exc
        current = exc.current
        who = current.changed_by or "en annen"
        when = oslo_time(current.changed_at)
        theirs = str(current.value or "")
        keep = button("Behold deres tekst", f"ht-keep-theirs-{self.area.slug}")
        overwrite = button(
            "Skriv over med min tekst", f"ht-overwrite-{self.area.slug}", primary=True
        )
        keep.on_click(self._keep_theirs)
        overwrite.on_click(self._overwrite)
        notice = w.HTML(
            '<div class="ht-notice" role="alert"><b>Noen andre har lagret denne teksten mens du '
            f"skrev.</b><br>{esc(who)} lagret {esc(when)}:"
            f'<div class="ht-standard">{esc(theirs) or "<i>(tom tekst)</i>"}</div>'
            "Din tekst står fortsatt i feltet. Velg hva som skal gjelde.</div>"
        )
        self.conflict.children = [notice, w.HBox([keep, overwrite])]
        self.status.value = ""
        self._update()

    def _clear_conflict(self) -> None:
        self.pending = None
        if self._conflict is not None:
            self._conflict.children = []

    def _keep_theirs(self, _b: object = None) -> None:
        assert self.pending is not None
        current, mine = self.pending.current, self.textarea.value
        self._clear_conflict()
        self.saved_text = str(current.value or "")
        self.version = current.version
        self.textarea.value = self.saved_text
        kept = w.Textarea(value=mine, disabled=True, layout=w.Layout(width="100%"))
        kept.add_class(f"ht-my-draft-{self.area.slug}")
        self.my_draft.children = [
            w.HTML('<span class="ht-muted">Din tekst ble ikke lagret. Kopier den herfra:</span>'),
            kept,
        ]
        self.model.set_draft(self.area.slug, None)
        self.model.refresh()
        self._update()

    def _overwrite(self, _b: object = None) -> None:
        assert self.pending is not None
        self._store(self.pending.current.version)


class InfoCardsTab(w.VBox):
    """The INFOMELDINGER tab: the intro and one card per area, in catalogue order."""

    def __init__(self, model: OfficeModel) -> None:
        super().__init__(layout=shared_layout())
        self.add_class("ht-info-tab")
        self.cards = {area.slug: InfoCard(model, area) for area in CATALOG.info_areas}
        self.review = ReviewRound(model)
        self.children = [html(f"<p>{esc(INTRO)}</p>"), self.review, *self.cards.values()]
