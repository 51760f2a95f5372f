"""TJENESTER, issue 15: a list's holiday closure and the office's vikars (seed Q11)."""

from __future__ import annotations

from datetime import datetime

import ipywidgets as w

from helsetilbud.access import require_vikar_admin
from helsetilbud.catalog import CATALOG
from helsetilbud.errors import AccessDenied, HelsetilbudError
from helsetilbud.model import Gp
from helsetilbud.oslo_time import OSLO
from helsetilbud.public_holidays import day_label, describe_rule, next_closed_days
from helsetilbud.snapshot import GpState
from helsetilbud.ui.common import OfficeModel, button, error_text, esc, html_box, status_box
from helsetilbud.vikar_cases import AWAY, KIND_NAMES, KINDS

LABELLED = {"style": {"description_width": "initial"}}
OK = '<span class="ht-ok">{}</span>'


def _today() -> datetime:
    return datetime.now(OSLO)


class HolidayForm(w.VBox):
    """One choice: which of the list's services close on every public holiday."""

    def __init__(self, model: OfficeModel, hpr: str, status: w.HTML) -> None:
        super().__init__()
        self.model, self.hpr, self.status = model, hpr, status
        self.add_class("ht-holiday-form")
        self.boxes = {
            s.slug: w.Checkbox(description=s.name, indent=False, layout=w.Layout(width="auto"))
            for s in CATALOG.patient_services
        }
        for slug, box in self.boxes.items():
            box.add_class(f"ht-holiday-{slug}")
        self.all = button("Velg alle fire", "ht-holiday-all")
        self.all.on_click(lambda _b: [setattr(b, "value", True) for b in self.boxes.values()])
        self.eves = w.Checkbox(
            description="Også julaften og nyttårsaften (ikke offentlige helligdager)",
            indent=False,
            layout=w.Layout(width="auto"),
        )
        self.eves.add_class("ht-holiday-eves")
        self.save = button("Lagre helligdager", "ht-holiday-save", primary=True)
        self.save.on_click(self._save)
        self.upcoming = html_box("", "ht-holiday-next")
        self.children = [
            w.HTML(
                "<b>Stengt på helligdager</b><br>Tjenestene du krysser av, stenger hele døgnet "
                "på alle offentlige helligdager, også de bevegelige (skjærtorsdag, langfredag, "
                "2. påskedag, Kristi himmelfartsdag, 2. pinsedag). Pasientene beholder knappen "
                "og ser når tjenesten åpner igjen."
            ),
            *self.boxes.values(),
            self.all,
            self.eves,
            self.save,
            self.upcoming,
        ]

    def show(self, gp: GpState) -> None:
        self.version = gp.holiday_version
        for slug, box in self.boxes.items():
            box.value = slug in gp.holidays
        self.eves.value = gp.holiday_eves
        self.upcoming.value = upcoming_html(gp.holidays, gp.holiday_eves)

    def _save(self, _b: object = None) -> None:
        from helsetilbud.public_holidays import set_holiday_rule

        wanted = [slug for slug, box in self.boxes.items() if box.value]
        try:
            self.model.run(set_holiday_rule, self.hpr, wanted, self.eves.value, self.version)
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self.status.value = OK.format(esc(describe_rule(tuple(wanted), self.eves.value) + "."))


def upcoming_html(services: tuple[str, ...], eves: bool, count: int = 5) -> str:
    """The next days the rule closes, as a list (for the TJENESTER tab)."""
    if not services:
        return "<p><i>Ingen tjenester stenger på helligdager.</i></p>"
    days = next_closed_days(_today().date(), count, eves)
    items = "".join(f"<li>{esc(day_label(d))}: {esc(name)}</li>" for d, name in days)
    return (
        f"<p>{esc(describe_rule(services, eves))}. Neste dager som stenges:</p>"
        f'<ul data-testid="holiday-next">{items}</ul>'
    )


