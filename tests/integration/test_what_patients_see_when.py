"""Stored windows switch what patients see at their edges, in Oslo time, across clock changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from helsetilbud import editing
from helsetilbud.access import load_identity
from helsetilbud.db import SessionFactory, transaction
from helsetilbud.patient_view import OSLO, patient_view
from helsetilbud.snapshot import load_snapshot
from tests.builders import SmallCountry

SECOND = timedelta(seconds=1)


def seen(factory: SessionFactory, her_id: str, at: datetime, gp: str | None = None):  # type: ignore[no-untyped-def]
    with factory() as session:
        return patient_view(load_snapshot(session, her_id), gp, at)


def test_a_stored_easter_text_shows_from_its_start_until_its_end_across_summer_time(
    factory: SessionFactory, country: SmallCountry
) -> None:
    # Clocks go forward at 02:00 on Sunday 29 March 2026; the window spans the change.
    start = datetime(2026, 3, 28, 15, 0, tzinfo=OSLO)
    end = datetime(2026, 3, 30, 8, 0, tzinfo=OSLO)
    with transaction(factory) as s:
        editing.add_scheduled_text(
            s, load_identity(s, country.kari), country.office_a, "helsekontakt",
            "Stengt i helgen – ring legevakt 116 117.", start, end,
            now=datetime(2026, 3, 1, 9, 0, tzinfo=OSLO),
        )  # fmt: skip
    permanent = "Velkommen til Sentrum legesenter."
    scheduled = "Stengt i helgen – ring legevakt 116 117."
    assert seen(factory, country.office_a, start - SECOND).texts["helsekontakt"] == permanent
    assert seen(factory, country.office_a, start).texts["helsekontakt"] == scheduled
    inside = datetime(2026, 3, 29, 3, 30, tzinfo=OSLO)  # just after the change
    assert seen(factory, country.office_a, inside).texts["helsekontakt"] == scheduled
    assert seen(factory, country.office_a, end - SECOND).texts["helsekontakt"] == scheduled
    assert seen(factory, country.office_a, end).texts["helsekontakt"] == permanent


def test_a_stored_weekend_closure_ends_on_monday_0800_across_the_autumn_change(
    factory: SessionFactory, country: SmallCountry
) -> None:
    # Clocks go back at 03:00 on Sunday 25 October 2026. Friday evening, Saturday and
    # Sunday all day, Monday until 08:00: back-to-back windows, one closure for the patient.
    windows = (((4,), "16:00", "00:00"), ((5, 6), "00:00", "00:00"), ((0,), "00:00", "08:00"))
    with transaction(factory) as s:
        kari = load_identity(s, country.kari)
        for weekdays, start, end in windows:
            editing.add_closure(
                s, kari, country.kari, "e_konsultasjon",
                weekdays=weekdays, daily_from=start, daily_to=end, note="Helg",
            )  # fmt: skip
    friday = datetime(2026, 10, 23, 15, 59, tzinfo=OSLO)
    assert (
        not seen(factory, country.office_a, friday, country.kari).button("e_konsultasjon").is_closed
    )
    closed = seen(factory, country.office_a, friday + timedelta(minutes=1), country.kari)
    button = closed.button("e_konsultasjon")
    assert button is not None and button.is_closed
    monday = datetime(2026, 10, 26, 8, 0, tzinfo=OSLO)
    assert button.closed_until == monday
    assert "mandag 26. oktober kl. 08:00" in (button.notice or "")
    assert (
        seen(factory, country.office_a, monday - SECOND, country.kari)
        .button("e_konsultasjon")
        .is_closed
    )
    assert (
        not seen(factory, country.office_a, monday, country.kari).button("e_konsultasjon").is_closed
    )
