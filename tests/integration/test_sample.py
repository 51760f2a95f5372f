"""The synthetic country: deterministic, big, within the catalogue's rules, explained by history."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, Row, func, select
from sqlalchemy.orm import Session

from helsetilbud import sample
from helsetilbud.catalog import CATALOG, PATIENT_SERVICES
from helsetilbud.db import make_engine, make_session_factory, transaction, upgrade_schema
from helsetilbud.model import (
    AuditEvent,
    Delegation,
    Gp,
    InfoText,
    Office,
    ToolAssignment,
    ToolService,
    TriageTool,
    User,
)
from helsetilbud.sample import SampleSummary, build_sample, org_check_digit

TODAY = date(2026, 11, 26)
END = datetime(2026, 11, 26, tzinfo=UTC)

try:
    from helsetilbud.bootstrap import load_catalog_tools
except ImportError:  # the lead's bootstrap not there yet

    def load_catalog_tools(session: Session) -> int:
        for spec in CATALOG.tools:
            tool = TriageTool(
                id=spec.id, title=spec.title, kind=spec.kind, standard=spec.standard,
                description=spec.description, questionnaire="{}",
            )  # fmt: skip
            tool.services = [ToolService(service=s) for s in spec.services]
            session.add(tool)
        session.flush()
        return len(CATALOG.tools)


def _build(path: Path, **kwargs: object) -> tuple[Engine, SampleSummary]:
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    with transaction(make_session_factory(engine)) as session:
        load_catalog_tools(session)
        summary = build_sample(session, **kwargs)  # type: ignore[arg-type]
    return engine, summary


def _dump(engine: Engine, *, ids: bool = True) -> list[tuple[str, list[tuple[str, ...]]]]:
    """Every row of every table but the tools, sorted; without `ids`, no surrogate keys."""
    meta = MetaData()
    meta.reflect(engine)
    out = []
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name in ("triage_tools", "alembic_version"):
                continue
            columns = [c for c in table.c if ids or c.name not in ("id", "user_id")]
            rows = [tuple(map(repr, row)) for row in conn.execute(select(*columns))]
            out.append((table.name, sorted(rows)))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, SampleSummary]]:
    """The full default country (1,800 offices), built once for this module."""
    engine, summary = _build(tmp_path_factory.mktemp("country") / "s.sqlite", today=TODAY)
    with make_session_factory(engine)() as session:
        yield session, summary
    engine.dispose()


def test_the_same_seed_builds_the_same_database(tmp_path: Path) -> None:
    first, _ = _build(tmp_path / "a.sqlite", seed=11, offices=1100)
    second, _ = _build(tmp_path / "b.sqlite", seed=11, offices=1100)
    assert _dump(first) == _dump(second)


def test_the_chunk_size_changes_only_surrogate_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = _build(tmp_path / "a.sqlite", seed=11, offices=150)
    monkeypatch.setattr(sample, "CHUNK", 37)
    second, _ = _build(tmp_path / "b.sqlite", seed=11, offices=150)
    assert _dump(first, ids=False) == _dump(second, ids=False)


def test_a_different_seed_builds_a_different_country(tmp_path: Path) -> None:
    first, _ = _build(tmp_path / "a.sqlite", seed=11, offices=120)
    second, _ = _build(tmp_path / "b.sqlite", seed=12, offices=120)
    names = select(Office.name, Office.her_id).order_by(Office.id)
    with first.connect() as a, second.connect() as b:
        assert a.execute(names).all() != b.execute(names).all()
    assert _dump(first) != _dump(second)


def test_sqlite_and_postgresql_get_the_same_country(engine: Engine, tmp_path: Path) -> None:
    with transaction(make_session_factory(engine)) as session:
        load_catalog_tools(session)
        build_sample(session, seed=5, offices=60)
    reference, _ = _build(tmp_path / "ref.sqlite", seed=5, offices=60)
    assert _dump(engine, ids=False) == _dump(reference, ids=False)


def test_a_second_build_into_the_same_database_is_refused(tmp_path: Path) -> None:
    engine, _ = _build(tmp_path / "a.sqlite", offices=20)
    with transaction(make_session_factory(engine)) as session, pytest.raises(RuntimeError):
        build_sample(session, offices=20)


def test_the_country_is_big_and_covers_every_fylke(built: tuple[Session, SampleSummary]) -> None:
    session, summary = built
    assert summary.offices == session.scalar(select(func.count()).select_from(Office)) >= 1500
    assert summary.gps == session.scalar(select(func.count()).select_from(Gp)) >= 4000
    assert summary.users == session.scalar(select(func.count()).select_from(User))
    assert summary.events == session.scalar(select(func.count()).select_from(AuditEvent))
    fylker = Counter(session.scalars(select(Office.fylke)))
    assert set(fylker) == set(CATALOG.fylker)
    assert fylker["Oslo"] > fylker["Finnmark"] and fylker["Vestland"] > fylker["Finnmark"]
    per_office = Counter(session.scalars(select(Gp.office_id)))
    assert len(per_office) == summary.offices
    assert set(per_office.values()) <= set(range(1, 9))


def test_identifiers_are_unique_digits_and_org_numbers_pass_mod_11(
    built: tuple[Session, SampleSummary],
) -> None:
    session, _ = built
    offices = session.execute(select(Office.her_id, Office.org_number, Office.postal_code)).all()
    hprs = list(session.scalars(select(Gp.hpr)))
    assert len({o.her_id for o in offices}) == len(offices)
    assert len(set(hprs)) == len(hprs)
    assert all(re.fullmatch(r"\d{6,8}", o.her_id) for o in offices)
    assert all(re.fullmatch(r"\d{7,9}", hpr) for hpr in hprs)
    assert all(re.fullmatch(r"\d{4}", o.postal_code) for o in offices)
    for office in offices:
        assert re.fullmatch(r"\d{9}", office.org_number)
        assert org_check_digit(office.org_number[:8]) == int(office.org_number[8])


def test_every_office_has_five_texts_and_eight_assignments(
    built: tuple[Session, SampleSummary],
) -> None:
    session, summary = built
    areas = Counter(session.scalars(select(InfoText.area)))
    services = Counter(session.scalars(select(ToolAssignment.service)))
    assert areas == {a: summary.offices for a in CATALOG.area_slugs}
    assert services == {s: summary.offices for s in CATALOG.triage_slugs}


def test_only_allowed_tools_are_chosen_and_every_tool_is_in_use(
    built: tuple[Session, SampleSummary],
) -> None:
    session, summary = built
    allowed = set(map(tuple, session.execute(select(ToolService.tool_id, ToolService.service))))
    chosen = select(ToolAssignment.tool_id, ToolAssignment.service).where(
        ToolAssignment.tool_id.is_not(None)
    )
    used = Counter(map(tuple, session.execute(chosen)))
    assert set(used) <= allowed
    assert {tool for tool, _ in used} == {spec.id for spec in CATALOG.tools}
    forny = used[("forny-resept", "reseptfornyelse")] / summary.offices
    assert 0.45 < forny < 0.65


def test_texts_keep_their_limits_and_vary_like_real_ones(
    built: tuple[Session, SampleSummary],
) -> None:
    session, summary = built
    texts = session.execute(select(InfoText.area, InfoText.text, InfoText.updated_at)).all()
    limits = {a.slug: a.limit for a in CATALOG.info_areas}
    assert all(len(t.text) <= limits[t.area] for t in texts)
    empty = sum(1 for t in texts if not t.text) / len(texts)
    assert 0.35 < empty < 0.55
    assert any(len(t.text) >= limits[t.area] - 40 for t in texts)
    korona = [t for t in texts if re.search(r"korona|covid", t.text, re.I)]
    assert korona and all(t.updated_at < END - timedelta(days=365) for t in korona)
    standard = {a.slug: a.standard_text for a in CATALOG.info_areas if a.standard_text}
    assert any(t.text == standard.get(t.area) for t in texts)
    assert any(re.search(r"\d\d \d\d \d\d \d\d", t.text) for t in texts)
    assert any("www." in t.text for t in texts)
    assert any(re.search(r"\d\d\.\d\d\.\d{4}", t.text) for t in texts)
    assert not any(re.search(r"\d{6} ?\d{5}", t.text) for t in texts)  # nothing like an id number


def test_history_explains_every_row(built: tuple[Session, SampleSummary]) -> None:
    session, _ = built
    events: dict[tuple[str, int | None, str], list[Row]] = {}
    columns = (AuditEvent.entity, AuditEvent.office_id, AuditEvent.key, AuditEvent.at)
    query = select(*columns, AuditEvent.actor, AuditEvent.before, AuditEvent.after)
    for e in session.execute(query.order_by(AuditEvent.at, AuditEvent.id)):
        assert END - timedelta(days=731) <= e.at < END
        events.setdefault((e.entity, e.office_id, e.key), []).append(e)
    meta = ("version", "updated_at", "updated_by")
    rows = [
        (("info_text", r.office_id, r.area), r, r.text)
        for r in session.execute(select(InfoText.office_id, InfoText.area, InfoText.text,
                                        *(getattr(InfoText, m) for m in meta)))
    ] + [
        (("tool_assignment", r.office_id, r.service), r, r.tool_id)
        for r in session.execute(select(ToolAssignment.office_id, ToolAssignment.service,
                                        ToolAssignment.tool_id,
                                        *(getattr(ToolAssignment, m) for m in meta)))
    ] + [
        (("gp_services", r.office_id, r.hpr), r, {s: getattr(r, s) for s in PATIENT_SERVICES})
        for r in session.scalars(select(Gp))
    ]  # fmt: skip
    for key, row, value in rows:
        history = events.pop(key, [])
        assert row.version == 1 + len(history)
        if history:
            assert json.loads(history[-1].after) == value
            assert (row.updated_at, row.updated_by) == (history[-1].at, history[-1].actor)
            assert all(a.after == b.before for a, b in zip(history, history[1:], strict=False))
            assert all(a.before != a.after for a in history)
        else:
            assert value in ("", None) or value == dict.fromkeys(PATIENT_SERVICES, True)
    assert events == {}


def test_tools_are_adopted_gradually_and_old_texts_remain(
    built: tuple[Session, SampleSummary],
) -> None:
    session, _ = built
    middle = END - timedelta(days=365)
    adoptions = session.scalars(
        select(AuditEvent.at).where(
            AuditEvent.entity == "tool_assignment", AuditEvent.after == '"forny-resept"'
        )
    ).all()
    assert sum(at >= middle for at in adoptions) > sum(at < middle for at in adoptions)
    old = session.scalar(
        select(func.count()).where(InfoText.text != "", InfoText.updated_at < middle)
    )
    assert old and old > 100


def test_logins_for_gps_staff_and_nhn(built: tuple[Session, SampleSummary]) -> None:
    session, summary = built
    users = {u.login: u for u in session.execute(select(User.__table__))}
    gps = session.execute(select(Gp.hpr, Gp.name, Gp.office_id)).all()
    for gp in gps:
        user = users[gp.hpr]
        assert (user.role, user.hpr, user.display_name) == ("fastlege", gp.hpr, gp.name)
    assert users["analytiker"].role == "analytiker"
    assert users["forvalter"].display_name == "Forvalter NHN"
    staff = [u for u in users.values() if u.role == "kontorstab"]
    assert 0.05 * summary.offices < len(staff) < 0.15 * summary.offices
    gps_at = {(gp.office_id, gp.hpr) for gp in gps}
    delegations = session.execute(select(Delegation, User.login).join(User)).all()
    assert len(delegations) == len(staff)
    for d, login in delegations:
        assert (d.office_id, d.granted_by) in gps_at
        assert login.startswith("stab-")
    assert any(d.revoked_at for d, _ in delegations)
    assert any(d.ends_at and d.ends_at > END for d, _ in delegations)


def test_most_offices_have_a_registry_phone_that_their_texts_mostly_give(
    built: tuple[Session, SampleSummary],
) -> None:
    from helsetilbud.text_hints.numbers import digits_of
    from helsetilbud.text_hints.patterns import phones

    session, summary = built
    registry = dict(session.execute(select(Office.id, Office.phone)).all())
    known = [p for p in registry.values() if p is not None]
    assert 0.9 < len(known) / summary.offices < 0.99
    assert all(re.fullmatch(r"[2-7]\d( \d\d){3}", p) for p in known)
    same = other = 0
    for office_id, text in session.execute(select(InfoText.office_id, InfoText.text)):
        for number, _, _ in phones(text or ""):
            if registry[office_id]:
                if digits_of(number) == digits_of(registry[office_id]):
                    same += 1
                else:
                    other += 1
    assert same > 2 * other > 0  # the «phone differs from the registry» hint has cases
