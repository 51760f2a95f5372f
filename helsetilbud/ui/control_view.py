"""NHN's check after a change of rules or catalogue (notebooks/kontroll.ipynb)."""

from __future__ import annotations

from datetime import date

import ipywidgets as w
from sqlalchemy import Engine

from helsetilbud.access import national_reader
from helsetilbud.analytics import RegressionResult, default_today, regression_check
from helsetilbud.login import Login, identify
from helsetilbud.ui.common import css_widget, esc, print_for_checks
from helsetilbud.ui.gate import Denied

ONLY_NHN = "Kontrollen er bare for analytikere og forvaltere i Norsk helsenett."


class ControlView(w.VBox):
    """Every office against today's rules and catalogue: the failures, and how many pass."""

    def __init__(self, engine: Engine, today: date, *, limit: int = 200) -> None:
        super().__init__()
        self.add_class("ht-control")
        self.result: RegressionResult = regression_check(engine, today)
        self.limit = limit
        self.children = [
            css_widget(),
            w.HTML(f'<p role="status"><b>{esc(self.result.summary)}</b></p>'),
            w.HTML(f'<pre style="white-space:pre-wrap">{esc(self.failures_text())}</pre>'),
        ]

    @classmethod
    def from_environment(cls) -> ControlView | Denied:
        """Database from HELSETILBUD_DB_URL; only for an analyst's or a forvalter's login."""
        from helsetilbud.db import make_engine, make_session_factory

        engine = make_engine()
        login: Login = identify(make_session_factory(engine))
        if not national_reader(login.identity):
            return Denied(login, ONLY_NHN if login.identity is not None else None)
        return cls(engine, default_today())

    def failures_text(self) -> str:
        return self.result.failures_text(limit=self.limit)

    def summary(self) -> str:
        return self.result.summary

    def print_summary(self) -> None:
        """The failures and the closing line, for notebook checks; silent in Voilà."""
        print_for_checks(f"{self.failures_text()}\n{self.summary()}")
