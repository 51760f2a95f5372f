"""The forvalter's catalogue screen, driven without a browser on the small country."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.model import Office, ToolAssignment, TriageTool, User
from helsetilbud.ui.catalog_view import CatalogView
from tests.builders import SmallCountry
from tests.integration.db_state import dump_database as dump

REPO = Path(__file__).resolve().parents[2]
TOOL = "beskriv-symptomene-dine"


def _view(engine: Engine, factory: SessionFactory, login: str) -> CatalogView:
    with factory() as s:
        return CatalogView(engine, load_identity(s, login))


def _new_version() -> bytes:
    form = json.loads((REPO / f"data/questionnaires/{TOOL}.json").read_text("utf-8"))
    form["version"] = "1.1.0"
    form["item"][0]["text"] = "Hva gjelder henvendelsen din?"
    return json.dumps(form, ensure_ascii=False).encode()


def _upload(widget, data: bytes, name: str = "ny.json") -> None:  # type: ignore[no-untyped-def]
    widget.value = ({"name": name, "type": "application/json", "size": len(data),
                     "content": memoryview(data), "last_modified": datetime.now(UTC)},)  # fmt: skip


@pytest.fixture
def on_old_form(factory: SessionFactory, country: SmallCountry) -> SmallCountry:
    """Office A uses standard-sjekkpunkt for e-konsultasjon; B uses none."""
    with transaction(factory) as s:
        a = s.scalar(select(Office).where(Office.her_id == country.office_a))
        row = s.scalar(select(ToolAssignment).filter_by(office_id=a.id, service="e_konsultasjon"))
        row.tool_id = "standard-sjekkpunkt"
    return country


def test_the_tools_table_shows_each_tool_s_version_and_how_many_offices_use_it(
    engine: Engine, factory: SessionFactory, on_old_form: SmallCountry
) -> None:
    view = _view(engine, factory, "analytiker")
    assert "Standard - sjekkpunkt (Standard), versjon 1.0.0 – e-konsultasjon: 1 (50,0 %)" in (
        view.summary()
    )
    view.fylke.value = "Vestland"
    assert view.usage_frame().query("service == 'e_konsultasjon'")["offices"].sum() == 0
    fylker = view.fylke_frame()
    assert fylker.set_index("Fylke").loc["Oslo", "Standard - sjekkpunkt (Standard)"] == 1


def test_a_new_version_shows_its_changes_and_both_versions_before_it_is_published(
    engine: Engine, factory: SessionFactory, on_old_form: SmallCountry
) -> None:
    view = _view(engine, factory, "forvalter")
    panel = view.publish
    panel.tool.value = TOOL
    _upload(panel.upload, _new_version())
    assert "Versjon 1.0.0 → 1.1.0: 0 lagt til, 0 fjernet, 1 endret." in panel.diff.value
    assert "«Hva gjelder henvendelsen?» → «Hva gjelder henvendelsen din?»" in panel.diff.value
    assert panel.side.value.count('data-page="skjema"') == 2
    assert "Versjon 1.0.0 (i bruk)" in panel.side.value
    assert not panel.publish_button.disabled
    panel.publish_button.click()
    assert "Publiserte versjon 1.1.0" in panel.status.value
    assert "Legekontorene bruker versjon <b>1.1.0</b>" in panel.versions.value
    assert "Endringer fra forrige versjon" in panel.diff.value
    assert "Publiserte versjon 1.1.0 av «Beskriv symptomene dine»" in view.history.value
    with factory() as s:
        assert s.get(TriageTool, TOOL).questionnaire_version == "1.1.0"


def test_a_file_that_is_not_a_form_says_why_and_cannot_be_published(
    engine: Engine, factory: SessionFactory, country: SmallCountry
) -> None:
    view = _view(engine, factory, "forvalter")
    _upload(view.publish.upload, b'{"resourceType": "Patient"}', "pasient.json")
    assert "«pasient.json» kan ikke brukes" in view.publish.check.value
    assert "resourceType er «Patient»" in view.publish.check.value
    assert view.publish.publish_button.disabled


def test_a_dry_run_lists_the_offices_and_apply_changes_them_and_the_figures(
    engine: Engine, factory: SessionFactory, on_old_form: SmallCountry
) -> None:
    view = _view(engine, factory, "forvalter")
    panel = view.rollout
    panel.service.value = "e_konsultasjon"
    panel.from_tool.value = "standard-sjekkpunkt"
    panel.to_tool.value = TOOL
    before = dump(engine)
    panel.dry_button.click()
    assert dump(engine) == before
    assert "Sentrum legesenter" in panel.result.value and "Fjordlegene" not in panel.result.value
    link = re.search(r'href="data:text/csv;base64,([^"]+)"', panel.result.value)
    assert link is not None
    csv = base64.b64decode(link.group(1)).decode("utf-8-sig")
    assert csv.splitlines() == ["HER-id;Legekontor;Fylke", "100001;Sentrum legesenter;Oslo"]
    panel.apply_button.click()
    assert "Utført: 1 legekontor bruker nå «Beskriv symptomene dine»" in panel.status.value
    assert "Beskriv symptomene dine, versjon 1.0.0 – e-konsultasjon: 1 (50,0 %)" in view.summary()
    assert "Utrulling for e-konsultasjon: 1 legekontorer" in view.history.value
    assert panel.apply_button.disabled


def test_an_analyst_reads_the_catalogue_but_every_write_is_refused(
    engine: Engine, factory: SessionFactory, on_old_form: SmallCountry
) -> None:
    view = _view(engine, factory, "analytiker")
    assert "bare lesetilgang" in view.heading.value
    _upload(view.publish.upload, _new_version())
    assert "Versjon 1.0.0 → 1.1.0" in view.publish.diff.value  # reading is allowed
    for button in (view.publish.publish_button, view.add.add_button, view.rollout.dry_button):
        assert button.disabled
    before = dump(engine)
    view.publish.publish()  # as if the click came through anyway: the core refuses
    assert "analytikere har bare lesetilgang" in view.publish.status.value
    view.rollout.dry_run()
    assert "analytikere har bare lesetilgang" in view.rollout.status.value
    assert dump(engine) == before


def test_a_forvalter_whose_role_was_taken_away_after_opening_is_refused_at_the_write(
    engine: Engine, factory: SessionFactory, on_old_form: SmallCountry
) -> None:
    view = _view(engine, factory, "forvalter")
    view.rollout.from_tool.value = "standard-sjekkpunkt"
    view.rollout.to_tool.value = TOOL
    view.rollout.dry_button.click()
    with transaction(factory) as s:
        s.scalar(select(User).where(User.login == "forvalter")).role = "analytiker"
    before = dump(engine)
    view.rollout.apply_button.click()
    assert "rollen er endret" in view.rollout.status.value
    assert dump(engine) == before


def test_a_gp_sees_ingen_tilgang(
    engine: Engine, factory: SessionFactory, country: SmallCountry
) -> None:
    view = _view(engine, factory, country.kari)
    assert not view.allowed
    assert "Ingen tilgang" in view.summary() and "Kari Nordmann" in view.summary()
    assert "bare for forvaltere og analytikere" in view.summary()


def test_a_questionnaire_file_is_checked_and_added_as_a_new_tool(
    engine: Engine, factory: SessionFactory, country: SmallCountry
) -> None:
    view = _view(engine, factory, "forvalter")
    form = json.loads((REPO / "data/questionnaires/forny-resept.json").read_text("utf-8"))
    form.update(id="forny-resept-2", title="Forny resept 2")
    _upload(view.add.upload, json.dumps(form).encode(), "forny-resept-2.json")
    assert "Skjema: Forny resept 2" in view.add.check.value
    view.add.services[-1].value = True  # Reseptfornyelse, the last service
    view.add.add_button.click()
    assert "La til verktøyet «Forny resept 2» med id «forny-resept-2»" in view.add.status.value
    assert "Forny resept 2" in [label for label, _ in view.publish.tool.options]
    assert "La til verktøyet «Forny resept 2»" in view.history.value
    with factory() as s:
        assert s.get(TriageTool, "forny-resept-2").service_slugs == ("reseptfornyelse",)


def test_the_utvikling_tab_follows_a_roll_out_and_names_the_office_that_went_back(
    engine: Engine, factory: SessionFactory, on_old_form: SmallCountry
) -> None:
    view = _view(engine, factory, "forvalter")
    assert view.trend.chart is None  # drawn only when its tab is opened
    view.tabs.selected_index = 1
    assert view.trend.chart is not None
    assert "Ingen legekontorer har gått tilbake" in view.trend.returns_box.value
    panel = view.rollout
    panel.service.value = "e_konsultasjon"
    panel.from_tool.value = "standard-sjekkpunkt"
    panel.to_tool.value = TOOL
    panel.dry_button.click()
    panel.apply_button.click()
    moved = view.trend.frame().query("tool == @TOOL")["moved_in"].sum()
    assert moved == 1 and "1 bytter til et verktøy, 0 tilbake" in view.trend.chart.alt
    with transaction(factory) as s:
        a = s.scalar(select(Office).where(Office.her_id == on_old_form.office_a))
        row = s.scalar(select(ToolAssignment).filter_by(office_id=a.id, service="e_konsultasjon"))
        identity = load_identity(s, on_old_form.kari)
        editing.set_tool(
            s, identity, a.her_id, "e_konsultasjon", "standard-sjekkpunkt", row.version
        )
    view.trend.service.value = "__alle__"
    assert '<img src="data:image/png;base64,' in view.trend.chart_box.value
    assert "1 tilbake til verktøyet legekontoret hadde før" in view.trend.chart.alt
    back = view.trend.returns_frame()
    assert back[["HER-id", "Legekontor", "Gikk fra", "Tilbake til"]].values.tolist() == [
        ["100001", "Sentrum legesenter", "Beskriv symptomene dine",
         "Standard - sjekkpunkt (Standard)"]
    ]  # fmt: skip
    assert "Sentrum legesenter" in view.trend.returns_box.value
