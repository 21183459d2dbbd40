from __future__ import annotations

from datetime import date

import pytest

from engine.deadlines import (
    ArrangementYearMismatchError,
    DayKind,
    HolidayCalendar,
    LayeredCalendar,
    YearArrangement,
    statutory_arrangement,
)
from tests.unit.deadlines._support import CALENDAR, d, sample_2027


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        pytest.param("2025-09-26", DayKind.WORKDAY, id="2025-09-26-friday"),
        pytest.param("2025-09-27", DayKind.REST_DAY, id="2025-09-27-saturday"),
        pytest.param("2025-09-28", DayKind.MAKEUP_WORKDAY, id="2025-09-28-makeup-sunday"),
        pytest.param("2025-10-01", DayKind.HOLIDAY, id="2025-10-01-national-day"),
        pytest.param("2025-10-04", DayKind.HOLIDAY, id="2025-10-04-saturday-in-holiday"),
        pytest.param("2025-10-06", DayKind.HOLIDAY, id="2025-10-06-mid-autumn"),
        pytest.param("2025-10-09", DayKind.WORKDAY, id="2025-10-09-back-to-work"),
        pytest.param("2025-10-11", DayKind.MAKEUP_WORKDAY, id="2025-10-11-makeup-saturday"),
        pytest.param("2025-10-12", DayKind.REST_DAY, id="2025-10-12-sunday"),
        pytest.param("2026-02-14", DayKind.MAKEUP_WORKDAY, id="2026-02-14-makeup-saturday"),
        pytest.param("2026-02-16", DayKind.HOLIDAY, id="2026-02-16-chuxi"),
        pytest.param("2027-02-06", DayKind.HOLIDAY, id="2027-02-06-statutory-chuyi"),
        pytest.param("2027-02-09", DayKind.HOLIDAY, id="2027-02-09-statutory-substitute"),
        pytest.param("2027-02-20", DayKind.REST_DAY, id="2027-02-20-no-invented-makeup"),
    ],
)
def test_day_kinds(day: str, kind: DayKind) -> None:
    assert CALENDAR.day_kind(d(day)) is kind


@pytest.mark.parametrize(
    ("day", "provisional"),
    [
        pytest.param("2004-01-01", False, id="first-chinesecalendar-year"),
        pytest.param("2026-12-31", False, id="last-chinesecalendar-year"),
        pytest.param("2027-01-01", True, id="beyond-chinesecalendar"),
        pytest.param("2003-06-02", True, id="before-chinesecalendar"),
    ],
)
def test_years_without_official_data_are_provisional(day: str, provisional: bool) -> None:
    assert CALENDAR.is_provisional(d(day)) is provisional


def test_chinesecalendar_years_are_named_in_chinese() -> None:
    arrangement = CALENDAR.arrangement(2025)
    assert arrangement.holidays[d("2025-10-01")] == "国庆节"
    assert arrangement.holidays[d("2025-01-28")] == "春节"
    assert d("2025-09-28") in arrangement.makeup_workdays
    assert arrangement.provisional is False


def test_years_without_data_fall_back_to_the_statute() -> None:
    assert CALENDAR.arrangement(2027) == statutory_arrangement(2027)


def test_imported_arrangement_replaces_the_statutory_one() -> None:
    calendar = LayeredCalendar({2027: sample_2027()})
    assert calendar.is_provisional(d("2027-03-01")) is False
    assert calendar.day_kind(d("2027-02-11")) is DayKind.HOLIDAY
    assert calendar.day_kind(d("2027-02-20")) is DayKind.MAKEUP_WORKDAY
    assert calendar.is_provisional(d("2028-01-03")) is True


def test_imported_arrangement_overrides_chinesecalendar() -> None:
    correction = YearArrangement(
        year=2025,
        holidays={date(2025, 1, 1): "元旦"},
        makeup_workdays=frozenset(),
        source="测试",
        provisional=False,
    )
    calendar = LayeredCalendar({2025: correction})
    assert calendar.day_kind(d("2025-10-01")) is DayKind.WORKDAY


def test_notice_may_start_new_years_day_in_the_previous_december() -> None:
    notice_2029 = YearArrangement(
        year=2029,
        holidays={
            date(2028, 12, 30): "元旦",
            date(2028, 12, 31): "元旦",
            date(2029, 1, 1): "元旦",
        },
        makeup_workdays=frozenset(),
        source="测试",
        provisional=False,
    )
    calendar = LayeredCalendar({2029: notice_2029})
    assert calendar.day_kind(d("2028-12-30")) is DayKind.HOLIDAY
    assert calendar.is_provisional(d("2028-12-30")) is False
    # Other days of 2028 still come from the statute.
    assert calendar.day_kind(d("2028-12-29")) is DayKind.WORKDAY
    assert calendar.is_provisional(d("2028-12-29")) is True


def test_resolved_years_are_cached() -> None:
    calendar = LayeredCalendar()
    assert calendar.arrangement(2027) is calendar.arrangement(2027)
    assert calendar.arrangement(2025) is calendar.arrangement(2025)


def test_imported_arrangement_must_be_registered_under_its_year() -> None:
    with pytest.raises(ArrangementYearMismatchError):
        LayeredCalendar({2028: sample_2027()})


def test_layered_calendar_satisfies_the_protocol() -> None:
    calendar: HolidayCalendar = LayeredCalendar()
    assert calendar.day_kind(d("2025-10-01")) is DayKind.HOLIDAY
