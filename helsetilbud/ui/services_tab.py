"""TJENESTER: a GP (or the list's vikar during the period) switches the list's four services,
closes them for periods, weekly or on public holidays; the office's vikars are listed here."""

from __future__ import annotations

from datetime import date, datetime, time

import ipywidgets as w

from helsetilbud.catalog import CATALOG
from helsetilbud.closure_text import describe_closure
from helsetilbud.errors import HelsetilbudError, StaleEdit
from helsetilbud.oslo_time import OSLO
from helsetilbud.snapshot import GpState
from helsetilbud.ui.common import (
    OfficeModel,
    button,
    error_text,
    esc,
    html_box,
    oslo_time,
    status_box,
)
from helsetilbud.ui.vikar_holidays import HolidayForm, VikarPanel

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
LABELLED = {"style": {"description_width": "initial"}}
INTRO_GP = (
    "Her slår du av og på tjenestene pasientene dine ser på fastlegepanelet. Skal du bare være "
    "borte en periode, eller stenge om kvelden og i helgene, legg heller inn en stengning: da "
    "beholder pasientene knappen og får beskjed om når tjenesten åpner igjen."
)
INTRO_READ = "Fastlegene slår selv av og på tjenestene sine. Her ser du hva hver fastlege tilbyr."


__all__ = ["ClosureForm", "ServicesTab", "describe_closure"]


def _at(day: date | None, clock: time | None) -> datetime | None:
    return None if day is None else datetime.combine(day, clock or time(0, 0), tzinfo=OSLO)


def _hhmm(clock: time | None) -> str | None:
    return None if clock is None else f"{clock:%H:%M}"


class ClosureForm(w.VBox):
    """Add a closure: a period (from, to) or weekly (weekdays, from and to time)."""

    def __init__(self, model: OfficeModel, hpr: str, status: w.HTML) -> None:
        super().__init__()
        self.model, self.hpr, self.status = model, hpr, status
        self.add_class("ht-closure-form")
        self.service = w.Dropdown(
            options=[(s.name, s.slug) for s in CATALOG.patient_services], description="Tjeneste"
        )
        self.service.add_class("ht-closure-service")
        self.kind = w.ToggleButtons(
            options=[("I en periode", "period"), ("Fast hver uke", "weekly")], value="period"
        )
        self.kind.add_class("ht-closure-kind")
        # Every date and time field has its own visible label, tied to it (issue 12).
        self.from_day = w.DatePicker(description="Fra dato", **LABELLED)
        self.from_time = w.TimePicker(value=time(8, 0), description="Fra klokken", **LABELLED)
        self.to_day = w.DatePicker(description="Til dato", **LABELLED)
        self.to_time = w.TimePicker(value=time(8, 0), description="Til klokken", **LABELLED)
        for widget, css in (
            (self.from_day, "ht-closure-from"),
            (self.from_time, "ht-closure-from-time"),
            (self.to_day, "ht-closure-to"),
            (self.to_time, "ht-closure-to-time"),
        ):
            widget.add_class(css)
            widget.add_class("ht-labelled")
        self.period = w.VBox(
            [w.HBox([self.from_day, self.from_time]), w.HBox([self.to_day, self.to_time])]
        )
        self.weekdays = w.SelectMultiple(
            options=[(name, i) for i, name in enumerate(WEEKDAYS)], description="Ukedager"
        )
        self.weekdays.add_class("ht-closure-weekdays")
        self.daily_from = w.TimePicker(value=time(16, 0), description="Fra klokken", **LABELLED)
        self.daily_to = w.TimePicker(value=time(8, 0), description="Til klokken", **LABELLED)
        for widget in (self.daily_from, self.daily_to):
            widget.add_class("ht-labelled")
        self.daily_from.add_class("ht-closure-daily-from")
        self.daily_to.add_class("ht-closure-daily-to")
        self.weekly = w.VBox([self.weekdays, w.HBox([self.daily_from, self.daily_to])])
        self.note = w.Text(description="Merknad", placeholder="F.eks. ferie")
        self.note.add_class("ht-closure-note")
        self.add = button("Legg til stengning", "ht-closure-add", primary=True)
        self.add.on_click(self._add)
        self.kind.observe(lambda _c: self._show(), names="value")
        self._show()

    def _show(self) -> None:
        body = self.period if self.kind.value == "period" else self.weekly
        self.children = [
            w.HTML("<b>Steng en tjeneste midlertidig</b>"),
            self.service,
            self.kind,
            body,
            self.note,
            self.add,
        ]

    def _add(self, _b: object = None) -> None:
        from helsetilbud import editing

        if self.kind.value == "period":
            starts = _at(self.from_day.value, self.from_time.value)
            ends = _at(self.to_day.value, self.to_time.value)
            if starts is None or ends is None:
                self.status.value = error_text("Velg dato for både fra og til.")
                return
            kwargs: dict = {"starts_at": starts, "ends_at": ends}
        else:
            kwargs = {
                "weekdays": tuple(self.weekdays.value),
                "daily_from": _hhmm(self.daily_from.value),
                "daily_to": _hhmm(self.daily_to.value),
            }
        try:
            self.model.run(
                editing.add_closure, self.hpr, self.service.value, note=self.note.value, **kwargs
            )
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self.note.value = ""
        self.status.value = '<span class="ht-ok">Stengningen er lagt til.</span>'


