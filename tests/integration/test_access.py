"""What each role may and may not do through the core API; a refusal leaves every row as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from helsetilbud import editing
from helsetilbud.access import (
    Identity,
    editable_offices,
    load_identity,
    readable_offices,
    require_catalog_admin,
)
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.errors import AccessDenied, NotFound
from helsetilbud.model import Delegation, Gp, InfoText, Office, ToolAssignment, User
from tests.builders import SmallCountry
from tests.integration.db_state import dump_database

NOW = datetime(2026, 11, 26, 9, 14, tzinfo=UTC)
C = SmallCountry()


def _text_version(s: Session, her_id: str, area: str) -> int:
    office = s.scalar(select(Office).where(Office.her_id == her_id))
    row = s.scalar(select(InfoText).filter_by(office_id=office.id, area=area))
    return row.version


def _tool_version(s: Session, her_id: str, service: str) -> int:
    office = s.scalar(select(Office).where(Office.her_id == her_id))
    return s.scalar(select(ToolAssignment).filter_by(office_id=office.id, service=service)).version


def _gp_version(s: Session, hpr: str) -> int:
    return s.scalar(select(Gp.version).where(Gp.hpr == hpr))


def _staff_delegation(s: Session) -> int:
    return s.scalar(
        select(Delegation.id).join(User, Delegation.user_id == User.id).where(User.login == C.staff)
    )


Action = Callable[[Session, Identity], object]

ACTIONS: dict[str, Action] = {
    "text_a": lambda s, i: editing.set_info_text(
        s,
        i,
        C.office_a,
        "reseptfornyelse",
        "Ny tekst",
        _text_version(s, C.office_a, "reseptfornyelse"),
        now=NOW,
    ),
    "text_b": lambda s, i: editing.set_info_text(
        s,
        i,
        C.office_b,
        "timebestilling",
        "Ny tekst",
        _text_version(s, C.office_b, "timebestilling"),
        now=NOW,
    ),
    "tool_a": lambda s, i: editing.set_tool(
        s,
        i,
        C.office_a,
        "reseptfornyelse",
        None,
        _tool_version(s, C.office_a, "reseptfornyelse"),
        now=NOW,
    ),
    "scheduled_a": lambda s, i: editing.add_scheduled_text(
        s,
        i,
        C.office_a,
        "timebestilling",
        "Stengt i romjulen",
        NOW + timedelta(days=28),
        NOW + timedelta(days=35),
        now=NOW,
    ),
    "kari_services": lambda s, i: editing.set_gp_services(
        s, i, C.kari, {"timebestilling": False}, _gp_version(s, C.kari), now=NOW
    ),
    "kari_closure": lambda s, i: editing.add_closure(
        s,
        i,
        C.kari,
        "e_konsultasjon",
        weekdays=(5, 6),
        daily_from="00:00",
        daily_to="23:59",
        now=NOW,
    ),
    "delegate_a": lambda s, i: editing.delegate(s, i, C.office_a, "ny-stab", "Nina Ny", now=NOW),
    "revoke_staff": lambda s, i: editing.revoke_delegation(s, i, _staff_delegation(s), now=NOW),
    "history_a": lambda s, i: editing.history(s, i, C.office_a, now=NOW),
    "history_b": lambda s, i: editing.history(s, i, C.office_b, now=NOW),
    "catalog": lambda s, i: require_catalog_admin(s, i),
}

# Who may do what: Kari is GP at office A, Per at office B, stab-a is staff delegated to A.
ALLOWED: dict[str, set[str]] = {
    C.kari: {
        "text_a",
        "tool_a",
        "scheduled_a",
        "kari_services",
        "kari_closure",
        "delegate_a",
        "revoke_staff",
        "history_a",
    },
    C.ola: {"text_a", "tool_a", "scheduled_a", "delegate_a", "revoke_staff", "history_a"},
    C.per: {"text_b", "history_b"},
    C.staff: {"text_a", "tool_a", "scheduled_a", "history_a"},
    C.analyst: {"history_a", "history_b"},
    C.admin: set(ACTIONS),
}

CASES = [
    pytest.param(login, action, action in allowed, id=f"{login}-{action}")
    for login, allowed in ALLOWED.items()
    for action in ACTIONS
]


@pytest.mark.parametrize(("login", "action", "allowed"), CASES)
def test_each_role_may_do_what_issue_3_grants_and_a_refusal_changes_nothing(
    factory: SessionFactory, country: SmallCountry, login: str, action: str, allowed: bool
) -> None:
    engine = factory.kw["bind"]
    before = dump_database(engine)
    with transaction(factory) as s:
        identity = load_identity(s, login)
        if allowed:
            ACTIONS[action](s, identity)
            return
        # The refusal is caught inside the transaction, which then commits: nothing may leak.
        with pytest.raises(AccessDenied) as err:
            ACTIONS[action](s, identity)
    assert err.value.message.startswith(
        f"{identity.display_name} ({identity.login}, {identity.role}) kan ikke "
    )
    assert err.value.message.endswith(".")
    assert dump_database(engine) == before


def test_a_refusal_names_who_tried_what_and_why(factory: SessionFactory, country: SmallCountry):
    with transaction(factory) as s, pytest.raises(AccessDenied) as err:
        ACTIONS["text_b"](s, load_identity(s, C.kari))
    assert err.value.message == (
        "Kari Nordmann (1000001, fastlege) kan ikke endre tekster og verktøyvalg for "
        "Fjordlegene (HER-id 100002): fastlegen har ingen liste ved dette kontoret."
    )


def test_an_analyst_is_told_that_analysts_only_read(factory: SessionFactory, country: SmallCountry):
    with transaction(factory) as s, pytest.raises(AccessDenied, match="bare lesetilgang"):
        ACTIONS["text_a"](s, load_identity(s, C.analyst))


def test_staff_lose_the_right_when_the_delegation_ends(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with transaction(factory) as s:
        delegation = s.get(Delegation, _staff_delegation(s))
        ends = delegation.ends_at
    after_end = ends + timedelta(seconds=1)
    with transaction(factory) as s:
        staff = load_identity(s, C.staff)
        assert [o.her_id for o in editable_offices(s, staff, ends - timedelta(seconds=1))] == [
            C.office_a
        ]
        assert editable_offices(s, staff, after_end) == []
        with pytest.raises(AccessDenied, match="ingen gyldig delegering"):
            editing.set_info_text(s, staff, C.office_a, "reseptfornyelse", "Sent", 1, now=after_end)


def test_staff_lose_the_right_when_a_gp_revokes_it(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with transaction(factory) as s:
        editing.revoke_delegation(s, load_identity(s, C.ola), _staff_delegation(s), now=NOW)
    later = NOW + timedelta(minutes=1)
    with transaction(factory) as s:
        staff = load_identity(s, C.staff)
        assert editable_offices(s, staff, later) == []
        assert readable_offices(s, staff, later) == []
        with pytest.raises(AccessDenied, match="trukket tilbake eller utløpt"):
            editing.set_info_text(s, staff, C.office_a, "reseptfornyelse", "x", 1, now=later)


def test_new_staff_created_by_a_delegation_can_edit_that_office_only(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with transaction(factory) as s:
        editing.delegate(s, load_identity(s, C.per), C.office_b, "stab-b", "Bjørn Stab", now=NOW)
    with transaction(factory) as s:
        staff_b = load_identity(s, "stab-b")
        assert staff_b.role == "kontorstab"
        assert [o.her_id for o in editable_offices(s, staff_b, NOW)] == [C.office_b]
        editing.set_info_text(s, staff_b, C.office_b, "timebestilling", "Ring oss", 1, now=NOW)
        with pytest.raises(AccessDenied):
            editing.set_gp_services(s, staff_b, C.per, {"timebestilling": False}, 1, now=NOW)


def test_readable_and_editable_offices_follow_the_role(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with transaction(factory) as s:

        def her_ids(offices: list[Office]) -> list[str]:
            return sorted(o.her_id for o in offices)

        both = sorted([C.office_a, C.office_b])
        for login, editable, readable in [
            (C.kari, [C.office_a], [C.office_a]),
            (C.per, [C.office_b], [C.office_b]),
            (C.staff, [C.office_a], [C.office_a]),
            (C.analyst, [], both),
            (C.admin, both, both),
        ]:
            identity = load_identity(s, login)
            assert her_ids(editable_offices(s, identity, NOW)) == editable, login
            assert her_ids(readable_offices(s, identity, NOW)) == readable, login


def test_an_unknown_or_deactivated_login_is_not_found(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with transaction(factory) as s:
        with pytest.raises(NotFound, match="Fant ingen bruker med innloggingen «ukjent»"):
            load_identity(s, "ukjent")
        s.scalar(select(User).where(User.login == C.staff)).active = False
        s.flush()
        with pytest.raises(NotFound, match="deaktivert"):
            load_identity(s, C.staff)


@pytest.mark.parametrize(
    ("login", "action", "change"),
    [
        (C.kari, "text_a", {"active": False}),
        (C.kari, "kari_services", {"active": False}),
        (C.admin, "catalog", {"active": False}),
        (C.admin, "catalog", {"role": "analytiker"}),
        (C.admin, "text_b", {"role": "analytiker"}),
    ],
)
def test_access_withdrawn_after_the_page_opened_refuses_the_next_write(
    factory: SessionFactory, country: SmallCountry, login: str, action: str, change: dict
) -> None:
    with factory() as s:
        identity = load_identity(s, login)  # loaded once, as an open page holds it
    with transaction(factory) as s:
        user = s.scalar(select(User).where(User.login == login))
        for key, value in change.items():
            setattr(user, key, value)
    before = dump_database(factory.kw["bind"])
    with transaction(factory) as s, pytest.raises(AccessDenied) as err:
        ACTIONS[action](s, identity)
    assert "deaktivert" in err.value.message or "rollen er endret" in err.value.message
    assert dump_database(factory.kw["bind"]) == before


def test_a_gp_whose_login_differs_from_the_hpr_number_is_found_by_hpr(
    factory: SessionFactory, country: SmallCountry
) -> None:
    with transaction(factory) as s:
        s.scalar(select(User).where(User.login == C.per)).login = "per.berg"
    with factory() as s:
        assert load_identity(s, C.per).login == "per.berg"
        assert load_identity(s, "per.berg").hpr == C.per
