"""Holidays fixed by 《全国年节及纪念日放假办法》 (2024 revision), for years with no notice.

Article 2 gives every citizen these days off: 元旦 (Jan 1), 春节 (除夕 and 正月初一–初三),
清明节 (the solar-term day), 劳动节 (May 1–2), 端午节 (lunar 5/5), 中秋节 (lunar 8/15) and
国庆节 (Oct 1–3). Article 4: such a day falling on a Saturday or Sunday is compensated on a
working day (补假); here that is the first Monday–Friday after it that is not already a
day off. The 调休 swaps of the State Council's yearly notice cannot be predicted and are not
invented, so the result is provisional.
"""

from __future__ import annotations

from datetime import date, timedelta

from lunardate import LunarDate

from engine.deadlines._chinese_calendar import qingming
from engine.deadlines._local_time import ONE_DAY
from engine.deadlines.calendars import YearArrangement, is_weekend

FIRST_YEAR = 1901
LAST_YEAR = 2099
SOURCE = "依据《全国年节及纪念日放假办法》（2024年修订）推算，待国务院办公厅通知公布后更新"
_SUBSTITUTE_SUFFIX = "（补假）"


class UnsupportedYearError(ValueError):
    """The lunar and solar-term tables do not reach this year."""

    def __init__(self, year: int) -> None:
        super().__init__(f"无法推算{year}年的法定节假日（仅支持{FIRST_YEAR}–{LAST_YEAR}年）")
        self.year = year


def statutory_arrangement(year: int) -> YearArrangement:
    """The statutory holidays of ``year`` with Article 4 substitute days; provisional."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UnsupportedYearError(year)
    named = _festival_days(year)
    holidays = dict(named)
    for day in sorted(named):
        if is_weekend(day):
            substitute = day + ONE_DAY
            while is_weekend(substitute) or substitute in holidays:
                substitute += ONE_DAY
            holidays[substitute] = named[day] + _SUBSTITUTE_SUFFIX
    return YearArrangement(
        year=year,
        holidays=holidays,
        makeup_workdays=frozenset(),
        source=SOURCE,
        provisional=True,
    )


def _festival_days(year: int) -> dict[date, str]:
    """Article 2 days of ``year``; a day shared by two festivals carries both names."""
    lunar_new_year = _lunar(year, 1, 1)
    festivals: list[tuple[str, list[date]]] = [
        ("元旦", [date(year, 1, 1)]),
        # 除夕 is the last day of the twelfth lunar month (the 29th or the 30th).
        ("春节", [lunar_new_year + timedelta(days=offset) for offset in range(-1, 3)]),
        ("清明节", [qingming(year)]),
        ("劳动节", [date(year, 5, 1), date(year, 5, 2)]),
        ("端午节", [_lunar(year, 5, 5)]),
        ("国庆节", [date(year, 10, day) for day in (1, 2, 3)]),
        ("中秋节", [_lunar(year, 8, 15)]),
    ]
    names: dict[date, list[str]] = {}
    for name, days in festivals:
        for day in days:
            names.setdefault(day, []).append(name)
    return {day: "、".join(listed) for day, listed in names.items()}


def _lunar(year: int, month: int, day: int) -> date:
    """The Gregorian date of a day of a (non-leap) lunar month."""
    solar: date = LunarDate(year, month, day).to_solar_date()
    return solar
