"""Closing on public holidays: the library's Norwegian calendar, and what patients see."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta

import holidays as holiday_library
import pytest

from helsetilbud.oslo_time import OSLO
from helsetilbud.patient_view import patient_view
from helsetilbud.preview import render_page
from helsetilbud.preview.example import example_snapshot
from helsetilbud.public_holidays import closed_day, holidays_in, next_closed_days
from helsetilbud.snapshot import OfficeSnapshot

ALL = ("timebestilling", "reseptfornyelse", "e_konsultasjon", "kontakt_legekontoret")
LIBRARY_DAYS = sorted(
    day
    for year in (2026, 2027, 2028)
    for day in holiday_library.Norway(years=year, include_sundays=False)
)


def closing(services: tuple[str, ...] = ALL, eves: bool = False) -> OfficeSnapshot:
    office = example_snapshot()
    gp = dataclasses.replace(office.gps[0], holidays=services, holiday_eves=eves)
    return dataclasses.replace(office, gps=(gp,))


def at(day: date, clock: time = time(10, 0)) -> datetime:
    return datetime.combine(day, clock, tzinfo=OSLO)


def test_the_movable_holidays_of_2027_are_there_by_their_norwegian_names() -> None:
    names = holidays_in(2027)
    assert names[date(2027, 3, 25)] == "Skjærtorsdag"
    assert names[date(2027, 3, 26)] == "Langfredag"
    assert names[date(2027, 3, 29)] == "Andre påskedag"
    assert names[date(2027, 5, 6)] == "Kristi himmelfartsdag"
    assert "Andre pinsedag" in names[date(2027, 5, 17)]


def test_an_ordinary_sunday_is_not_a_holiday_and_the_eves_only_when_asked() -> None:
    assert not closed_day(date(2027, 3, 21))
    assert not closed_day(date(2027, 12, 24))
    assert closed_day(date(2027, 12, 24), eves=True) and closed_day(date(2027, 12, 31), True)


def test_on_langfredag_2027_the_service_is_closed_and_says_when_it_opens() -> None:
    view = patient_view(closing(), "9000001", at(date(2027, 3, 26)))
    button = view.button("reseptfornyelse")
    assert button is not None and button.is_closed
    assert button.closed_until == datetime(2027, 3, 27, tzinfo=OSLO)
    html = render_page(view, "forside")
    assert "stengt hos fastlegen din til lørdag 27. mars kl. 00:00" in html
    assert 'data-testid="button-reseptfornyelse"' in html  # the button stays


def test_on_30_march_2027_after_easter_every_service_is_open() -> None:
    view = patient_view(closing(), "9000001", at(date(2027, 3, 30)))
    assert [b.is_closed for b in view.buttons] == [False] * 4


@pytest.mark.parametrize("day", LIBRARY_DAYS, ids=str)
def test_every_public_holiday_of_2026_to_2028_closes_and_the_next_ordinary_day_opens(
    day: date,
) -> None:
    view = patient_view(closing(("e_konsultasjon",)), "9000001", at(day))
    closed = view.button("e_konsultasjon")
    assert closed is not None and closed.is_closed
    reopens = day + timedelta(days=1)
    while reopens in LIBRARY_DAYS:
        reopens += timedelta(days=1)
    assert closed.closed_until == datetime.combine(reopens, time(0), tzinfo=OSLO)
    other = view.button("timebestilling")
    assert other is not None and not other.is_closed


def test_the_next_closed_days_from_advent_are_christmas_and_new_year() -> None:
    days = [d for d, _ in next_closed_days(date(2026, 12, 1), 3)]
    assert days == [date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)]
