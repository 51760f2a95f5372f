"""The editor: header, office picker, the four tabs and the patient preview beside them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import ipywidgets as w

from helsetilbud.access import Identity, editable_offices, readable_offices
from helsetilbud.db import SessionFactory
from helsetilbud.kernel_priority import usual_share
from helsetilbud.login import Login, awaiting_request, demo_allowed, identify, request_arrived
from helsetilbud.ui.batched import opened_at_end
from helsetilbud.ui.common import (
    ROLE_NAMES,
    OfficeModel,
    css_widget,
    esc,
    html_box,
    print_for_checks,
    shared_layout,
    vbox,
)
from helsetilbud.ui.gate import NoAccess
from helsetilbud.ui.identity import DemoSwitch, first_demo_identity
from helsetilbud.ui.info_cards import InfoCardsTab
from helsetilbud.ui.preview_panel import PreviewPanel
from helsetilbud.ui.warm_up import warm_up

PRODUCT = "Helsetilbud"
TAB_TITLES = ("INFOMELDINGER", "TRIAGERINGSVERKTØY", "TJENESTER", "HISTORIKK")
NO_OFFICES = "Du har ikke tilgang til noe legekontor. En fastlege ved kontoret kan gi deg tilgang."
READ_ONLY = "Du har bare lesetilgang til dette kontoret. Ingenting kan endres her."
COMBOBOX_FROM = 30
PENDING = "Henter innloggingen din og legekontoret …"
LOGIN_FAILED = "Innloggingen kunne ikke leses. Last inn siden på nytt."


def header_html(who: str = "") -> str:
    """The product's name, and who is logged in once that is known."""
    name = f'<span style="font-size:22px"><b>{PRODUCT}</b></span>'
    return f"{name} &nbsp; {who}" if who else name


def _columns(editor: w.Widget, preview: w.Widget) -> w.Box:
    """The editor and the preview side by side; below 900 px the preview goes under it
    (editor.css)."""
    left, right = w.Box([editor], layout=shared_layout()), w.Box([preview], layout=shared_layout())
    left.add_class("ht-col-edit")
    right.add_class("ht-col-preview")
    row = w.Box([left, right], layout=shared_layout())
    row.add_class("ht-columns")
    return row


class OfficeEditor(w.VBox):
    """One office: the tabs (built on first view) beside the patient preview."""

    def __init__(self, model: OfficeModel) -> None:
        super().__init__(layout=shared_layout())
        self.model = model
        self.add_class("ht-office-editor")
        self.cards = InfoCardsTab(model)
        self._builders: list[Callable[[], w.Widget]] = [
            lambda: self.cards,
            self._triage,
            self._services,
            self._history,
        ]
        self.built: dict[int, w.Widget] = {0: self.cards}
        self.slots = [vbox([self.cards])] + [vbox() for _ in TAB_TITLES[1:]]
        self.tabs = w.Tab(
            children=self.slots, titles=TAB_TITLES, selected_index=0, layout=shared_layout()
        )
        self.tabs.add_class("ht-tabs")
        self.tabs.observe(lambda c: self.tab(c["new"]), names="selected_index")
        self.preview = PreviewPanel(model)
        banner: list[w.Widget] = []
        if not model.can_edit:
            banner.append(
                html_box(f'<div class="ht-notice">{esc(READ_ONLY)}</div>', "ht-read-only")
            )
        self.children = [
            *banner,
            _columns(self.tabs, self.preview),
        ]

    def _triage(self) -> w.Widget:
        from helsetilbud.ui.triage_table import TriageTab

        return TriageTab(self.model)

    def _services(self) -> w.Widget:
        from helsetilbud.ui.services_tab import ServicesTab

        return ServicesTab(self.model)

    def _history(self) -> w.Widget:
        from helsetilbud.ui.history_tab import HistoryTab

        return HistoryTab(self.model)

    def tab(self, index: int | None) -> w.Widget | None:
        """The tab at `index`, built now if this is its first view."""
        if index is None:
            return None
        if index == 2 and self.preview.page.value != "forside":
            self.preview.page.value = "forside"  # the services show on the front page
        if index not in self.built:
            with opened_at_end():
                self.built[index] = self._builders[index]()
            self.slots[index].children = [self.built[index]]
        return self.built[index]


