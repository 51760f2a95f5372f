"""The forvalter's three writes in the catalogue view: publish a version, add a tool, roll out.

Each panel calls one `helsetilbud.tool_catalog` command in one transaction; the command checks
the forvalter's right against the database (`access.require_catalog_admin`) at every write,
so a disabled button is only a courtesy. Files are checked as `helsetilbud form check` checks
them, and nothing is written until the button is pressed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
import pandas as pd

from helsetilbud.access import Identity
from helsetilbud.analytics import service_name
from helsetilbud.audit import display_names
from helsetilbud.catalog import CATALOG, TRIAGE_SERVICES
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.errors import AccessDenied, HelsetilbudError
from helsetilbud.forms_report import questionnaire_lines
from helsetilbud.json_input import decode
from helsetilbud.model import TriageTool
from helsetilbud.preview import render_form
from helsetilbud.tool_catalog import (
    add_tool,
    check_questionnaire,
    preview_publish,
    publish_version,
    slug_for,
    tool_versions,
)
from helsetilbud.tool_diff import diff_questionnaires
from helsetilbud.ui.common import esc, message_of, oslo_time, status_box
from helsetilbud.ui.report_html import html_table

READ_ONLY = "Du har bare lesetilgang: bare forvaltere i Norsk helsenett kan endre katalogen."
NOT_LOGGED_IN = "Du er ikke logget inn, og kan ikke endre katalogen."


@dataclass
class CatalogAccess:
    """Who the view acts as; `write` runs one catalogue command as them in one transaction."""

    factory: SessionFactory
    identity: Identity | None
    can_write: bool
    changed: Callable[[], None]

    def write(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self.identity is None:
            raise AccessDenied(NOT_LOGGED_IN)
        with transaction(self.factory) as session:
            result = command(session, self.identity, *args, **kwargs)
        self.changed()
        return result


def status_html(message: str, *, ok: bool) -> str:
    """A message for a panel's status box, itself a polite live region (ui.common.status_box);
    an error is also an alert."""
    if ok:
        return f'<p class="ht-ok">{esc(message)}</p>'
    return f'<p class="ht-error" role="alert">{esc(message)}</p>'


def uploaded(upload: w.FileUpload) -> tuple[str, bytes] | None:
    """The name and bytes of the file chosen in `upload`, if any."""
    if not upload.value:
        return None
    first = upload.value[0]
    return str(first.get("name") or "skjema.json"), bytes(first["content"])


def check_html(lines: list[str]) -> str:
    return f'<pre class="ht-check">{esc(chr(10).join(lines))}</pre>'


def side_by_side(left_title: str, left: dict[str, Any], right_title: str, right: dict) -> str:
    """Two versions as the patient sees them, next to each other (pure HTML)."""
    columns = "".join(
        f'<div class="ht-side"><h4>{esc(title)}</h4>{render_form(form, styled=False)}</div>'
        for title, form in ((left_title, left), (right_title, right))
    )
    return f'<div class="ht-side-by-side" aria-label="To versjoner side om side">{columns}</div>'


def diff_html(lines: list[str]) -> str:
    head, rest = lines[0], lines[1:]
    items = "".join(f"<li>{esc(line)}</li>" for line in rest)
    return f'<div class="ht-diff"><p><b>{esc(head)}</b></p><ul>{items}</ul></div>'


def set_options(dropdown: w.Dropdown, options: list[tuple[str, str]]) -> None:
    """New options; the value kept when still offered, else the first option (or None)."""
    keep = dropdown.value
    dropdown.options = options
    values = [value for _, value in options]
    dropdown.value = keep if keep in values else (values[0] if values else None)


def offices_text(count: int) -> str:
    return f"{count} legekontor" if count == 1 else f"{count} legekontorer"


def button(label: str, css: str, *, primary: bool = False) -> w.Button:
    b = w.Button(description=label, button_style="primary" if primary else "")
    b.layout.width = "auto"
    b.add_class("ht-btn")
    b.add_class(css)
    return b


def _upload(css: str) -> w.FileUpload:
    upload = w.FileUpload(accept=".json,application/json", multiple=False, description="Velg fil")
    upload.layout.width = "auto"
    upload.add_class(css)
    return upload


class PublishPanel(w.VBox):
    """A tool's versions, the changes from the previous one, and publishing the next."""

    def __init__(self, access: CatalogAccess, tools: list[tuple[str, str]]) -> None:
        super().__init__()
        self.add_class("ht-cat-publish")
        self.access = access
        self.tool = w.Dropdown(options=tools, description="Verktøy")
        self.tool.style = {"description_width": "70px"}
        self.tool.add_class("ht-cat-publish-tool")
        self.versions = w.HTML()
        self.upload = _upload("ht-cat-publish-upload")
        self.check = w.HTML()
        self.diff = w.HTML()
        self.side = w.HTML()
        self.publish_button = button("Publiser ny versjon", "ht-cat-publish-save", primary=True)
        self.status = status_box()
        self.pending: str | None = None
        self.tool.observe(lambda _: self.show_tool(), names="value")
        self.upload.observe(lambda _: self._file_chosen(), names="value")
        self.publish_button.on_click(lambda _: self.publish())
        self.children = [
            self.tool,
            self.versions,
            w.HTML(
                "<h4>Ny versjon</h4><p>Velg et FHIR-skjema (Questionnaire, JSON). Det "
                "kontrolleres som med «helsetilbud form check», og du ser endringene før "
                "du publiserer.</p>"
            ),  # fmt: skip
            self.upload,
            self.check,
            self.publish_button,
            self.status,
            self.diff,
            self.side,
        ]
        self.show_tool()

    def show_tool(self) -> None:
        """The selected tool's versions, and what its newest version changed."""
        self.pending = None
        self.check.value = ""
        self.publish_button.disabled = True
        if self.tool.value is None:
            return
        with self.access.factory() as session:
            versions = tool_versions(session, self.tool.value)
            names = display_names(session, (v.published_by for v in versions))
        rows = pd.DataFrame(
            {
                "Versjon": [v.version for v in versions],
                "Tittel": [v.title for v in versions],
                "Publisert": [oslo_time(v.published_at) or "fra katalogen" for v in versions],
                "Av": [names.get(v.published_by or "", v.published_by or "–") for v in versions],
            }
        )
        self.versions.value = (
            f"<p>Legekontorene bruker versjon <b>{esc(versions[-1].version)}</b>.</p>"
            + html_table(rows)
        )
        kept = [v for v in versions if v.questionnaire is not None]
        if len(versions) >= 2 and len(kept) >= 2 and kept[-1] is versions[-1]:
            old, new = kept[-2], kept[-1]
            old_q = check_questionnaire(old.questionnaire)  # type: ignore[arg-type]
            new_q = check_questionnaire(new.questionnaire)  # type: ignore[arg-type]
            old_q.version, new_q.version = old.version, new.version
            self.diff.value = "<h4>Endringer fra forrige versjon</h4>" + diff_html(
                diff_questionnaires(old_q, new_q).lines()
            )
            self.side.value = side_by_side(
                f"Versjon {old.version} (forrige)", old.questionnaire,  # type: ignore[arg-type]
                f"Versjon {new.version} (i bruk)", new.questionnaire,  # type: ignore[arg-type]
            )  # fmt: skip
        else:
            self.diff.value = '<p class="ht-muted">Ingen tidligere versjon å sammenligne med.</p>'
            self.side.value = ""

    def _file_chosen(self) -> None:
        chosen = uploaded(self.upload)
        if chosen is not None:
            self.load_file(*chosen)

    def load_file(self, name: str, data: bytes) -> None:
        """Check the file and show what publishing it would change; writes nothing."""
        self.pending = None
        self.publish_button.disabled = True
        self.status.value = ""
        try:
            text = decode(data)
            form = check_questionnaire(text)
            with self.access.factory() as session:
                diff = preview_publish(session, self.tool.value, text)
                current = json.loads(session.get(TriageTool, self.tool.value).questionnaire)
        except HelsetilbudError as exc:
            self.check.value = status_html(f"«{name}» kan ikke brukes: {exc.message}", ok=False)
            self.diff.value = self.side.value = ""
            return
        self.check.value = check_html(questionnaire_lines(form))
        self.diff.value = "<h4>Endringer hvis du publiserer</h4>" + diff_html(diff.lines())
        self.side.value = side_by_side(
            f"Versjon {diff.old_version} (i bruk)", current,
            f"Versjon {diff.new_version} (ny)", form.source,
        )  # fmt: skip
        self.pending = text
        self.publish_button.disabled = not self.access.can_write
        if not self.access.can_write:
            self.status.value = status_html(READ_ONLY, ok=False)

    def publish(self) -> None:
        if self.pending is None:
            self.status.value = status_html("Velg først en fil med den nye versjonen.", ok=False)
            return
        tool_id, text = self.tool.value, self.pending
        try:
            tool = self.access.write(publish_version, tool_id, text)
        except HelsetilbudError as exc:
            self.status.value = status_html(f"Ingen ny versjon: {message_of(exc)}", ok=False)
            return
        self.upload.value = ()
        self.tool.value = tool_id
        self.show_tool()
        self.status.value = status_html(
            f"Publiserte versjon {tool.questionnaire_version} av «{tool.label}». "
            "Legekontorene som bruker verktøyet, får den nå.",
            ok=True,
        )


