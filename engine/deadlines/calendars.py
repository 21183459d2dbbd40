"""Kinds of days, a year's holiday arrangement, and the calendar protocol."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

_SATURDAY = 5


class DayKind(StrEnum):
    """What a calendar day is for the statutory clock."""

    WORKDAY = "workday"
    """An ordinary Monday–Friday working day."""
    REST_DAY = "rest_day"
    """An ordinary weekend day."""
    HOLIDAY = "holiday"
    """A public holiday, including the rest days and 补假 days of its arrangement."""
    MAKEUP_WORKDAY = "makeup_workday"
    """A weekend day made a working day by the arrangement (调休上班)."""

    @property
    def is_working(self) -> bool:
        """True for days on which offices work and working-day periods run."""
        return self in _WORKING_KINDS

    @property
    def label_zh(self) -> str:
        return _KIND_LABELS[self]


_WORKING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY})

_KIND_LABELS: dict[DayKind, str] = {
    DayKind.WORKDAY: "工作日",
    DayKind.REST_DAY: "休息日",
    DayKind.HOLIDAY: "节假日",
    DayKind.MAKEUP_WORKDAY: "调休上班日",
}


def is_weekend(day: date) -> bool:
    return day.weekday() >= _SATURDAY


class InvalidArrangementError(ValueError):
    """A year arrangement that lists a day both as a holiday and as a make-up workday."""

    def __init__(self, year: int, dates: frozenset[date]) -> None:
        listed = "、".join(d.isoformat() for d in sorted(dates))
        super().__init__(f"{year}年安排中，以下日期既是放假日又是调休上班日：{listed}")
        self.year = year
        self.dates = dates


@dataclass(frozen=True)
class YearArrangement:
    """The holidays and make-up workdays of one year.

    ``holidays`` maps each day off (including weekend days inside a holiday block and
    补假 substitute days) to the holiday's Chinese name. Days not listed are ordinary
    workdays or weekend rest days. An official notice may begin the New Year's Day
    holiday in the last days of the previous December; such days may be listed too.
    """

    year: int
    holidays: Mapping[date, str] = field(hash=False)
    makeup_workdays: frozenset[date]
    source: str
    provisional: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", MappingProxyType(dict(self.holidays)))
        object.__setattr__(self, "makeup_workdays", frozenset(self.makeup_workdays))
        both = self.makeup_workdays & self.holidays.keys()
        if both:
            raise InvalidArrangementError(self.year, frozenset(both))

    def __deepcopy__(self, memo: dict[int, object]) -> YearArrangement:
        return self  # immutable: a copy is the same value

    def lists(self, day: date) -> bool:
        """Whether the arrangement names ``day`` explicitly (holiday or make-up workday)."""
        return day in self.holidays or day in self.makeup_workdays

    def day_kind(self, day: date) -> DayKind:
        """The kind of ``day`` under this arrangement."""
        if day in self.holidays:
            return DayKind.HOLIDAY
        if day in self.makeup_workdays:
            return DayKind.MAKEUP_WORKDAY
        return DayKind.REST_DAY if is_weekend(day) else DayKind.WORKDAY


class HolidayCalendar(Protocol):
    """Anything that can tell the kind of a day and whether that answer is provisional."""

    def day_kind(self, d: date, /) -> DayKind: ...

    def is_provisional(self, d: date, /) -> bool: ...
