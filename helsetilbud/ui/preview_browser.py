"""Browse what a GP's patients see: pick an office, a GP, a moment and a page (read-only)."""

from __future__ import annotations

import re
from datetime import datetime, time

import ipywidgets as w
from sqlalchemy import select

from helsetilbud.access import Identity, readable_offices
from helsetilbud.db import SessionFactory
from helsetilbud.errors import HelsetilbudError
from helsetilbud.login import identify
from helsetilbud.model import Office
from helsetilbud.oslo_time import OSLO, configured_day
from helsetilbud.patient_view import PatientView, patient_view
from helsetilbud.preview import PAGE_TITLES, PAGES, render_fragment
from helsetilbud.snapshot import OfficeSnapshot, load_snapshot
from helsetilbud.ui.common import css_widget, print_for_checks
from helsetilbud.ui.gate import Denied

HER_IN_LABEL = re.compile(r"\((\d+)\)\s*$")


def default_moment() -> datetime:
    """HELSETILBUD_TODAY (e.g. "2026-11-26") at 12:00 Oslo time when set, else now."""
    day = configured_day()
    if day is not None:
        return datetime.combine(day, time(12, 0), tzinfo=OSLO)
    return datetime.now(OSLO).replace(second=0, microsecond=0)


class PreviewBrowser(w.VBox):
    """Office search, GP, date and time, page and step; below them the patient's page."""

    def __init__(
        self,
        factory: SessionFactory,
        *,
        her_id: str | None = None,
        identity: Identity | None = None,
    ) -> None:
        super().__init__(layout=w.Layout(width="100%"))
        self.add_class("ht-preview-browser")
        self.factory = factory
        with factory() as session:
            if identity is None:
                query = select(Office.her_id, Office.name).order_by(Office.name)
                rows = [tuple(r) for r in session.execute(query)]
            else:
                rows = [(o.her_id, o.name) for o in readable_offices(session, identity)]
        self.labels = {f"{name} ({her})": her for her, name in rows}
        self.allowed = {her for her, _ in rows}
        first = her_id or (rows[0][0] if rows else None)
        moment = default_moment()
        self.office = w.Combobox(
            options=list(self.labels),
            placeholder="Søk etter legekontor eller HER-id",
            description="Legekontor",
            ensure_option=False,
            layout=w.Layout(width="32rem"),
        )
        self.gp = w.Dropdown(description="Fastlege", options=[])
        # «Vis som» a vikar's patients: a vikar period of the list puts the date inside it.
        self.vikar = w.Dropdown(description="Vikarperiode", options=[("Ingen valgt", None)])
        self.vikar.add_class("ht-preview-vikar")
        self.day = w.DatePicker(description="Dato", value=moment.date())
        self.clock = w.Text(description="Klokkeslett", value=f"{moment:%H:%M}",
                            layout=w.Layout(width="14rem"))  # fmt: skip
        self.page = w.ToggleButtons(
            options=[(PAGE_TITLES[p], p) for p in PAGES], value="forside", description="Side"
        )
        self.step = w.ToggleButtons(
            options=[("Skjema først", "skjema"), ("Melding", "melding")],
            value="skjema",
            description="Vis",
        )
        for choice in (self.page, self.step):
            choice.style = {"description_width": "initial"}
        self.status = w.HTML()
        self.status.add_class("ht-live")
        self.html = w.HTML()
        self.html.add_class("ht-preview")
        self.snapshot: OfficeSnapshot | None = None
        self.view: PatientView | None = None
        self.children = [
            css_widget(preview=True),
            w.HTML("<b>Forhåndsvisning:</b> slik ser Helsenorge ut for pasientene til en fastlege"),
            w.HBox([self.office, self.gp, self.vikar]),
            w.HBox([self.day, self.clock]),
            self.page,
            self.step,
            self.status,
            self.html,
        ]
        self.office.observe(self._office_changed, names="value")
        self.gp.observe(self._vikars_for_gp, names="value")
        self.vikar.observe(self._vikar_chosen, names="value")
        for widget in (self.gp, self.day, self.clock, self.page, self.step):
            widget.observe(lambda _change: self.render(), names="value")
        if first is not None:
            label = next((k for k, v in self.labels.items() if v == first), first)
            self.office.value = label
        else:
            self.status.value = "Databasen har ingen legekontor."

    @classmethod
    def from_environment(cls) -> PreviewBrowser | Denied:
        """Database from HELSETILBUD_DB_URL; the offices this page view's login may see."""
        from helsetilbud.db import make_engine, make_session_factory

        factory = make_session_factory(make_engine())
        login = identify(factory)
        if login.identity is None:
            return Denied(login)
        return cls(factory, identity=login.identity)

    def _her_id(self, text: str) -> str | None:
        text = text.strip()
        if text in self.labels:
            return self.labels[text]
        match = HER_IN_LABEL.search(text)
        if match:
            return match.group(1)
        return text if text.isdigit() else None

    def _office_changed(self, _change: object = None) -> None:
        her_id = self._her_id(self.office.value)
        if her_id is None:
            return
        if her_id not in self.allowed:
            self.status.value = f"Du har ikke tilgang til legekontoret med HER-id {her_id}."
            return
        try:
            with self.factory() as session:
                self.snapshot = load_snapshot(session, her_id)
        except HelsetilbudError as error:
            self.status.value = error.message
            return
        gps = [(f"{g.name} (HPR {g.hpr})", g.hpr) for g in self.snapshot.gps]
        with self.hold_trait_notifications():
            self.gp.options = gps
            self.gp.value = gps[0][1] if gps else None
        self.render()

    def _vikars_for_gp(self, _change: object = None) -> None:
        gps = self.snapshot.gps if self.snapshot is not None else ()
        gp = next((g for g in gps if g.hpr == self.gp.value), None)
        vikars = gp.vikars if gp is not None else ()
        options = [("Ingen valgt", None)] + [
            (f"{v.name} {v.starts_on:%d.%m.%Y}–{v.ends_on:%d.%m.%Y}", v.id) for v in vikars
        ]
        with self.vikar.hold_trait_notifications():
            self.vikar.options = options
            self.vikar.value = None

    def _vikar_chosen(self, change: dict) -> None:
        gps = self.snapshot.gps if self.snapshot is not None else ()
        gp = next((g for g in gps if g.hpr == self.gp.value), None)
        chosen = next((v for v in (gp.vikars if gp else ()) if v.id == change["new"]), None)
        if chosen is not None and not chosen.covers(self.day.value or chosen.starts_on):
            self.day.value = chosen.starts_on  # renders through the observer

    def moment(self) -> datetime | None:
        """The chosen date and time in Oslo, or None when the time cannot be read."""
        try:
            hour, minute = (int(p) for p in self.clock.value.strip().split(":"))
            clock = time(hour, minute)
        except ValueError:
            return None
        if self.day.value is None:
            return None
        return datetime.combine(self.day.value, clock, tzinfo=OSLO)

    def render(self) -> None:
        if self.snapshot is None:
            return
        at = self.moment()
        if at is None:
            self.status.value = "Skriv klokkeslettet som tt:mm, for eksempel 08:30."
            return
        self.status.value = ""
        self.view = patient_view(self.snapshot, self.gp.value, at)
        self.html.value = render_fragment(
            self.view, self.page.value, step=self.step.value, styled=False
        )

    def print_summary(self) -> None:
        print_for_checks(self.summary())

    def summary(self) -> str:
        """One line on what is shown: office, GP, moment and the panel's buttons."""
        if self.view is None:
            return "Ingen forhåndsvisning."
        view = self.view
        gp = view.gp.name if view.gp else "ingen fastlege"
        buttons = (
            ", ".join(b.label + (" (stengt)" if b.is_closed else "") for b in view.buttons)
            or "ingen fastlegepanel"
        )
        cover = f" (vikar: {view.cover.names})" if view.cover else ""
        return (
            f"{view.office.name} (HER-id {view.office.her_id}), {gp}{cover}, "
            f"{view.at.astimezone(OSLO):%d.%m.%Y kl. %H:%M}: {buttons}"
        )
