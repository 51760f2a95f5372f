"""The roll-out in the catalogue view: one tool replaced by another for a service, at every
office that uses it. The dry run lists the offices (with a CSV download) and writes nothing;
applying is `tool_catalog.rollout` for exactly those offices, all or none, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import pandas as pd
from sqlalchemy import select

from helsetilbud.analytics import neutralised, service_name
from helsetilbud.catalog import TRIAGE_SERVICES
from helsetilbud.errors import AccessDenied, HelsetilbudError
from helsetilbud.model import TriageTool
from helsetilbud.tool_catalog import RolloutPlan, allowed_tools, rollout
from helsetilbud.ui.catalog_panels import (
    NOT_LOGGED_IN,
    READ_ONLY,
    CatalogAccess,
    button,
    offices_text,
    set_options,
    status_html,
)
from helsetilbud.ui.common import message_of, status_box
from helsetilbud.ui.report_html import download_link, html_table

__all__ = ["RolloutPanel"]


class RolloutPanel(w.VBox):
    """Replace one tool with another for a service at every office using it: dry run, apply."""

    def __init__(self, access: CatalogAccess, usage: Callable[[], pd.DataFrame]) -> None:
        super().__init__()
        self.add_class("ht-cat-rollout")
        self.access = access
        self.usage = usage  # the adoption matrix: her_id, name, fylke, a column per service
        self.service = w.Dropdown(
            options=[(service_name(s), s) for s in TRIAGE_SERVICES],
            value="e_konsultasjon",
            description="Tjeneste",
        )
        self.from_tool = w.Dropdown(description="Fra verktøy")
        self.to_tool = w.Dropdown(description="Til verktøy")
        named = (("service", self.service), ("from", self.from_tool), ("to", self.to_tool))
        for css, widget in named:
            widget.style = {"description_width": "90px"}
            widget.layout.width = "460px"
            widget.add_class(f"ht-cat-rollout-{css}")
        self.dry_button = button("Prøvekjøring", "ht-cat-rollout-dry")
        self.apply_button = button("Utfør utrullingen", "ht-cat-rollout-apply", primary=True)
        self.result = w.HTML()
        self.status = status_box()
        self.plan: RolloutPlan | None = None
        self.service.observe(lambda _: self.refresh_choices(), names="value")
        self.from_tool.observe(lambda _: self._choice_changed(), names="value")
        self.to_tool.observe(lambda _: self._forget_plan(), names="value")
        self.dry_button.on_click(lambda _: self.dry_run())
        self.apply_button.on_click(lambda _: self.apply())
        self.children = [
            w.HTML(
                "<p>Bytt verktøy for en tjeneste hos alle legekontorene som bruker det. "
                "Prøvekjøringen viser hvilke kontorer som endres; ingenting endres før du "
                "utfører, og da endres alle eller ingen.</p>"
            ),  # fmt: skip
            self.service,
            self.from_tool,
            self.to_tool,
            w.HBox([self.dry_button, self.apply_button]),
            self.status,
            self.result,
        ]
        self.refresh_choices()

    def refresh_choices(self) -> None:
        """From: the tools offices use for the service now (with counts); to: the tools the
        catalogue allows for it."""
        service = self.service.value
        used = self.usage()[service].dropna().value_counts()
        with self.access.factory() as session:
            labels = {t.id: t.label for t in session.scalars(select(TriageTool))}
            allowed = [(t.label, t.id) for t in allowed_tools(session, service)]
        options = [(f"{labels.get(t, t)} ({offices_text(int(n))})", t) for t, n in used.items()]
        set_options(self.from_tool, options)
        self._choice_changed(allowed)

    def _choice_changed(self, allowed: list[tuple[str, str]] | None = None) -> None:
        if allowed is None:
            with self.access.factory() as session:
                allowed = [(t.label, t.id) for t in allowed_tools(session, self.service.value)]
        options = [(label, t) for label, t in allowed if t != self.from_tool.value]
        set_options(self.to_tool, options)
        self._forget_plan()

    def _forget_plan(self) -> None:
        self.plan = None
        self.apply_button.disabled = True
        self.dry_button.disabled = not self.access.can_write
        self.result.value = ""
        if not self.access.can_write:
            self.status.value = status_html(READ_ONLY, ok=False)

    def dry_run(self) -> None:
        """List the offices the roll-out would change, with a CSV download; writes nothing."""
        self._forget_plan()
        if self.from_tool.value is None or self.to_tool.value is None:
            self.status.value = status_html("Velg både fra-verktøy og til-verktøy.", ok=False)
            return
        try:
            if self.access.identity is None:
                raise AccessDenied(NOT_LOGGED_IN)
            with self.access.factory() as session:
                plan = rollout(
                    session, self.access.identity, self.service.value,
                    self.from_tool.value, self.to_tool.value,
                )  # fmt: skip
        except HelsetilbudError as exc:
            self.status.value = status_html(message_of(exc), ok=False)
            return
        self.plan = plan
        self.result.value = self._offices_html(plan)
        self.apply_button.disabled = not plan.offices
        self.status.value = status_html(
            f"Prøvekjøring: {offices_text(len(plan.offices))} ville fått «{self.to_tool.label}» "
            f"i stedet for «{self._from_name()}». Ingenting er endret.",
            ok=True,
        )

    def apply(self) -> None:
        """The dry run's change, for exactly its offices, as one transaction."""
        plan = self.plan
        if plan is None:
            self.status.value = status_html("Kjør prøvekjøringen først.", ok=False)
            return
        from_name, to_name = self._from_name(), self.to_tool.label
        try:
            done = self.access.write(
                rollout, plan.service, plan.from_tool, plan.to_tool,
                apply=True, expected=tuple(h for h, _ in plan.offices),
            )  # fmt: skip
        except HelsetilbudError as exc:
            self.status.value = status_html(message_of(exc), ok=False)
            self.apply_button.disabled = True
            return
        self.refresh_choices()
        self.status.value = status_html(
            f"Utført: {offices_text(len(done.offices))} bruker nå «{to_name}» i stedet for "
            f"«{from_name}» for {service_name(done.service)}.",
            ok=True,
        )

    def _from_name(self) -> str:
        label = self.from_tool.label or ""
        return (
            label.rsplit(" (", 1)[0] if label.endswith(("legekontor)", "legekontorer)")) else label
        )

    def office_frame(self, plan: RolloutPlan) -> pd.DataFrame:
        fylker = dict(zip(self.usage()["her_id"], self.usage()["fylke"], strict=True))
        return pd.DataFrame(
            {
                "HER-id": [h for h, _ in plan.offices],
                "Legekontor": [n for _, n in plan.offices],
                "Fylke": [fylker.get(h, "") for h, _ in plan.offices],
            }
        )

    def _offices_html(self, plan: RolloutPlan) -> str:
        frame = self.office_frame(plan)
        csv = neutralised(frame).to_csv(index=False, sep=";").encode("utf-8-sig")
        name = f"utrulling-{plan.service}-{plan.from_tool}-til-{plan.to_tool}.csv"
        link = download_link(csv, name, "text/csv", "Last ned listen (CSV)")
        shown = frame.head(200)
        more = ""
        if len(frame) > len(shown):
            more = f"<p class='ht-muted'>Viser {len(shown)} av {len(frame)}.</p>"
        return f"<p>{link}</p>{html_table(shown)}{more}"