class EditorApp(w.VBox):
    """The dashboard GPs and office staff use to edit their office on Helsenorge."""

    def __init__(
        self,
        factory: SessionFactory,
        identity: Identity | None,
        *,
        demo: bool = False,
        login: Login | None = None,
        pending: bool = False,
    ) -> None:
        super().__init__(layout=shared_layout())
        self.factory, self.identity = factory, identity
        self.login = login or Login(identity.login if identity else None, identity)
        self.add_class("ht-app")
        self.header = html_box("", "ht-header")
        self.switch = DemoSwitch(factory, identity, self.switch_to) if demo else None
        self.body = vbox()
        self.editor: OfficeEditor | None = None
        self.picker: w.Widget | None = None
        self.offices: list[tuple[str, str]] = []
        self.children = [
            css_widget(preview=True),
            self.header,
            *([self.switch] if self.switch else []),
            self.body,
        ]
        self.arrival: asyncio.Future[None] | None = None
        if pending:  # a preheated kernel: the page view's login comes later (`when_logged_in`)
            self.add_class("ht-pending")
            self.header.value = header_html()
            self.body.children = [html_box(esc(PENDING), "ht-live")]
            return
        self._build()

    @classmethod
    def from_environment(cls) -> EditorApp:
        """Database from HELSETILBUD_DB_URL, identity from this page view's login
        (`helsetilbud.login`)."""
        from helsetilbud.db import make_engine, make_session_factory

        factory = make_session_factory(make_engine())
        if awaiting_request():
            return cls.when_logged_in(factory)
        login, demo = identify(factory), demo_allowed()
        identity = login.identity
        if identity is None and demo:
            identity = first_demo_identity(factory)
        return cls(factory, identity, demo=demo, login=login)

    @classmethod
    def when_logged_in(cls, factory: SessionFactory) -> EditorApp:
        """For a preheated kernel: the app's frame now, so the notebook finishes and its page
        can be sent the moment a page view claims the kernel; the editor is built when that
        page view's login arrives (`helsetilbud.login.request_arrived`)."""
        warm_up(factory)  # the database connection too; a failure is told once the view arrives
        usual_share()  # warmed up: the usual share of the CPU again (decision 0027)
        app = cls(factory, None, pending=True)
        app.arrival = asyncio.ensure_future(app._arrive())
        return app

    async def _arrive(self) -> None:
        try:
            await request_arrived()
            login = identify(self.factory)
        except Exception:  # noqa: BLE001 - the page must not stay on «Henter …» forever
            login = Login(None, None, LOGIN_FAILED)
        self.login, self.identity = login, login.identity
        self._build()
        self.remove_class("ht-pending")

    def switch_to(self, identity: Identity | None) -> None:
        self.identity = identity
        self.login = Login(identity.login if identity else None, identity)
        self._build()

    def _build(self) -> None:
        with opened_at_end():
            self._build_now()

    def _build_now(self) -> None:
        self.editor, self.picker = None, None
        i = self.identity
        who = (
            f"Innlogget: <b>{esc(i.display_name)}</b> ({esc(ROLE_NAMES.get(i.role, i.role))})"
            if i
            else "Ikke innlogget"
        )
        self.header.value = header_html(who)
        if i is None:
            self.body.children = [NoAccess(self.login)]
            return
        with self.factory() as session:
            edit = editable_offices(session, i)
            offices = edit if i.role in ("fastlege", "kontorstab") else readable_offices(session, i)
            self.offices = [(o.name, o.her_id) for o in offices]
        if not self.offices:
            self.body.children = [
                html_box(f'<p class="ht-notice">{NO_OFFICES}</p>', "ht-no-offices")
            ]
            return
        if len(self.offices) == 1:
            name, her_id = self.offices[0]
            label = html_box(f"<b>Virksomhet:</b> {esc(name)}, HER-id {esc(her_id)}", "ht-office")
            self.body.children = [label]
            self.open_office(her_id)
            return
        self.picker = self._picker()
        self.body.children = [self.picker]

    def _picker(self) -> w.Widget:
        labels = {f"{name}, HER-id {her_id}": her_id for name, her_id in self.offices}
        if len(labels) >= COMBOBOX_FROM:
            picker: w.Widget = w.Combobox(
                options=list(labels), placeholder="Skriv navn eller HER-id", ensure_option=True
            )
            picker.observe(
                lambda c: c["new"] in labels and self.open_office(labels[c["new"]]), names="value"
            )
        else:
            picker = w.Dropdown(options=[("Velg …", None), *((k, v) for k, v in labels.items())])
            picker.observe(lambda c: c["new"] and self.open_office(c["new"]), names="value")
        picker.description = "Velg virksomhet"
        picker.style = {"description_width": "initial"}
        picker.add_class("ht-office-picker")
        return picker

    def open_office(self, her_id: str) -> OfficeEditor:
        """Show the editor for one office (the picker stays above it)."""
        model = OfficeModel(self.factory, self.identity, her_id)
        with opened_at_end():
            self.editor = OfficeEditor(model)
        self.body.children = [*self.body.children[:1], self.editor]
        return self.editor

    @property
    def model(self) -> OfficeModel | None:
        return self.editor.model if self.editor else None

    def print_summary(self) -> None:
        """Print `summary()` for notebook checks (nbval); silent when served by Voilà."""
        print_for_checks(self.summary())

    def summary(self) -> str:
        """A stable one-paragraph account of what is shown (for notebook checks)."""
        i = self.identity
        if i is None:
            return NoAccess(self.login).text
        lines = [f"Innlogget: {i.display_name} ({ROLE_NAMES.get(i.role, i.role)})"]
        if self.editor is None:
            lines.append(f"Virksomheter å velge mellom: {len(self.offices)}")
        else:
            snap = self.editor.model.snapshot
            lines.append(f"Virksomhet: {snap.name}, HER-id {snap.her_id}")
            lines.append(f"Kort: {len(self.editor.cards.cards)}")
            lines.append(f"Kan redigere: {'ja' if self.editor.model.can_edit else 'nei'}")
        return "\n".join(lines)
