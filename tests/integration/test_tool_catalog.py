"""The forvalter's catalogue: add a structor form as a tool, and roll a tool out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.cli import main
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.errors import AccessDenied, ValidationError
from helsetilbud.forms import QuestionnaireError
from helsetilbud.model import AuditEvent, Office, ToolAssignment, TriageTool
from helsetilbud.tool_catalog import (
    add_tool,
    catalog_events,
    preview_publish,
    publish_version,
    rollout,
    tool_versions,
)
from tests.builders import SmallCountry, add_office
from tests.integration.db_state import dump_database as dump

SHARED = Path(__file__).resolve().parents[3] / "shared" / "fhir-examples"
STRUCTOR_FORM = SHARED / "structor" / "Validering_av_items_uten_grupper-nb-NO.json"
REPO = Path(__file__).resolve().parents[2]


def tools_by_office(factory: SessionFactory, service: str) -> dict[str, str | None]:
    with factory() as s:
        rows = s.execute(
            select(Office.her_id, ToolAssignment.tool_id)
            .join(ToolAssignment, ToolAssignment.office_id == Office.id)
            .where(ToolAssignment.service == service)
        )
        return {her_id: tool for her_id, tool in rows}


@pytest.fixture
def three_on_old_form(factory: SessionFactory, country: SmallCountry) -> SmallCountry:
    """Offices A, C and D use standard-sjekkpunkt for e-konsultasjon; B uses none."""
    with transaction(factory) as s:
        for her_id in ("100001",):
            a = s.scalar(select(Office).where(Office.her_id == her_id))
            assert a is not None
            s.execute(
                ToolAssignment.__table__.update()
                .where(ToolAssignment.office_id == a.id, ToolAssignment.service == "e_konsultasjon")
                .values(tool_id="standard-sjekkpunkt")
            )
        for her_id, name in (("100003", "Bylegene"), ("100004", "Havnelegene")):
            add_office(s, her_id, name, tools={"e_konsultasjon": "standard-sjekkpunkt"})
    return country


def test_a_structor_form_can_be_added_as_a_new_tool_by_the_forvalter(
    factory: SessionFactory, country: SmallCountry
) -> None:
    if not STRUCTOR_FORM.exists():
        pytest.skip("fhir-examples fra shared/ mangler")
    with transaction(factory) as s:
        tool = add_tool(
            s,
            load_identity(s, country.admin),
            STRUCTOR_FORM.read_text(encoding="utf-8"),
            kind="sjekkpunkt",
            services=["e_kontakt"],
        )
        tool_id = tool.id
    with factory() as s:
        stored = s.get(TriageTool, tool_id)
        assert stored is not None and stored.service_slugs == ("e_kontakt",)
        assert json.loads(stored.questionnaire)["resourceType"] == "Questionnaire"
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity == "tool")).all()
        assert [(e.actor, e.key) for e in events] == [("forvalter", tool_id)]


def test_a_gp_cannot_add_a_tool(factory: SessionFactory, country: SmallCountry) -> None:
    with transaction(factory) as s, pytest.raises(AccessDenied, match="Kari Nordmann"):
        add_tool(
            s,
            load_identity(s, country.kari),
            (REPO / "data/questionnaires/forny-resept.json").read_text("utf-8"),
            kind="sjekkpunkt",
            services=["reseptfornyelse"],
            tool_id="kopi",
        )


def test_a_file_that_is_not_a_form_is_refused_with_its_reason(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with transaction(factory) as s, pytest.raises(QuestionnaireError, match="ikke gyldig JSON"):
        add_tool(s, load_identity(s, country.admin), "{ikke json", kind="sjekkpunkt",
                 services=["e_kontakt"])  # fmt: skip


def test_a_rollout_dry_run_lists_the_offices_and_changes_nothing(
    engine, factory: SessionFactory, three_on_old_form: SmallCountry
) -> None:
    before = dump(engine)
    with transaction(factory) as s:
        plan = rollout(
            s, load_identity(s, "forvalter"), "e_konsultasjon", "standard-sjekkpunkt",
            "beskriv-symptomene-dine",
        )  # fmt: skip
    assert [her_id for her_id, _ in plan.offices] == ["100001", "100003", "100004"]
    assert dump(engine) == before


def test_an_applied_rollout_changes_exactly_the_listed_offices_each_with_an_audit_event(
    factory: SessionFactory, three_on_old_form: SmallCountry
) -> None:
    with transaction(factory) as s:
        plan = rollout(
            s, load_identity(s, "forvalter"), "e_konsultasjon", "standard-sjekkpunkt",
            "beskriv-symptomene-dine", apply=True,
        )  # fmt: skip
    assert tools_by_office(factory, "e_konsultasjon") == {
        "100001": "beskriv-symptomene-dine",
        "100002": None,
        "100003": "beskriv-symptomene-dine",
        "100004": "beskriv-symptomene-dine",
    }
    with factory() as s:
        events = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "tool_assignment", AuditEvent.key == "e_konsultasjon")
        )
    assert events == len(plan.offices) == 3


def test_a_rollout_is_refused_whole_when_any_office_fails(
    engine,
    factory: SessionFactory,
    three_on_old_form: SmallCountry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_set_tool = editing.set_tool

    def failing_at_one_office(session, identity, her_id, *args, **kwargs):  # type: ignore[no-untyped-def]
        if her_id == "100003":
            raise ValidationError("Kontoret er låst for vedlikehold.")
        return real_set_tool(session, identity, her_id, *args, **kwargs)

    monkeypatch.setattr(editing, "set_tool", failing_at_one_office)
    before = dump(engine)
    with pytest.raises(ValidationError, match="Bylegene"), transaction(factory) as s:
        rollout(
            s, load_identity(s, "forvalter"), "e_konsultasjon", "standard-sjekkpunkt",
            "beskriv-symptomene-dine", apply=True,
        )  # fmt: skip
    assert dump(engine) == before


def test_a_rollout_to_a_tool_not_allowed_for_the_service_is_refused(
    engine, factory: SessionFactory, three_on_old_form: SmallCountry
) -> None:
    before = dump(engine)
    with pytest.raises(ValidationError, match="kan ikke brukes"), transaction(factory) as s:
        rollout(s, load_identity(s, "forvalter"), "e_konsultasjon", "standard-sjekkpunkt",
                "forny-resept", apply=True)  # fmt: skip
    assert dump(engine) == before


def test_the_tool_commands_dry_run_then_apply(
    engine, three_on_old_form: SmallCountry, capsys: pytest.CaptureFixture[str]
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    args = ["tool", "rollout", "--service", "e_konsultasjon", "--from", "standard-sjekkpunkt",
            "--to", "beskriv-symptomene-dine", "--as", "forvalter", "--db", url]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Prøvekjøring" in out and "Bylegene" in out and "Ingenting er endret" in out
    assert main([*args, "--apply"]) == 0
    assert "Endret 3 legekontorer" in capsys.readouterr().out
    assert main([*args[:-4], "--as", "1000001", "--db", url]) == 1
    assert "bare forvaltere" in capsys.readouterr().err


def test_form_check_reads_a_catalogue_tool_by_id_from_the_database(
    engine, country: SmallCountry, capsys: pytest.CaptureFixture[str]
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    assert main(["form", "check", "forny-resept", "--db", url]) == 0
    assert "Skjema: Forny resept" in capsys.readouterr().out
    assert main(["form", "check", "finnes-ikke", "--db", url]) == 1
    assert "Fant verken filen eller verktøyet «finnes-ikke»" in capsys.readouterr().err


def _new_version(**changes: object) -> str:
    form = json.loads(
        (REPO / "data/questionnaires/beskriv-symptomene-dine.json").read_text("utf-8")
    )
    form.update({"version": "1.1.0", **changes})
    form["item"].append({"linkId": "varighet", "type": "string", "text": "Hvor lenge?"})
    return json.dumps(form, ensure_ascii=False)


def test_a_published_version_keeps_the_previous_one_to_compare_with(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with transaction(factory) as s:
        diff = preview_publish(s, "beskriv-symptomene-dine", _new_version())
        publish_version(
            s, load_identity(s, country.admin), "beskriv-symptomene-dine", _new_version()
        )
    assert diff.lines()[:2] == [
        "Versjon 1.0.0 → 1.1.0: 1 lagt til, 0 fjernet, 0 endret.",
        "Lagt til: «Hvor lenge?» (varighet), type string",
    ]
    with factory() as s:
        versions = tool_versions(s, "beskriv-symptomene-dine")
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity == "tool")).one()
    assert [(v.version, v.published_by) for v in versions] == [
        ("1.0.0", None),
        ("1.1.0", "forvalter"),
    ]
    assert versions[0].questionnaire is not None and versions[1].questionnaire is not None
    assert len(versions[1].questionnaire["item"]) == len(versions[0].questionnaire["item"]) + 1
    assert json.loads(event.after)["version"] == "1.1.0"


def test_publishing_the_same_file_or_the_same_version_number_again_is_refused(
    engine, factory: SessionFactory, country: SmallCountry
) -> None:
    with transaction(factory) as s:
        publish_version(
            s, load_identity(s, country.admin), "beskriv-symptomene-dine", _new_version()
        )
    before = dump(engine)
    for text, reason in (
        (_new_version(), "ingenting å publisere"),
        (_new_version(title="Beskriv plagene"), "allerede publisert med et annet innhold"),
    ):
        with pytest.raises(ValidationError, match=reason), transaction(factory) as s:
            publish_version(s, load_identity(s, country.admin), "beskriv-symptomene-dine", text)
    assert dump(engine) == before


def test_an_analyst_can_neither_publish_nor_roll_out(
    engine, factory: SessionFactory, three_on_old_form: SmallCountry
) -> None:
    before = dump(engine)
    with pytest.raises(AccessDenied, match="bare lesetilgang"), transaction(factory) as s:
        publish_version(
            s, load_identity(s, "analytiker"), "beskriv-symptomene-dine", _new_version()
        )
    refused = pytest.raises(AccessDenied, match="analytikere har bare lesetilgang")
    for apply in (False, True):
        with refused, transaction(factory) as s:
            rollout(s, load_identity(s, "analytiker"), "e_konsultasjon",
                    "standard-sjekkpunkt", "beskriv-symptomene-dine", apply=apply)  # fmt: skip
    assert dump(engine) == before


def test_an_applied_rollout_is_one_audited_change_beside_each_office_s_own_event(
    factory: SessionFactory, three_on_old_form: SmallCountry
) -> None:
    with transaction(factory) as s:
        rollout(s, load_identity(s, "forvalter"), "e_konsultasjon", "standard-sjekkpunkt",
                "beskriv-symptomene-dine", apply=True,
                expected=("100001", "100003", "100004"))  # fmt: skip
    with factory() as s:
        (event,) = catalog_events(s)
    assert (event.entity, event.key, event.actor) == ("rollout", "e_konsultasjon", "forvalter")
    assert json.loads(event.before) == {
        "tool": "standard-sjekkpunkt",
        "offices": ["100001", "100003", "100004"],
    }
    assert json.loads(event.after) == {"tool": "beskriv-symptomene-dine"}


def test_an_apply_whose_offices_changed_since_the_dry_run_changes_nothing(
    engine, factory: SessionFactory, three_on_old_form: SmallCountry
) -> None:
    before = dump(engine)
    changed = pytest.raises(ValidationError, match="endret siden prøvekjøringen")
    with changed, transaction(factory) as s:
        rollout(s, load_identity(s, "forvalter"), "e_konsultasjon", "standard-sjekkpunkt",
                "beskriv-symptomene-dine", apply=True, expected=("100001", "100003"))  # fmt: skip
    assert dump(engine) == before


def test_a_rollout_from_a_tool_to_itself_is_refused(
    factory: SessionFactory, three_on_old_form: SmallCountry
) -> None:
    with pytest.raises(ValidationError, match="det samme"), transaction(factory) as s:
        rollout(s, load_identity(s, "forvalter"), "e_konsultasjon", "standard-sjekkpunkt",
                "standard-sjekkpunkt")  # fmt: skip


def test_tool_publish_prints_what_changed_from_the_previous_version(
    engine, country: SmallCountry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    new = tmp_path / "ny.json"
    new.write_text(_new_version(), encoding="utf-8")
    args = ["tool", "publish", "beskriv-symptomene-dine", str(new), "--as", "forvalter"]
    assert main([*args, "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Publiserte versjon 1.1.0 av «Beskriv symptomene dine»." in out
    assert "  Lagt til: «Hvor lenge?» (varighet), type string" in out
    assert main([*args, "--db", url]) == 1
    assert "ingenting å publisere" in capsys.readouterr().err


def test_every_catalogue_tool_has_its_file_s_version_number(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with factory() as s:
        stored = {t.id: t.questionnaire_version for t in s.scalars(select(TriageTool))}
    named = {
        path.stem: json.loads(path.read_text("utf-8"))["version"]
        for path in (REPO / "data/questionnaires").glob("*.json")
    }
    assert stored == named
    assert set(stored.values()) == {"1.0.0"}


def test_loading_the_catalogue_again_gives_an_old_database_s_tools_their_file_s_version(
    factory: SessionFactory, country: SmallCountry
) -> None:
    from helsetilbud.bootstrap import load_catalog_tools

    with transaction(factory) as s:
        s.execute(TriageTool.__table__.update().values(questionnaire_version="1"))
        publish_version(
            s, load_identity(s, country.admin), "beskriv-symptomene-dine", _new_version()
        )
    with transaction(factory) as s:
        assert load_catalog_tools(s) == 0
    with factory() as s:
        stored = {t.id: t.questionnaire_version for t in s.scalars(select(TriageTool))}
    assert stored.pop("beskriv-symptomene-dine") == "1.1.0"
    assert set(stored.values()) == {"1.0.0"}
