"""HISTORIKK: who changed what and when, before and after, with "Gjenopprett" for texts."""

from __future__ import annotations

import ipywidgets as w

from helsetilbud.catalog import CATALOG
from helsetilbud.errors import HelsetilbudError, StaleEdit
from helsetilbud.model import AuditEvent
from helsetilbud.ui.common import (
    OfficeModel,
    button,
    error_text,
    esc,
    oslo_time,
    status_box,
)

LIMIT = 100
ENTITY_NAMES = {
    "info_text": "Infomelding",
    "info_text_confirmed": "Teksten stemmer fortsatt",
    "scheduled_text": "Planlagt tekst",
    "tool_assignment": "Triageringsverktøy",
    "gp_services": "Tjenester",
    "service_closure": "Stengning",
    "delegation": "Tilgang for ansatte",
}
WIDTHS = ("15%", "15%", "18%", "34%", "18%")


def key_name(key: str) -> str:
    for getter in (CATALOG.area, CATALOG.triage_service, CATALOG.patient_service):
        try:
            return getter(key).name
        except KeyError:
            continue
    return key


def _short(value: object) -> str:
    if value is None or value == "":
        return "(tom)"
    if isinstance(value, dict):
        if all(isinstance(v, bool) for v in value.values()):
            return ", ".join(f"{key_name(k)}: {'på' if v else 'av'}" for k, v in value.items())
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "") and k != "id")
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


def change_text(event: AuditEvent) -> str:
    from helsetilbud.audit import loads

    before, after = loads(event.before), loads(event.after)
    if event.entity == "info_text_confirmed" and isinstance(after, dict):
        return f"Bekreftet uten endring: «{_short(after.get('text'))}»"
    if event.entity == "gp_services" and isinstance(before, dict) and isinstance(after, dict):
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        return _short(changed)
    return f"«{_short(before)}» → «{_short(after)}»"


class HistoryTab(w.VBox):
    """The office's audit trail, newest first, optionally narrowed to one area or service."""

    def __init__(self, model: OfficeModel) -> None:
        super().__init__()
        self.model = model
        self.add_class("ht-history-tab")
        self.filter = w.Dropdown(
            options=[("Alt", "")]
            + [(a.name, a.slug) for a in CATALOG.info_areas]
            + [(s.name, s.slug) for s in CATALOG.triage_services],
            description="Vis",
        )
        self.filter.add_class("ht-history-filter")
        self.status = status_box("ht-history-status")
        self.table = w.VBox()
        self.table.add_class("ht-history-table")
        self.children = [self.filter, self.status, self.table]
        self.filter.observe(lambda _c: self.render(), names="value")
        model.on_change(self.render)
        self.render()

    def _events(self) -> tuple[list[AuditEvent], dict[str, str]]:
        from helsetilbud import editing
        from helsetilbud.audit import display_names

        assert self.model.identity is not None
        with self.model.factory() as session:
            events = editing.history(
                session, self.model.identity, self.model.her_id, area=self.filter.value or None
            )[:LIMIT]
            names = display_names(session, [e.actor for e in events])
        return events, names

    def render(self) -> None:
        if self.model.identity is None:
            self.table.children = []
            return
        try:
            events, names = self._events()
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        head = w.HBox(
            [
                w.HTML(label, layout=w.Layout(width=width))
                for label, width in zip(
                    ("Når", "Hvem", "Hva", "Før → etter", ""), WIDTHS, strict=True
                )
            ]
        )
        head.add_class("ht-table-head")
        rows: list[w.Widget] = [head]
        current = self.model.snapshot.texts
        for e in events:
            who = f"{names.get(e.actor, e.actor)} ({e.role})"
            what = f"{ENTITY_NAMES.get(e.entity, e.entity)}: {key_name(e.key)}"
            cells: list[w.Widget] = [
                w.HTML(esc(oslo_time(e.at)), layout=w.Layout(width=WIDTHS[0])),
                w.HTML(esc(who), layout=w.Layout(width=WIDTHS[1])),
                w.HTML(esc(what), layout=w.Layout(width=WIDTHS[2])),
                w.HTML(esc(change_text(e)), layout=w.Layout(width=WIDTHS[3])),
            ]
            restorable = e.entity == "info_text" and self.model.can_edit
            slot = w.Box(layout=w.Layout(width=WIDTHS[4], min_width="130px"))  # aligned columns
            if restorable and _after_text(e) != current.get(e.key, ""):
                restore = button("Gjenopprett", f"ht-restore-{e.id}")
                restore.on_click(lambda _b, ev=e: self.restore(ev.id, ev.key))
                slot.children = (restore,)
            row = w.HBox([*cells, slot])
            row.add_class("ht-row")
            row.add_class(f"ht-history-row-{e.id}")
            rows.append(row)
        if not events:
            rows.append(w.HTML("<i>Ingen endringer er registrert ennå.</i>"))
        self.table.children = rows

    def restore(self, event_id: int, area: str) -> None:
        from helsetilbud import editing

        version = self.model.snapshot.text_versions.get(area, 0)
        try:
            self.model.run(editing.restore_info_text, self.model.her_id, area, event_id, version)
        except StaleEdit as exc:
            self.status.value = error_text(exc.message)
            self.model.refresh()
            return
        except HelsetilbudError as exc:
            self.status.value = error_text(exc.message)
            return
        self.status.value = (
            f'<span class="ht-ok">Teksten for «{esc(key_name(area))}» er gjenopprettet.</span>'
        )


def _after_text(event: AuditEvent) -> object:
    from helsetilbud.audit import loads

    return loads(event.after)
