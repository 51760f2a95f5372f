"""Scheduled texts, service closures and delegations: validated, authorised, audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.db import transaction
from helsetilbud.errors import ValidationError
from tests.builders import SmallCountry
from tests.integration.db_state import refused

NOW = datetime(2026, 11, 26, 9, 14, tzinfo=UTC)  # 10:14 in Oslo
C = SmallCountry()
FNR = "15059012387"


def test_a_scheduled_text_is_audited_and_refused_when_it_overlaps_or_ends_first(factory, country):
    start, end = NOW + timedelta(days=27), NOW + timedelta(days=33)
    with transaction(factory) as s:
        row = editing.add_scheduled_text(
            s,
            load_identity(s, C.staff),
            C.office_a,
            "timebestilling",
            "Kontoret er stengt i romjulen.",
            start,
            end,
            now=NOW,
        )
        scheduled_id = row.id

    def add(starts: datetime, ends: datetime, text: str = "Stengt") -> Callable[[Session], object]:
        return lambda s: editing.add_scheduled_text(
            s, load_identity(s, C.kari), C.office_a, "timebestilling", text, starts, ends, now=NOW
        )

    assert (
        "overlapper"
        in refused(factory, add(end - timedelta(hours=1), end), ValidationError).message
    )
    assert "må komme etter" in refused(factory, add(end, start), ValidationError).message
    assert (
        "mangler tidssone"
        in refused(
            factory, add(datetime(2026, 12, 1), datetime(2026, 12, 2)), ValidationError
        ).message
    )
    assert (
        "fødselsnummer"
        in refused(factory, add(end, end + timedelta(days=1), FNR), ValidationError).message
    )
    with transaction(factory) as s:
        editing.remove_scheduled_text(s, load_identity(s, C.kari), scheduled_id, now=NOW)
        entities = [
            (e.entity, json.loads(e.after) is None)
            for e in editing.history(s, load_identity(s, C.kari), C.office_a)
        ]
    assert entities == [("scheduled_text", True), ("scheduled_text", False)]


def test_a_closure_is_a_period_or_a_weekly_schedule_never_both(factory, country: SmallCountry):
    def close(**kw: object) -> Callable[[Session], object]:
        return lambda s: editing.add_closure(
            s, load_identity(s, C.kari), C.kari, "e_konsultasjon", now=NOW, **kw
        )

    with transaction(factory) as s:
        weekly = close(weekdays=(4, 5, 6), daily_from="16:00", daily_to="08:00", note="Helg")(s)
        period = close(starts_at=NOW, ends_at=NOW + timedelta(days=14))(s)
        assert (weekly.weekdays, weekly.daily_from, weekly.daily_to) == ("4,5,6", "16:00", "08:00")
        assert (period.starts_at, period.ends_at) == (NOW, NOW + timedelta(days=14))
        closure_id = period.id
    for kw, fragment in [
        ({}, "enten en periode"),
        (
            {"starts_at": NOW, "weekdays": (1,), "daily_from": "08:00", "daily_to": "09:00"},
            "ikke begge",
        ),
        ({"starts_at": NOW}, "både start og slutt"),
        ({"starts_at": NOW, "ends_at": NOW}, "må komme etter"),
        ({"weekdays": (), "daily_from": "08:00", "daily_to": "09:00"}, "minst én ukedag"),
        ({"weekdays": (7,), "daily_from": "08:00", "daily_to": "09:00"}, "finnes ikke"),
        ({"weekdays": (1,), "daily_from": "8", "daily_to": "09:00"}, "tt:mm"),
        ({"weekdays": (1,), "daily_from": "09:00", "daily_to": "09:00"}, "kan ikke være like"),
    ]:
        assert fragment in refused(factory, close(**kw), ValidationError).message, kw
    with transaction(factory) as s:
        editing.remove_closure(s, load_identity(s, C.kari), closure_id, now=NOW)
        events = editing.history(s, load_identity(s, C.kari), C.office_a, area="e_konsultasjon")
    assert [(e.entity, e.before is None or json.loads(e.before) is None) for e in events] == [
        ("service_closure", False),
        ("service_closure", True),
        ("service_closure", True),
    ]


def test_a_fastlege_login_cannot_be_delegated_as_office_staff(factory, country: SmallCountry):
    err = refused(
        factory,
        lambda s: editing.delegate(s, load_identity(s, C.kari), C.office_a, C.ola, "Ola", now=NOW),
        ValidationError,
    )
    assert "rollen fastlege" in err.message
    err = refused(
        factory,
        lambda s: editing.delegate(
            s, load_identity(s, C.kari), C.office_a, C.staff, "Siri Stab", now=NOW
        ),
        ValidationError,
    )
    assert err.message == "Siri Stab har allerede tilgang til Sentrum legesenter."
