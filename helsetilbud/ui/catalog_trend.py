"""The catalogue's «Utvikling» tab: offices per tool version over time, and who went back.

For following a roll-out: per month, how many offices use each tool and which version it
had, how many moved to a tool, and which offices later chose the tool they had before
(`analytics.tool_versions`). Read only, for forvaltere and analysts alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import ipywidgets as w
import pandas as pd
from sqlalchemy import Engine

from helsetilbud import analytics as an
from helsetilbud.analytics import charts
from helsetilbud.analytics.tool_versions import tool_returns, tool_version_adoption
from helsetilbud.catalog import TRIAGE_SERVICES
from helsetilbud.ui.common import esc, oslo_time
from helsetilbud.ui.report_html import chart_html, html_table

ALL = "__alle__"
DEFAULT_SERVICE = "e_konsultasjon"


class VersionTrendPanel(w.VBox):
    """A service choice, the chart of tool versions over time (with its table) and the list
    of offices that went back."""

    def __init__(self, engine: Engine, today: date, labels: Mapping[str, str]) -> None:
        super().__init__()
        self.add_class("ht-cat-trend")
        self.engine = engine
        self.today = today
        self.labels = labels
        self.service = w.Dropdown(
            description="Tjeneste",
            options=[(an.service_name(s), s) for s in TRIAGE_SERVICES] + [("Alle tjenester", ALL)],
            value=DEFAULT_SERVICE,
            style={"description_width": "70px"},
        )
        self.service.observe(lambda _: self.render(), names="value")
        self.intro = w.HTML(
            "<p class='ht-muted'>Hvor mange legekontorer som bruker hvert verktøy ved utgangen "
            "av hver måned, med versjonen verktøyet hadde da, hvor mange som byttet, og hvilke "
            "legekontorer som selv gikk tilbake til verktøyet de hadde før. Utrullingens egne "
            "bytter teller aldri som å gå tilbake.</p>"
        )
        self.chart_box = w.HTML()
        self.returns_box = w.HTML()
        self.chart: charts.Chart | None = None
        self.children = [self.service, self.intro, self.chart_box, self.returns_box]

    def _chosen(self) -> str | None:
        return None if self.service.value == ALL else self.service.value

    def _what(self) -> str:
        chosen = self._chosen()
        return "alle tjenester" if chosen is None else an.service_name(chosen)

    def frame(self) -> pd.DataFrame:
        """`tool_version_adoption` for the chosen service (all services: distinct offices)."""
        return tool_version_adoption(self.engine, self.today, self._chosen())

    def returns_frame(self) -> pd.DataFrame:
        """The offices that went back, newest first, with Norwegian headers."""
        back = tool_returns(self.engine, self._chosen())
        return pd.DataFrame(
            {
                "Tid": [oslo_time(t.to_pydatetime()) for t in back["at"]],
                "HER-id": list(back["her_id"]),
                "Legekontor": list(back["name"]),
                "Tjeneste": [an.service_name(s) for s in back["service"]],
                "Gikk fra": [self.labels.get(t, t) for t in back["left"]],
                "Tilbake til": [self.labels.get(t, t) for t in back["back_to"]],
                "Hadde byttet": [
                    "" if pd.isna(t) else oslo_time(t.to_pydatetime()) for t in back["since"]
                ],
            }
        )

    def render(self) -> None:
        """Draw the chart and the list for the chosen service again (also after a write)."""
        self.chart = charts.tool_version_chart(self.frame(), self.labels, self._what())
        self.chart_box.value = f"<h3>{esc(self.chart.title)}</h3>" + chart_html(self.chart)
        back = self.returns_frame()
        heading = f"<h3>Legekontorer som gikk tilbake ({esc(self._what())})</h3>"
        if back.empty:
            self.returns_box.value = (
                heading + "<p class='ht-muted'>Ingen legekontorer har gått tilbake til "
                "verktøyet de hadde før.</p>"
            )
        else:
            self.returns_box.value = heading + html_table(back)