class AddPanel(w.VBox):
    """A Questionnaire file as a new tool: checked first, added with kind and services."""

    def __init__(self, access: CatalogAccess) -> None:
        super().__init__()
        self.add_class("ht-cat-add")
        self.access = access
        self.upload = _upload("ht-cat-add-upload")
        self.kind = w.Dropdown(
            options=[(name, slug) for slug, name in CATALOG.tool_kinds.items()], description="Type"
        )
        self.services = [
            w.Checkbox(value=False, description=service_name(s), indent=False)
            for s in TRIAGE_SERVICES
        ]
        self.tool_id = w.Text(description="Id", placeholder="lages fra tittelen")
        self.description = w.Text(description="Beskrivelse")
        for widget in (self.kind, self.tool_id, self.description):
            widget.style = {"description_width": "90px"}
        self.check = w.HTML()
        self.add_button = button("Legg til verktøy", "ht-cat-add-save", primary=True)
        self.status = status_box()
        self.pending: str | None = None
        self.upload.observe(lambda _: self._file_chosen(), names="value")
        self.add_button.on_click(lambda _: self.add())
        self.add_button.disabled = True
        self.children = [
            w.HTML(
                "<p>Legg til et skjema laget i for eksempel structor (Questionnaire, JSON) "
                "som et nytt triageringsverktøy.</p>"
            ),  # fmt: skip
            self.upload,
            self.check,
            self.kind,
            w.HTML("<b>Kan brukes for</b>"),
            w.GridBox(
                self.services,
                layout=w.Layout(
                    grid_template_columns="repeat(auto-fill, minmax(min(20rem, 100%), 1fr))"
                ),
            ),
            self.tool_id,
            self.description,
            self.add_button,
            self.status,
        ]

    def chosen_services(self) -> list[str]:
        return [s for s, box in zip(TRIAGE_SERVICES, self.services, strict=True) if box.value]

    def _file_chosen(self) -> None:
        chosen = uploaded(self.upload)
        if chosen is not None:
            self.load_file(*chosen)

    def load_file(self, name: str, data: bytes) -> None:
        self.pending = None
        self.add_button.disabled = True
        self.status.value = ""
        try:
            text = decode(data)
            form = check_questionnaire(text)
        except HelsetilbudError as exc:
            self.check.value = status_html(f"«{name}» kan ikke brukes: {exc.message}", ok=False)
            return
        self.check.value = check_html(questionnaire_lines(form)) + render_form(
            form.source, styled=False
        )
        self.tool_id.placeholder = slug_for(form.title)
        self.pending = text
        self.add_button.disabled = not self.access.can_write
        if not self.access.can_write:
            self.status.value = status_html(READ_ONLY, ok=False)

    def add(self) -> None:
        if self.pending is None:
            self.status.value = status_html("Velg først en skjemafil.", ok=False)
            return
        try:
            tool = self.access.write(
                add_tool,
                self.pending,
                kind=self.kind.value,
                services=self.chosen_services(),
                tool_id=self.tool_id.value.strip() or None,
                description=self.description.value.strip(),
            )
        except HelsetilbudError as exc:
            message = f"Verktøyet ble ikke lagt til: {message_of(exc)}"
            self.status.value = status_html(message, ok=False)
            return
        self.pending = None
        self.upload.value = ()
        self.add_button.disabled = True
        self.status.value = status_html(
            f"La til verktøyet «{tool.label}» med id «{tool.id}».", ok=True
        )
