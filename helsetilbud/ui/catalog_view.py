"""The forvalter's catalogue of triage tools (notebooks/katalog.ipynb).

Tabs: the tools and their versions with how many offices use each, per service and fylke;
the offices per tool version over time and who went back;
a tool's versions and publishing the next one; adding a Questionnaire as a tool; roll-outs;
the catalogue's history. Analysts read everything and write nothing; anyone else sees
«Ingen tilgang». Every write goes through `helsetilbud.tool_catalog`, which checks the right
against the database each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ipywidgets as w
import pandas as pd
from sqlalchemy import Engine, select

from helsetilbud import analytics as an
from helsetilbud.access import FORVALTER, Identity, national_reader
from helsetilbud.audit import display_names, loads
from helsetilbud.catalog import CATALOG, TRIAGE_SERVICES
from helsetilbud.db import make_session_factory
from helsetilbud.login import Login, identify
from helsetilbud.model import AuditEvent, TriageTool
from helsetilbud.tool_catalog import ROLLOUT, catalog_events
from helsetilbud.ui.catalog_panels import (
    READ_ONLY,
    AddPanel,
    CatalogAccess,
    PublishPanel,
)
from helsetilbud.ui.catalog_trend import VersionTrendPanel
from helsetilbud.ui.common import css_widget, esc, oslo_time, print_for_checks
from helsetilbud.ui.gate import NoAccess
from helsetilbud.ui.report_html import html_table, percent
from helsetilbud.ui.rollout_panel import RolloutPanel

__all__ = ["ALL", "ONLY_NHN", "CatalogView"]

ALL = "__alle__"
ONLY_NHN = "Katalogen er bare for forvaltere og analytikere i Norsk helsenett."
TABS = ("Verktøy", "Utvikling", "Versjoner", "Nytt verktøy", "Utrulling", "Historikk")


@dataclass(frozen=True)
class ToolRow:
    """A catalogue tool as the view shows it: id, label, the version in use, its services."""

    id: str
    label: str
    version: str
    services: tuple[str, ...]


class CatalogView(w.VBox):
    """The catalogue for a forvalter (read and write) or an analyst (read only)."""

    def __init__(
        self,
        engine: Engine,
        identity: Identity | None,
        *,
        login: Login | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.add_class("ht-catalog")
        self.add_class("ht-ready")
        self.engine = engine
        self.identity = identity
        self.allowed = national_reader(identity)
        if not self.allowed:
            login = login or Login(identity.login if identity else None, identity)
            self.no_access = NoAccess(login, ONLY_NHN if login.identity is not None else None)
            self.children = [css_widget(), self.no_access]
            return
        assert identity is not None
        self.can_write = identity.role == FORVALTER
        self.access = CatalogAccess(
            make_session_factory(engine), identity, self.can_write, self.refresh
        )
        self._read()
        self.heading = w.HTML(self._heading())
        self.service = w.Dropdown(
            description="Tjeneste",
            options=[("Alle tjenester", ALL)] + [(an.service_name(s), s) for s in TRIAGE_SERVICES],
        )
        fylker = [f for f in CATALOG.fylker if f in set(self.matrix["fylke"])]
        self.fylke = w.Dropdown(
            description="Fylke", options=[("Alle fylker", ALL)] + [(f, f) for f in fylker]
        )
        for dropdown in (self.service, self.fylke):
            dropdown.style = {"description_width": "70px"}
            dropdown.observe(lambda _: self.render_usage(), names="value")
        self.tool_table = w.HTML()
        self.fylke_table = w.HTML()
        self.history = w.HTML()
        self.publish = PublishPanel(self.access, self._tool_options())
        self.add = AddPanel(self.access)
        self.rollout = RolloutPanel(self.access, lambda: self.matrix)
        self.trend = VersionTrendPanel(engine, today or an.default_today(), self.labels)
        self.tabs = w.Tab(
            children=[
                w.VBox([w.HBox([self.service, self.fylke]), self.tool_table, self.fylke_table]),
                self.trend,
                self.publish,
                self.add,
                self.rollout,
                self.history,
            ]
        )
        for i, title in enumerate(TABS):
            self.tabs.set_title(i, title)
        self.children = [css_widget(preview=True), self.heading, self.tabs]
        self.render_usage()
        self.render_history()
        self.tabs.observe(self._tab_chosen, names="selected_index")

    @classmethod
    def from_environment(cls) -> CatalogView:
        """Database from HELSETILBUD_DB_URL and this page view's login (`helsetilbud.login`)."""
        from helsetilbud.db import make_engine

        engine = make_engine()
        login = identify(make_session_factory(engine))
        return cls(engine, login.identity, login=login)

    # --- reading ----------------------------------------------------------------------------

    def _read(self) -> None:
        with self.access.factory() as session:
            self.tools = [
                ToolRow(t.id, t.label, t.questionnaire_version, t.service_slugs)
                for t in session.scalars(select(TriageTool).order_by(TriageTool.title))
            ]
        self.labels = {t.id: t.label for t in self.tools}
        self.matrix = an.adoption_matrix(self.engine)

    def _tool_options(self) -> list[tuple[str, str]]:
        return [(t.label, t.id) for t in self.tools]

    def _heading(self) -> str:
        assert self.identity is not None
        rights = (
            "Du kan legge til verktøy, publisere versjoner og rulle ut."
            if self.can_write
            else READ_ONLY
        )
        css = "ht-muted" if self.can_write else "ht-notice"
        return (
            "<h2>Katalog over triageringsverktøy</h2>"
            f"<p>{len(self.tools)} verktøy, {len(self.matrix)} legekontorer. Innlogget som "
            f"{esc(self.identity.display_name)}.</p><p class='{css}'>{esc(rights)}</p>"
        )

    def refresh(self) -> None:
        """Read everything again (after a write): tables, choices and history."""
        self._read()
        self.heading.value = self._heading()
        keep = self.publish.tool.value
        self.publish.tool.options = self._tool_options()
        if keep in self.labels:
            self.publish.tool.value = keep
        self.render_usage()
        self.render_history()
        self.trend.labels = self.labels
        if self.trend.chart is not None:
            self.trend.render()

    def _tab_chosen(self, change: dict) -> None:
        """The «Utvikling» chart is drawn when its tab is first opened (it reads the log)."""
        if self.tabs.children[change["new"]] is self.trend and self.trend.chart is None:
            self.trend.render()

    # --- usage --------------------------------------------------------------------------------

    def usage_frame(self) -> pd.DataFrame:
        """Per tool (published, in catalogue order) and service it is allowed for: version and
        offices using it in the chosen fylke (all when no fylke is chosen), and their share."""
        rows = self.matrix
        if self.fylke.value != ALL:
            rows = rows[rows["fylke"] == self.fylke.value]
        services = TRIAGE_SERVICES if self.service.value == ALL else (self.service.value,)
        out = []
        for tool in self.tools:
            for service in tool.services:
                if service not in services:
                    continue
                used = int((rows[service] == tool.id).sum())
                out.append((tool.id, tool.version, service, used, used / max(len(rows), 1)))
        return pd.DataFrame(out, columns=["tool", "version", "service", "offices", "share"])

    def fylke_frame(self) -> pd.DataFrame:
        """Per fylke (rows) and tool (columns, by label): offices using it for the chosen
        service (any service when none is chosen)."""
        services = list(TRIAGE_SERVICES) if self.service.value == ALL else [self.service.value]
        long = self.matrix.melt(id_vars=["fylke"], value_vars=services, value_name="tool")
        long = long[long["tool"].notna()].drop_duplicates()
        counts = long.groupby(["fylke", "tool"]).size().unstack(fill_value=0)
        counts = counts.reindex([f for f in CATALOG.fylker if f in set(self.matrix["fylke"])])
        counts = counts.fillna(0).astype("int64")
        counts.columns = [self.labels.get(c, c) for c in counts.columns]
        return counts.reset_index().rename(columns={"fylke": "Fylke"})

    def render_usage(self) -> None:
        frame = self.usage_frame()
        shown = pd.DataFrame(
            {
                "Verktøy": [self.labels[t] for t in frame["tool"]],
                "Versjon": frame["version"],
                "Tjeneste": [an.service_name(s) for s in frame["service"]],
                "Legekontorer": frame["offices"],
                "Andel": [percent(s) for s in frame["share"]],
            }
        )
        where = "hele landet" if self.fylke.value == ALL else self.fylke.value
        self.tool_table.value = f"<h3>Verktøy, versjon og bruk ({esc(where)})</h3>" + html_table(
            shown, numeric=("Legekontorer", "Andel")
        )
        fylker = self.fylke_frame()
        self.fylke_table.value = "<h3>Legekontorer per fylke og verktøy</h3>" + html_table(
            fylker, numeric=tuple(fylker.columns[1:])
        )

    # --- history ------------------------------------------------------------------------------

    def history_rows(self) -> list[tuple[str, str, str]]:
        """(when, who, what) of the catalogue's changes, newest first."""
        with self.access.factory() as session:
            events = catalog_events(session)
            names = display_names(session, (e.actor for e in events))
        return [(oslo_time(e.at), names.get(e.actor, e.actor), self.describe(e)) for e in events]

    def describe(self, event: AuditEvent) -> str:
        before, after = loads(event.before), loads(event.after)
        if event.entity == ROLLOUT and isinstance(before, dict) and isinstance(after, dict):
            offices = len(before.get("offices") or [])
            return (
                f"Utrulling for {an.service_name(event.key)}: {offices} legekontorer fra "
                f"«{self.labels.get(before['tool'], before['tool'])}» til "
                f"«{self.labels.get(after['tool'], after['tool'])}»"
            )
        name = self.labels.get(event.key, event.key)
        version = after.get("version") if isinstance(after, dict) else None
        if before is None:
            return f"La til verktøyet «{name}» (versjon {version or '1'})"
        old = before.get("version") if isinstance(before, dict) else None
        return f"Publiserte versjon {version} av «{name}» (før: {old})"

    def render_history(self) -> None:
        rows = self.history_rows()
        if not rows:
            self.history.value = '<p class="ht-muted">Ingen endringer i katalogen ennå.</p>'
            return
        frame = pd.DataFrame(rows, columns=["Tid", "Hvem", "Hva"])
        self.history.value = "<h3>Endringer i katalogen</h3>" + html_table(frame)

    # --- for nbval ----------------------------------------------------------------------------

    def summary(self) -> str:
        """Stable text of the catalogue and its use, for checked notebook cells."""
        if not self.allowed:
            return self.no_access.text
        lines = [f"Verktøy i katalogen: {len(self.tools)}"]
        for row in self.usage_frame().itertuples():
            lines.append(
                f"  {self.labels[row.tool]}, versjon {row.version} – "
                f"{an.service_name(row.service)}: {row.offices} ({percent(row.share)})"
            )
        lines.append(f"Endringer i katalogen: {len(self.history_rows())}")
        lines.append(f"Skrivetilgang: {'ja' if self.can_write else 'nei'}")
        return "\n".join(lines)

    def print_summary(self) -> None:
        print_for_checks(self.summary())
