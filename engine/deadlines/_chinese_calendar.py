"""Adapter to the ``chinesecalendar`` package (official arrangements it ships, and solar terms).

The package is untyped; every value taken from it is given a type here.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar

from engine.deadlines._local_time import ONE_DAY
from engine.deadlines.calendars import YearArrangement, is_weekend

SOURCE = "chinesecalendar 数据（国务院办公厅部分节假日安排通知）"

# chinesecalendar names holidays in English; these are the labels shown to users.
_NAMES_ZH: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
}
_UNNAMED_DAY_OFF = "节假日"


def covers(year: int) -> bool:
    """Whether chinesecalendar has the official arrangement of ``year``.

    Detected by asking it: it raises NotImplementedError for years it has no data for.
    """
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def official_arrangement(year: int) -> YearArrangement | None:
    """The arrangement of ``year`` as recorded by chinesecalendar, or None if not covered."""
    if not covers(year):
        return None
    holidays: dict[date, str] = {}
    makeup_workdays: set[date] = set()
    day = date(year, 1, 1)
    while day.year == year:
        on_holiday, name = _holiday_detail(day)
        if on_holiday and (name is not None or not is_weekend(day)):
            holidays[day] = _name_zh(name)
        elif not on_holiday and is_weekend(day):
            makeup_workdays.add(day)
        day += ONE_DAY
    return YearArrangement(
        year=year,
        holidays=holidays,
        makeup_workdays=frozenset(makeup_workdays),
        source=SOURCE,
        provisional=False,
    )


def qingming(year: int) -> date:
    """The day of the 清明 solar term (Beijing time) in ``year`` (1900–2100)."""
    terms: list[tuple[date, str]] = chinese_calendar.get_solar_terms(
        date(year, 4, 1), date(year, 4, 10)
    )
    for day, name in terms:
        if name == "清明":
            return day
    raise LookupError(f"no Qingming solar term found in April {year}")  # pragma: no cover


def _holiday_detail(day: date) -> tuple[bool, str | None]:
    on_holiday: bool
    name: str | None
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return on_holiday, name


def _name_zh(name: str | None) -> str:
    if name is None:
        return _UNNAMED_DAY_OFF
    if name in _NAMES_ZH:
        return _NAMES_ZH[name]
    chinese: str = chinese_calendar.Holiday(name).chinese
    return chinese
