"""Statutory deadlines: periods, holiday calendars and deadline arithmetic.

Pure code: the standard library, chinesecalendar, lunardate and pydantic (the import file's
schema) only; no clock, no I/O.
"""

from __future__ import annotations

from engine.deadlines._local_time import LOCAL_TZ, NaiveDatetimeError
from engine.deadlines.arithmetic import (
    Deadline,
    NoWorkingDayError,
    compute_deadline,
    days_left,
    working_days_before,
)
from engine.deadlines.arrangement_file import (
    ArrangementFileError,
    dump_arrangement_toml,
    parse_arrangement_toml,
)
from engine.deadlines.calendars import (
    DayKind,
    HolidayCalendar,
    InvalidArrangementError,
    YearArrangement,
)
from engine.deadlines.layered import ArrangementYearMismatchError, LayeredCalendar
from engine.deadlines.pauses import Pause, PauseEndBeforeStartError
from engine.deadlines.periods import InvalidPeriodError, Period, Unit
from engine.deadlines.statutory import UnsupportedYearError, statutory_arrangement

__all__ = [
    "LOCAL_TZ",
    "ArrangementFileError",
    "ArrangementYearMismatchError",
    "DayKind",
    "Deadline",
    "HolidayCalendar",
    "InvalidArrangementError",
    "InvalidPeriodError",
    "LayeredCalendar",
    "NaiveDatetimeError",
    "NoWorkingDayError",
    "Pause",
    "PauseEndBeforeStartError",
    "Period",
    "Unit",
    "UnsupportedYearError",
    "YearArrangement",
    "compute_deadline",
    "days_left",
    "dump_arrangement_toml",
    "parse_arrangement_toml",
    "statutory_arrangement",
    "working_days_before",
]
