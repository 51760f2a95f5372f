"""What a patient sees at a moment: scheduled texts and closures switch at their edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from helsetilbud.patient_view import OSLO, patient_view
from helsetilbud.snapshot import Closure, GpState, OfficeSnapshot, Scheduled

ALL_ON = {"timebestilling": True, "reseptfornyelse": True, "e_konsultasjon": True,
          "kontakt_legekontoret": True}  # fmt: skip


def office(*, closures: tuple[Closure, ...] = (), scheduled: tuple[Scheduled, ...] = (),
           services: dict[str, bool] | None = None) -> OfficeSnapshot:  # fmt: skip
    return OfficeSnapshot(
        her_id="100001",
        name="Sentrum legesenter",
        address="Storgata 1",
        postal_code="0155",
        postal_place="OSLO",
        fylke="Oslo",
        texts={"helsekontakt": "Vanlig tekst"},
        text_versions={},
        tools={},
        tool_versions={},
        gps=(GpState("1000001", "Kari Nordmann", services or ALL_ON, closures),),
        scheduled=scheduled,
    )


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def test_a_scheduled_text_replaces_the_permanent_one_only_inside_its_window() -> None:
    start, end = oslo(2026, 12, 23, 16, 0), oslo(2027, 1, 2, 8, 0)
    snap = office(scheduled=(Scheduled(1, "helsekontakt", "Stengt i romjulen", start, end),))
    second = timedelta(seconds=1)
    assert patient_view(snap, None, start - second).texts["helsekontakt"] == "Vanlig tekst"
    assert patient_view(snap, None, start).texts["helsekontakt"] == "Stengt i romjulen"
    assert patient_view(snap, None, end - second).texts["helsekontakt"] == "Stengt i romjulen"
    assert patient_view(snap, None, end).texts["helsekontakt"] == "Vanlig tekst"


def test_a_draft_wins_over_scheduled_and_stored_text() -> None:
    snap = office()
    view = patient_view(snap, None, oslo(2026, 11, 26, 12), {"helsekontakt": "Utkast"})
    assert view.texts["helsekontakt"] == "Utkast"
    assert snap.texts["helsekontakt"] == "Vanlig tekst"


def test_a_holiday_closure_keeps_the_button_with_a_notice_until_it_ends() -> None:
    start, end = oslo(2026, 7, 1, 0, 0), oslo(2026, 7, 20, 8, 0)
    snap = office(closures=(Closure(1, "e_konsultasjon", starts_at=start, ends_at=end),))
    before = patient_view(snap, None, start - timedelta(minutes=1)).button("e_konsultasjon")
    inside = patient_view(snap, None, start).button("e_konsultasjon")
    after = patient_view(snap, None, end).button("e_konsultasjon")
    assert before is not None and not before.is_closed
    assert inside is not None and inside.is_closed
    assert inside.closed_until == end
    assert "mandag 20. juli kl. 08:00" in (inside.notice or "")
    assert "116 117" in (inside.notice or "") and "113" in (inside.notice or "")
    assert after is not None and not after.is_closed


def test_a_weekly_night_closure_follows_oslo_time_across_the_spring_clock_change() -> None:
    # Every night 16:00-08:00, Monday to Sunday. On 29 March 2026 clocks go 02:00 -> 03:00.
    nightly = Closure(1, "e_konsultasjon", weekdays=tuple(range(7)), daily_from="16:00",
                      daily_to="08:00")  # fmt: skip
    snap = office(closures=(nightly,))
    saturday_evening = oslo(2026, 3, 28, 16, 0)
    view = patient_view(snap, None, saturday_evening)
    button = view.button("e_konsultasjon")
    assert button is not None and button.closed_until == oslo(2026, 3, 29, 8, 0)
    # 16 hours of wall clock, but only 15 real hours across the change.
    assert button.closed_until.astimezone(UTC) - saturday_evening.astimezone(UTC) == timedelta(
        hours=15
    )
    assert not patient_view(snap, None, oslo(2026, 3, 29, 8, 0)).button("e_konsultasjon").is_closed
    assert patient_view(snap, None, oslo(2026, 3, 29, 7, 59)).button("e_konsultasjon").is_closed
    assert (
        not patient_view(snap, None, oslo(2026, 3, 29, 15, 59)).button("e_konsultasjon").is_closed
    )


def test_a_weekend_closure_opens_on_monday_morning_across_the_autumn_clock_change() -> None:
    # Friday 16:00 -> Saturday 00:00, then Saturday and Sunday whole days, back to back.
    friday = Closure(1, "timebestilling", weekdays=(4,), daily_from="16:00", daily_to="23:59")
    weekend = Closure(2, "timebestilling", weekdays=(5, 6), daily_from="00:00", daily_to="00:00")
    late = Closure(3, "timebestilling", weekdays=(4,), daily_from="23:59", daily_to="00:00")
    snap = office(closures=(friday, weekend, late))
    friday_evening = oslo(2026, 10, 23, 17, 0)  # clocks go back on Sunday 25 October
    button = patient_view(snap, None, friday_evening).button("timebestilling")
    assert button is not None and button.closed_until == oslo(2026, 10, 26, 0, 0)
    assert button.closed_until.astimezone(UTC) == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    monday = patient_view(snap, None, oslo(2026, 10, 26, 9, 0)).button("timebestilling")
    assert monday is not None and not monday.is_closed


def test_the_panel_disappears_when_the_gp_has_every_service_off() -> None:
    snap = office(services=dict.fromkeys(ALL_ON, False))
    view = patient_view(snap, "1000001", oslo(2026, 11, 26, 12))
    assert not view.panel_visible and view.buttons == ()


def test_only_the_services_the_gp_has_on_get_a_button() -> None:
    snap = office(services={**ALL_ON, "e_konsultasjon": False})
    labels = [b.label for b in patient_view(snap, "1000001", oslo(2026, 11, 26, 12)).buttons]
    assert labels == ["Bestill time", "Forny resept", "Kontakt legekontoret"]
