"""The analysts' adoption screen (notebooks/adopsjon.ipynb): filters, tables, plots, downloads."""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as w
import pandas as pd
from sqlalchemy import Engine

from helsetilbud import analytics as an
from helsetilbud.access import Identity, national_reader
from helsetilbud.analytics import charts
from helsetilbud.catalog import CATALOG, TRIAGE_SERVICES
from helsetilbud.login import Login, identify
from helsetilbud.ui.common import css_widget, print_for_checks
from helsetilbud.ui.gate import NoAccess
from helsetilbud.ui.report_html import chart_html, download_link, html_table, percent

__all__ = ["ALL", "NONE", "AdoptionView"]

ALL = "__alle__"  # filter value: no filter
NONE = "__ingen__"  # tool filter value: offices with no tool chosen
ONLY_NHN = "Adopsjonsoversikten er bare for analytikere og forvaltere i Norsk helsenett."


class AdoptionView(w.VBox):
    """Which offices use which triage tool, which texts need care, and how it has changed.

    The frames are read once (set-based SQL in `helsetilbud.analytics`); the filters (fylke,
    service, tool) only slice them in memory.
    """

    def __init__(
        self,
        engine: Engine,
        today: date,
        identity: Identity | None = None,
        *,
        require_identity: bool = False,
        login: Login | None = None,
    ) -> None:
        super().__init__()
        self.add_class("ht-adopt")
        self.today = today
        allowed = national_reader(identity) if identity is not None else not require_identity
        if not allowed:
            login = login or Login(identity.login if identity else None, identity)
            why = None if login.identity is None else ONLY_NHN
            self.no_access = NoAccess(login, why)
            self.children = [css_widget(), self.no_access]
            self.allowed = False
            return
        self.allowed = True
        self.tools = an.tool_names(engine)
        self.matrix = an.adoption_matrix(engine)
        self.coverage = an.text_coverage(engine, today)
        self.flags = an.text_flags(engine, today)
        self.trend = an.trends(engine, today)
        fylker = [f for f in CATALOG.fylker if f in set(self.matrix["fylke"])]
        self.fylke = w.Dropdown(
            description="Fylke", options=[("Alle fylker", ALL)] + [(f, f) for f in fylker]
        )
        self.service = w.Dropdown(
            description="Tjeneste",
            options=[("Alle tjenester", ALL)] + [(an.service_name(s), s) for s in TRIAGE_SERVICES],
        )
        self.tool = w.Dropdown(description="Verktøy", options=self._tool_options(ALL))
        self.heading = w.HTML()
        self.adoption_table = w.HTML()
        self.fylke_table = w.HTML()
        self.text_table = w.HTML()
        self.flag_table = w.HTML()
        self.downloads = w.HTML()
        # Charts as <img> of a PNG with alt text: a matplotlib Figure given to display() only
        # prints "<Figure size …>" in Voilà (docs/decisions/0012-charts.md).
        self.adoption_chart = w.HTML()
        self.fylke_chart = w.HTML()
        self.trend_chart = w.HTML()
        self.charts: dict[str, charts.Chart] = {}
        for dropdown in (self.fylke, self.service, self.tool):
            dropdown.style = {"description_width": "70px"}
            dropdown.observe(self._changed, names="value")
        tabs = w.Tab(
            children=[
                w.VBox([self.adoption_table, self.adoption_chart]),
                w.VBox([self.fylke_table, self.fylke_chart]),
                w.VBox([self.text_table, self.flag_table]),
                w.VBox([self.trend_chart]),
            ]
        )
        for i, title in enumerate(("Verktøy", "Fylker", "Tekster", "Utvikling")):
            tabs.set_title(i, title)
        self.children = [
            css_widget(),
            self.heading,
            w.HBox([self.fylke, self.service, self.tool]),
            self.downloads,
            tabs,
        ]
        self._render_trends()
        self.refresh()

    @classmethod
    def from_environment(cls) -> AdoptionView:
        """Database from HELSETILBUD_DB_URL, day from HELSETILBUD_TODAY, and this page view's
        login (`helsetilbud.login`), which must be an analyst's or a forvalter's."""
        from helsetilbud.db import make_engine, make_session_factory

        engine = make_engine()
        login = identify(make_session_factory(engine))
        return cls(engine, an.default_today(), login.identity, require_identity=True, login=login)

    # --- filtering -----------------------------------------------------------------------

    def _tool_options(self, service: str) -> list[tuple[str, str]]:
        used = sorted(
            {t for s in TRIAGE_SERVICES for t in self.matrix[s].dropna()}
            if service == ALL
            else set(self.matrix[service].dropna())
        )
        options = [("Alle verktøy", ALL), (an.NO_TOOL, NONE)]
        return options + [(self.tools.get(t, t), t) for t in used]

    def _changed(self, change: dict) -> None:
        if change["owner"] is self.service:
            self.tool.unobserve(self._changed, names="value")
            self.tool.options = self._tool_options(self.service.value)
            self.tool.value = ALL
            self.tool.observe(self._changed, names="value")
        self.refresh()

    def selected_offices(self) -> pd.DataFrame:
        """The adoption matrix rows the filters keep."""
        rows = self.matrix
        if self.fylke.value != ALL:
            rows = rows[rows["fylke"] == self.fylke.value]
        services = list(TRIAGE_SERVICES) if self.service.value == ALL else [self.service.value]
        if self.tool.value == NONE:
            rows = rows[rows[services].isna().all(axis=1)]
        elif self.tool.value != ALL:
            rows = rows[(rows[services] == self.tool.value).any(axis=1)]
        return rows

    def adoption_frame(self, everything: bool = False) -> pd.DataFrame:
        """service, tool, offices, share for the selected fylke and service (the tool filter
        not applied); with `everything` for all offices and services."""
        rows = self.matrix
        if self.fylke.value != ALL and not everything:
            rows = rows[rows["fylke"] == self.fylke.value]
        services = (
            list(TRIAGE_SERVICES)
            if self.service.value == ALL or everything
            else [self.service.value]
        )
        long = rows.melt(value_vars=services, var_name="service", value_name="tool")
        long["tool"] = long["tool"].astype(object).where(long["tool"].notna(), NONE)
        counts = long.groupby(["service", "tool"], sort=False).size().rename("offices")
        frame = counts.reset_index()
        frame["share"] = frame["offices"] / max(len(rows), 1)
        rank = {s: i for i, s in enumerate(TRIAGE_SERVICES)}
        frame["_s"] = frame["service"].map(rank)
        frame["_t"] = frame["tool"].map(lambda t: (1, "") if t == NONE else (0, t))
        frame = frame.sort_values(["_s", "_t"]).drop(columns=["_s", "_t"])
        frame["tool"] = pd.Series(
            [None if t == NONE else t for t in frame["tool"]], index=frame.index, dtype=object
        )
        return frame.reset_index(drop=True)

    def fylke_frame(self) -> pd.DataFrame:
        """Per fylke: offices and the share using the selected tool (or any tool)."""
        services = list(TRIAGE_SERVICES) if self.service.value == ALL else [self.service.value]
        chosen = self.matrix[services]
        if self.tool.value == ALL:
            hit = chosen.notna().any(axis=1)
        elif self.tool.value == NONE:
            hit = chosen.isna().all(axis=1)
        else:
            hit = (chosen == self.tool.value).any(axis=1)
        grouped = self.matrix.assign(hit=hit).groupby("fylke")["hit"].agg(["size", "sum"])
        grouped = grouped.reindex([f for f in CATALOG.fylker if f in grouped.index])
        return pd.DataFrame(
            {
                "fylke": grouped.index,
                "offices": grouped["size"].astype("int64").to_numpy(),
                "matching": grouped["sum"].astype("int64").to_numpy(),
                "share": (grouped["sum"] / grouped["size"]).to_numpy(),
            }
        )

    # --- rendering -----------------------------------------------------------------------

    def _what(self) -> str:
        service = "alle tjenester" if self.service.value == ALL else self.service.label
        tool = {ALL: "et verktøy", NONE: "ingen verktøy"}.get(self.tool.value, self.tool.label)
        return f"{tool} ({service})"

    def refresh(self) -> None:
        if not self.allowed:
            return
        selected = self.selected_offices()
        where = "hele landet" if self.fylke.value == ALL else self.fylke.value
        self.heading.value = (
            f"<h2>Triageringsverktøy og tekster</h2><p>{len(selected)} av {len(self.matrix)} "
            f"legekontorer valgt ({html.escape(where)}), per {self.today:%d.%m.%Y}.</p>"
        )
        adoption = self.adoption_frame()
        shown = an.labelled(adoption, self.tools)
        shown["Andel"] = adoption["share"].map(percent)
        self.adoption_table.value = html_table(shown, numeric=("Legekontorer", "Andel"))
        fylker = self.fylke_frame()
        table = fylker.rename(
            columns={
                "fylke": "Fylke",
                "offices": "Legekontorer",
                "matching": f"Med {self._what()}",
                "share": "Andel",
            }
        )
        table["Andel"] = fylker["share"].map(percent)
        self.fylke_table.value = html_table(table, numeric=tuple(table.columns[1:]))
        self._render_texts(selected)
        self._render_charts(adoption, fylker)
        self._render_downloads(selected)

    def _render_texts(self, selected: pd.DataFrame) -> None:
        coverage = an.labelled(self.coverage.drop(columns=["offices"]))
        coverage["Andel"] = self.coverage["share"].map(percent)
        for column in ("Korteste", "Median lengde", "90-persentil", "Lengste"):
            coverage[column] = coverage[column].map(
                lambda v: "–" if pd.isna(v) else f"{v:g}".replace(".", ",")
            )
        flags = self.flags[self.flags["her_id"].isin(set(selected["her_id"]))]
        counts = flags.groupby("flag").size().reindex(list(an.FLAGS), fill_value=0)
        summary = pd.DataFrame(
            {"Merknad": [an.FLAG_LABELS[f] for f in counts.index], "Tekster": counts.to_numpy()}
        )
        listed = flags[flags["flag"] != "empty"].head(200)
        self.text_table.value = (
            "<h3>Tekstdekning per område (hele landet)</h3>"
            + html_table(coverage, numeric=tuple(coverage.columns[1:]))
            + "<h3>Merknader for de valgte legekontorene</h3>"
            + html_table(summary, numeric=("Tekster",))
        )
        self.flag_table.value = (
            f'<h3>Tekster å se på</h3><p class="ht-muted">Viser {len(listed)} av '
            f"{int((flags['flag'] != 'empty').sum())} merknader (tomme tekster er ikke listet).</p>"
            + html_table(an.labelled(listed))
        )

    def download_frame(self, selected: pd.DataFrame | None = None) -> pd.DataFrame:
        """The selected offices with Norwegian headers and tool names, for Excel and CSV."""
        rows = self.selected_offices() if selected is None else selected
        out = pd.DataFrame(
            {"HER-id": rows["her_id"], "Legekontor": rows["name"], "Fylke": rows["fylke"]}
        )
        for service in TRIAGE_SERVICES:
            out[an.service_name(service)] = rows[service].map(
                lambda t: an.NO_TOOL if t is None or pd.isna(t) else self.tools.get(t, t)
            )
        return out.reset_index(drop=True)

    def _render_downloads(self, selected: pd.DataFrame) -> None:
        frame = self.download_frame(selected)
        name = f"adopsjon-{self.today:%Y-%m-%d}"
        shown = [self.charts[k] for k in ("adoption", "fylker", "trends") if k in self.charts]
        xlsx = an.to_xlsx_bytes(frame, sheet="Legekontorer", charts=shown)
        csv = an.neutralised(frame).to_csv(index=False, sep=";").encode("utf-8-sig")
        self.downloads.value = (
            "<p>"
            + download_link(
                xlsx,
                f"{name}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "Last ned Excel",
            )
            + download_link(csv, f"{name}.csv", "text/csv", "Last ned CSV")
            + f'<span class="ht-muted">{len(frame)} legekontorer med verktøyvalgene</span></p>'
        )

    def _render_charts(self, adoption: pd.DataFrame, fylker: pd.DataFrame) -> None:
        """The two filtered charts; each tab's table above it is the table the chart draws."""
        self.charts["adoption"] = charts.adoption_chart(adoption, self.tools)
        self.charts["fylker"] = charts.fylke_chart(fylker, self._what())
        self.adoption_chart.value = chart_html(self.charts["adoption"], table=False)
        self.fylke_chart.value = chart_html(self.charts["fylker"], table=False)

    def _render_trends(self) -> None:
        """The trend chart (all offices, not filtered) with its table."""
        self.charts["trends"] = charts.trend_chart(self.trend)
        self.trend_chart.value = chart_html(self.charts["trends"])

    # --- for nbval ----------------------------------------------------------------------

    def print_summary(self) -> None:
        print_for_checks(self.summary())

    def summary(self) -> str:
        """Stable text of the key figures (counts and rounded shares), for checked cells."""
        if not self.allowed:
            return self.no_access.text
        lines = [f"Legekontorer: {len(self.matrix)}", "Verktøy i bruk:"]
        for row in self.adoption_frame(everything=True).itertuples():
            name = an.NO_TOOL if row.tool is None else self.tools.get(row.tool, row.tool)
            lines.append(
                f"  {an.service_name(row.service)} – {name}: {row.offices} ({percent(row.share)})"
            )
        lines.append("Tekster med innhold:")
        for row in self.coverage.itertuples():
            lines.append(f"  {an.area_name(row.area)}: {row.with_text} ({percent(row.share)})")
        counts = self.flags.groupby("flag").size()
        lines.append("Merknader:")
        for flag in an.FLAGS:
            lines.append(f"  {an.FLAG_LABELS[flag]}: {int(counts.get(flag, 0))}")
        last = self.trend[self.trend["month"] == self.trend["month"].max()]
        changes = int(last.loc[last["measure"] == "text_changes", "value"].sum())
        lines.append(f"Tekstendringer i {last['month'].iloc[0]}: {changes}")
        return "\n".join(lines)
