"""The bureau's calendar: imported notices, then chinesecalendar, then the statute."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from engine.deadlines import _chinese_calendar
from engine.deadlines.calendars import DayKind, YearArrangement
from engine.deadlines.statutory import statutory_arrangement


class ArrangementYearMismatchError(ValueError):
    """An imported arrangement registered under a year other than its own."""

    def __init__(self, key: int, arrangement_year: int) -> None:
        super().__init__(f"导入的{arrangement_year}年安排被登记在{key}年下")
        self.key = key
        self.arrangement_year = arrangement_year


class LayeredCalendar:
    """A HolidayCalendar answering from the best source available for each year.

    1. the arrangement the county imported for that year (the State Council's notice);
    2. otherwise chinesecalendar, if it has the year (detected, not hard-coded);
    3. otherwise the statutory holidays (`statutory_arrangement`), marked provisional.

    An imported notice for year Y may also name days at the end of December of Y-1 (a
    New Year's Day holiday that starts early); those explicit days override the answer for
    Y-1. The resolved arrangement of each year is cached.
    """

    def __init__(self, imported: Mapping[int, YearArrangement] | None = None) -> None:
        imported = dict(imported or {})
        for key, arrangement in imported.items():
            if key != arrangement.year:
                raise ArrangementYearMismatchError(key, arrangement.year)
        self._imported = imported
        self._resolved: dict[int, YearArrangement] = {}
        self._days: dict[date, tuple[DayKind, bool]] = {}

    def arrangement(self, year: int) -> YearArrangement:
        """The arrangement used for days of ``year``."""
        cached = self._resolved.get(year)
        if cached is None:
            cached = (
                self._imported.get(year)
                or _chinese_calendar.official_arrangement(year)
                or statutory_arrangement(year)
            )
            self._resolved[year] = cached
        return cached

    def day_kind(self, d: date, /) -> DayKind:
        return self._day(d)[0]

    def is_provisional(self, d: date, /) -> bool:
        return self._day(d)[1]

    def _day(self, d: date) -> tuple[DayKind, bool]:
        # Deadlines walk the same weeks over and over: remember each day once resolved.
        known = self._days.get(d)
        if known is None:
            governing = self._governing(d)
            known = self._days[d] = (governing.day_kind(d), governing.provisional)
        return known

    def _governing(self, day: date) -> YearArrangement:
        following = self._imported.get(day.year + 1)
        if following is not None and following.lists(day):
            return following
        return self.arrangement(day.year)