class ServicesTab(w.VBox):
    """A GP's own services and closures; for everyone else each GP's services, read-only."""

    def __init__(self, model: OfficeModel) -> None:
        super().__init__()
        self.model = model
        self.add_class("ht-services-tab")
        self.list_hpr = self._list_hpr()
        self.own = next((g for g in model.snapshot.gps if g.hpr == self.list_hpr), None)
        self.vikars = VikarPanel(model)
        self.status = status_box("ht-services-status")
        self.toggles: dict[str, w.Checkbox] = {}
        self.saved: dict[str, bool] | None = None  # the stored services the toggles started from
        self.pending: StaleEdit | None = None
        self.conflict = w.VBox()
        self.conflict.add_class("ht-services-conflict")
        self.my_choice = html_box("", "ht-services-mine")
        self.closures = w.VBox()
        self.closures.add_class("ht-closure-list")
        self.overview = html_box("", "ht-services-overview")
        if self.own is not None:
            for s in CATALOG.patient_services:
                box = w.Checkbox(
                    description=f"{s.name} («{s.button}»)",
                    indent=False,
                    layout=w.Layout(width="auto"),
                )
                box.add_class(f"ht-service-{s.slug}")
                self.toggles[s.slug] = box
            self.save = button("LAGRE", "ht-services-save", primary=True)
            self.save.on_click(self._save)
            self.form = ClosureForm(model, self.own.hpr, self.status)
            self.holidays = HolidayForm(model, self.own.hpr, self.status)
            heading = (
                f"Dine tjenester, {esc(self.own.name)}"
                if self.own.hpr == model.own_hpr
                else f"Tjenestene til {esc(self.own.name)} – du er vikar for listen"
            )
            self.children = [
                w.HTML(f"<p>{esc(INTRO_GP)}</p><h3>{heading}</h3>"),
                *self.toggles.values(),
                self.save,
                self.status,
                self.conflict,
                self.my_choice,
                w.HTML("<h3>Stengninger</h3>"),
                self.closures,
                self.form,
                self.holidays,
                self.vikars,
                w.HTML("<h3>Kontorets øvrige fastleger</h3>"),
                self.overview,
            ]
        else:
            self.children = [w.HTML(f"<p>{esc(INTRO_READ)}</p>"), self.overview, self.vikars]
        model.on_change(self.render)
        self.render()

    def _list_hpr(self) -> str | None:
        """The GP's own list, or the list the identity covers as a vikar today."""
        model = self.model
        if any(g.hpr == model.own_hpr for g in model.snapshot.gps):
            return model.own_hpr
        if model.identity is None:
            return None
        from helsetilbud.access import vikar_lists
        from helsetilbud.ui.common import now_utc

        here = {g.hpr for g in model.snapshot.gps}
        with model.factory() as session:
            covered = [g.hpr for g in vikar_lists(session, model.identity, now_utc())]
        return next((hpr for hpr in covered if hpr in here), None)

    def _gp(self) -> GpState | None:
        hpr = self.list_hpr
        return next((g for g in self.model.snapshot.gps if g.hpr == hpr), None)

    def render(self) -> None:
        gps = self.model.snapshot.gps
        others = [g for g in gps if self.own is None or g.hpr != self.own.hpr]
        head = "".join(f"<th>{esc(s.name)}</th>" for s in CATALOG.patient_services)
        rows = ""
        for g in others:
            cells = "".join(
                f"<td>{'På' if g.services.get(s.slug) else 'Av'}</td>"
                for s in CATALOG.patient_services
            )
            closed = "<br>".join(esc(describe_closure(c)) for c in g.closures) or "Ingen"
            rows += f"<tr><td>{esc(g.name)}</td>{cells}<td>{closed}</td></tr>"
        self.overview.value = (
            f'<table class="ht-table"><tr><th>Fastlege</th>{head}<th>Stengninger</th></tr>'
            f"{rows}</table>"
            if others
            else "<p>Ingen andre fastleger ved kontoret.</p>"
        )
        gp = self._gp()
        if gp is None:
            return
        self.own = gp
        if not self.dirty and self.pending is None:  # unsaved toggles are never overwritten
            self.saved = {slug: bool(gp.services.get(slug)) for slug in self.toggles}
            for slug, box in self.toggles.items():
                box.value = self.saved[slug]
        rows_w: list[w.Widget] = []
        for c in gp.closures:
            remove = button("Fjern", f"ht-closure-remove-{c.id}")
            remove.on_click(lambda _b, cid=c.id: self._remove(cid))
            rows_w.append(w.HBox([w.HTML(esc(describe_closure(c))), remove]))
        self.closures.children = rows_w or [w.HTML("<i>Ingen stengninger.</i>")]
        self.holidays.show(gp)

    @property
    def wanted(self) -> dict[str, bool]:
        return {slug: bool(box.value) for slug, box in self.toggles.items()}

    @property
    def dirty(self) -> bool:
        return self.saved is not None and self.wanted != self.saved

    def _save(self, _b: object = None) -> None:
        assert self.own is not None
        self._store(self.own.version)

    def _store(self, expected_version: int) -> None:
        from helsetilbud import editing

        assert self.own is not None
        wanted = self.wanted
        try:
            self.model.run(editing.set_gp_services, self.own.hpr, wanted, expected_version)
        except StaleEdit as exc:
            self._show_conflict(exc)
            return
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self.pending, self.conflict.children = None, []
        self.my_choice.value = ""
        self.saved = wanted
        self.render()
        self.status.value = '<span class="ht-ok">Tjenestene er lagret.</span>'

    def _show_conflict(self, exc: StaleEdit) -> None:
        """Someone saved this GP's services meanwhile: theirs, who and when; mine stay ticked."""
        self.pending = exc
        current = exc.current
        theirs = current.value if isinstance(current.value, dict) else {}
        who = current.changed_by or "en annen"
        stored = "".join(
            f"<li>{esc(s.name)}: {'på' if theirs.get(s.slug) else 'av'}</li>"
            for s in CATALOG.patient_services
        )
        keep = button("Behold lagrede innstillinger", "ht-services-keep-theirs")
        overwrite = button(
            "Skriv over med mine innstillinger", "ht-services-overwrite", primary=True
        )
        keep.on_click(self._keep_theirs)
        overwrite.on_click(self._overwrite)
        notice = w.HTML(
            '<div class="ht-notice" role="alert"><b>Tjenestene dine er endret et annet sted '
            f"mens du gjorde endringer her.</b><br>{esc(who)} lagret "
            f"{esc(oslo_time(current.changed_at))}. Lagret nå:<ul>{stored}</ul>"
            "Dine valg står fortsatt avkrysset over. Velg hva som skal gjelde.</div>"
        )
        self.conflict.children = [notice, w.HBox([keep, overwrite])]
        self.status.value = ""

    def _keep_theirs(self, _b: object = None) -> None:
        assert self.pending is not None
        current, mine = self.pending.current, self.wanted
        theirs = current.value if isinstance(current.value, dict) else {}
        self.pending, self.conflict.children = None, []
        choices = ", ".join(
            f"{s.name} {'på' if mine[s.slug] else 'av'}" for s in CATALOG.patient_services
        )
        self.my_choice.value = (
            f'<span class="ht-muted">Dine valg ble ikke lagret: {esc(choices)}.</span>'
        )
        self.saved = {slug: bool(theirs.get(slug)) for slug in self.toggles}
        for slug, box in self.toggles.items():
            box.value = self.saved[slug]
        self.model.refresh()

    def _overwrite(self, _b: object = None) -> None:
        assert self.pending is not None
        self._store(self.pending.current.version)

    def _remove(self, closure_id: int) -> None:
        from helsetilbud import editing

        try:
            self.model.run(editing.remove_closure, closure_id)
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self.status.value = '<span class="ht-ok">Stengningen er fjernet.</span>'