class VikarPanel(w.VBox):
    """The office's vikars by list; add and remove where the core allows it."""

    def __init__(self, model: OfficeModel) -> None:
        super().__init__()
        self.model = model
        self.add_class("ht-vikar-panel")
        self.status = status_box("ht-vikar-status")
        self.status.add_class("ht-live")
        self.listing = w.VBox()
        self.listing.add_class("ht-vikar-list")
        self.admin_lists = self._admin_lists()
        self.list = w.Dropdown(
            options=[(f"{g.name} (HPR {g.hpr})", g.hpr) for g in model.snapshot.gps
                     if g.hpr in self.admin_lists],
            description="Fastlegeliste", **LABELLED,
        )  # fmt: skip
        self.hpr = w.Text(description="Vikarens HPR-nummer", **LABELLED)
        self.name = w.Text(description="Vikarens navn", **LABELLED)
        self.first = w.DatePicker(description="Første dag", **LABELLED)
        self.last = w.DatePicker(description="Siste dag", **LABELLED)
        self.kind = w.Dropdown(
            options=[(KIND_NAMES[k], k) for k in KINDS], value=AWAY, description="Tilfelle",
            **LABELLED,
        )  # fmt: skip
        for widget, css in (
            (self.list, "ht-vikar-gp"),
            (self.hpr, "ht-vikar-hpr"),
            (self.name, "ht-vikar-name"),
            (self.first, "ht-vikar-from"),
            (self.last, "ht-vikar-to"),
            (self.kind, "ht-vikar-kind"),
        ):
            widget.add_class(css)
            widget.add_class("ht-labelled")
        self.add = button("Registrer vikar", "ht-vikar-add", primary=True)
        self.add.on_click(self._add)
        form: list[w.Widget] = []
        if self.admin_lists:
            form = [
                w.HTML("<b>Registrer en vikar</b>"),
                self.list,
                self.hpr,
                self.name,
                w.HBox([self.first, self.last]),
                self.kind,
                self.add,
            ]
        self.children = [w.HTML("<h3>Vikarer</h3>"), self.listing, *form, self.status]
        model.on_change(self.render)
        self.render()

    def _admin_lists(self) -> set[str]:
        """The lists whose vikars this identity may register (the core decides)."""
        identity = self.model.identity
        if identity is None:
            return set()
        allowed: set[str] = set()
        with self.model.factory() as session:
            for state in self.model.snapshot.gps:
                gp = session.query(Gp).filter_by(hpr=state.hpr).one_or_none()
                if gp is None:
                    continue
                try:
                    require_vikar_admin(session, identity, gp)
                except AccessDenied:
                    continue
                allowed.add(gp.hpr)
        return allowed

    def render(self) -> None:
        rows: list[w.Widget] = []
        for gp in self.model.snapshot.gps:
            for v in gp.vikars:
                text = (
                    f"{v.name} (HPR {v.hpr}) for {gp.name}: {v.starts_on:%d.%m.%Y}–"
                    f"{v.ends_on:%d.%m.%Y}, {KIND_NAMES[v.kind].lower()}"
                )
                line = w.HTML(esc(text))
                line.add_class("ht-vikar-row")
                if gp.hpr in self.admin_lists:
                    remove = button("Fjern", f"ht-vikar-remove-{v.id}")
                    remove.tooltip = f"Fjern {v.name} som vikar"
                    remove.on_click(lambda _b, vid=v.id: self._remove(vid))
                    rows.append(w.HBox([line, remove]))
                else:
                    rows.append(line)
        self.listing.children = rows or [w.HTML("<i>Ingen vikarer er registrert.</i>")]

    def _add(self, _b: object = None) -> None:
        from helsetilbud.vikar import add_vikar

        if self.first.value is None or self.last.value is None:
            self.status.value = error_text("Velg både første og siste dag.")
            return
        try:
            row = self.model.run(
                add_vikar,
                self.list.value,
                self.hpr.value.strip(),
                self.name.value,
                self.first.value,
                self.last.value,
                self.kind.value,
            )
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self.hpr.value = self.name.value = ""
        self.status.value = OK.format(esc(f"{row.name} er registrert som vikar."))

    def _remove(self, vikar_id: int) -> None:
        from helsetilbud.vikar import remove_vikar

        try:
            self.model.run(remove_vikar, vikar_id)
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self.status.value = OK.format("Vikaren er fjernet.")
