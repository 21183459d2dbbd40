from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from engine.deadlines import DayKind, UnsupportedYearError, statutory_arrangement
from tests.unit.deadlines._support import CALENDAR, d

SUBSTITUTE = "（补假）"


def _is_official_holiday(day: date) -> bool:
    on_holiday: bool = chinese_calendar.is_holiday(day)
    return on_holiday


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_is_an_official_holiday(year: int) -> None:
    """Under the 2024 revision, the statute's days (and 补假) are holidays in the real notices."""
    arrangement = statutory_arrangement(year)
    not_off = [day for day in arrangement.holidays if not _is_official_holiday(day)]
    assert not_off == []
    # Stricter: each is inside a named holiday of the notice, not just an ordinary weekend.
    kinds = {CALENDAR.day_kind(day) for day in arrangement.holidays}
    assert kinds == {DayKind.HOLIDAY}


@pytest.mark.parametrize("year", range(2008, 2027))
def test_lunar_and_solar_term_festivals_match_the_official_holidays(year: int) -> None:
    """初一–初三, 清明, 端午 and 中秋 were holidays every year since 2008; check our dates."""
    holidays = statutory_arrangement(year).holidays
    festival_names = ("春节", "清明节", "端午节", "中秋节")
    days = [
        day
        for day, name in holidays.items()
        if any(n in name for n in festival_names) and not name.endswith(SUBSTITUTE)
    ]
    new_years_eve = min(day for day, name in holidays.items() if name == "春节")
    days.remove(new_years_eve)  # 除夕 became a statutory holiday only in 2025
    assert len(days) == 6
    assert [day for day in days if not _is_official_holiday(day)] == []


# Cross-checked against an astronomical ephemeris (PyEphem) and lunar-python.
@pytest.mark.parametrize(
    ("year", "new_years_eve", "qingming", "dragon_boat", "mid_autumn"),
    [
        pytest.param(2027, "2027-02-05", "2027-04-05", "2027-06-09", "2027-09-15", id="2027"),
        pytest.param(2028, "2028-01-25", "2028-04-04", "2028-05-28", "2028-10-03", id="2028"),
        pytest.param(2029, "2029-02-12", "2029-04-04", "2029-06-16", "2029-09-22", id="2029"),
        pytest.param(2030, "2030-02-02", "2030-04-05", "2030-06-05", "2030-09-12", id="2030"),
        pytest.param(2031, "2031-01-22", "2031-04-05", "2031-06-24", "2031-10-01", id="2031"),
        pytest.param(2033, "2033-01-30", "2033-04-04", "2033-06-01", "2033-09-08", id="2033"),
        pytest.param(2035, "2035-02-07", "2035-04-05", "2035-06-10", "2035-09-16", id="2035"),
    ],
)
def test_festival_dates_in_future_years(
    year: int, new_years_eve: str, qingming: str, dragon_boat: str, mid_autumn: str
) -> None:
    holidays = statutory_arrangement(year).holidays
    eve = d(new_years_eve)
    assert "春节" in holidays[eve]
    assert eve - timedelta(days=1) not in holidays
    for offset in (1, 2, 3):
        assert "春节" in holidays[eve + timedelta(days=offset)]
    assert "清明节" in holidays[d(qingming)]
    assert "端午节" in holidays[d(dragon_boat)]
    assert "中秋节" in holidays[d(mid_autumn)]


def test_2027_full_statutory_arrangement() -> None:
    arrangement = statutory_arrangement(2027)
    expected = {
        "2027-01-01": "元旦",
        "2027-02-05": "春节",  # 除夕 = 腊月二十九 in 2027
        "2027-02-06": "春节",
        "2027-02-07": "春节",
        "2027-02-08": "春节",
        "2027-02-09": "春节（补假）",  # for Saturday 02-06
        "2027-02-10": "春节（补假）",  # for Sunday 02-07
        "2027-04-05": "清明节",
        "2027-05-01": "劳动节",
        "2027-05-02": "劳动节",
        "2027-05-03": "劳动节（补假）",
        "2027-05-04": "劳动节（补假）",
        "2027-06-09": "端午节",
        "2027-09-15": "中秋节",
        "2027-10-01": "国庆节",
        "2027-10-02": "国庆节",
        "2027-10-03": "国庆节",
        "2027-10-04": "国庆节（补假）",
        "2027-10-05": "国庆节（补假）",
    }
    assert dict(arrangement.holidays) == {d(k): v for k, v in expected.items()}
    assert arrangement.makeup_workdays == frozenset()
    assert arrangement.provisional is True
    assert arrangement.year == 2027
    assert "全国年节及纪念日放假办法" in arrangement.source


def test_new_years_eve_on_the_thirtieth_and_weekend_substitutes() -> None:
    # 2030: 除夕 is 腊月三十, Saturday 02-02; 初一 Sunday; 初二, 初三 Mon–Tue.
    holidays = statutory_arrangement(2030).holidays
    spring = sorted(day for day, name in holidays.items() if name.startswith("春节"))
    assert spring == [d("2030-02-02") + timedelta(days=i) for i in range(6)]
    assert holidays[d("2030-02-06")] == "春节（补假）"
    assert holidays[d("2030-02-07")] == "春节（补假）"


def test_new_years_day_on_saturday_is_compensated_on_monday() -> None:
    holidays = statutory_arrangement(2028).holidays
    assert holidays[d("2028-01-01")] == "元旦"
    assert d("2028-01-02") not in holidays  # an ordinary Sunday
    assert holidays[d("2028-01-03")] == "元旦（补假）"


def test_mid_autumn_on_national_day_is_one_day_with_both_names() -> None:
    holidays = statutory_arrangement(2031).holidays
    assert holidays[d("2031-10-01")] == "国庆节、中秋节"
    october = sorted(day for day in holidays if day.month in (9, 10))
    assert october == [d("2031-10-01"), d("2031-10-02"), d("2031-10-03")]


@pytest.mark.parametrize("year", [1900, 2100])
def test_years_outside_the_lunar_tables_are_rejected(year: int) -> None:
    with pytest.raises(UnsupportedYearError, match=str(year)):
        statutory_arrangement(year)
