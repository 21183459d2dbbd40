"""Deadline arithmetic: from an event, a period and a calendar to the last day.

Rules (DESIGN.md, "Counting days"; 民法典 arts. 201–203):

* The event's own day (in Asia/Shanghai) is not counted; counting starts the next day.
* WORKING_DAYS counts only working days (workdays and 调休 make-up days).
* DAYS counts calendar days; a last day that is not a working day moves to the next one.
* MONTHS ends on the corresponding day of the final month (its last day if there is none),
  then moves like DAYS.
* HOURS ends at the exact instant ``event_at`` + N hours.
* A deadline ends at 24:00 of its last day, i.e. 00:00 of the following day.

Pauses (中止): days from ``start`` up to, not including, ``end`` are not counted in any
unit, and a last day never falls on a paused day. A MONTHS period is first turned into the
calendar days it spans, which are then counted around the pauses; HOURS stop from 00:00 of
``start`` to 00:00 of ``end``. An open pause (``end=None``) is assumed to end the day after
it starts, and the result has ``paused=True`` if it started on or before the computed last
day: callers recompute with the real end once the clock resumes.

Extensions (延长): each is counted in its own unit from the deadline reached so far, with
that deadline's last day as the event day (for HOURS: from its exact end). A 60 working day
investigation extended by 30 working days thus ends after 90 working days.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from engine.deadlines._clock import RunningClock
from engine.deadlines._local_time import (
    ONE_DAY,
    day_ending_at,
    local_date,
    require_aware,
    start_of_day,
)
from engine.deadlines.calendars import HolidayCalendar
from engine.deadlines.pauses import Pause
from engine.deadlines.periods import Period, Unit

MAX_DAYS_WITHOUT_WORK = 400
"""A calendar with no working day for this long is treated as broken."""

_HOUR = timedelta(hours=1)


class NoWorkingDayError(RuntimeError):
    """The calendar has more than MAX_DAYS_WITHOUT_WORK consecutive non-working days."""

    def __init__(self, day: date) -> None:
        super().__init__(f"no working day for {MAX_DAYS_WITHOUT_WORK} consecutive days at {day}")
        self.day = day


@dataclass(frozen=True)
class Deadline:
    """When a period runs out.

    ``ends_at`` is the instant it expires (aware, Asia/Shanghai): 00:00 after ``last_day``
    for day-based units, the exact instant for HOURS. ``provisional`` is True if any day
    consulted came from a provisional holiday arrangement. ``paused`` is True while an
    open pause holds the clock (see the module docstring).
    """

    last_day: date
    ends_at: datetime
    provisional: bool
    paused: bool


class _Days:
    """Answers "is this a working day?" and remembers whether any answer was provisional."""

    def __init__(self, calendar: HolidayCalendar) -> None:
        self._calendar = calendar
        self.provisional = False

    def is_working(self, day: date) -> bool:
        if not self.provisional and self._calendar.is_provisional(day):
            self.provisional = True
        return self._calendar.day_kind(day).is_working


@dataclass(frozen=True)
class _Position:
    """How far the clock has got: the last day reached and the exact instant."""

    day: date
    instant: datetime


def compute_deadline(
    event_at: datetime,
    period: Period,
    calendar: HolidayCalendar,
    *,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Period] = (),
) -> Deadline:
    """The deadline of ``period`` after the event at ``event_at`` (aware)."""
    require_aware("event_at", event_at)
    steps = (period, *extensions)
    if any(step.unit is Unit.HOURS for step in steps):
        return _compute(event_at, steps, calendar, pauses)
    # Counted in days, a deadline depends only on the event's date: remember it per calendar.
    try:
        memo = _MEMO.setdefault(calendar, {})
    except TypeError:  # a calendar that cannot be weakly referenced: no memo
        return _compute(event_at, steps, calendar, pauses)
    key = (local_date(event_at), steps, tuple(pauses))
    found = memo.get(key)
    if found is None:
        found = memo[key] = _compute(event_at, steps, calendar, pauses)
    return found


_MEMO: WeakKeyDictionary[HolidayCalendar, dict[tuple[Any, ...], Deadline]] = WeakKeyDictionary()


def _compute(
    event_at: datetime,
    steps: tuple[Period, ...],
    calendar: HolidayCalendar,
    pauses: Sequence[Pause],
) -> Deadline:
    clock = RunningClock(pauses)
    days = _Days(calendar)
    position = _Position(local_date(event_at), event_at)
    for step in steps:
        position = _advance(position, step, clock, days)
    paused = any(p.is_open and p.start <= position.day for p in pauses)
    return Deadline(
        last_day=position.day,
        ends_at=position.instant,
        provisional=days.provisional,
        paused=paused,
    )


def days_left(now: datetime, deadline: Deadline, unit: Unit, calendar: HolidayCalendar) -> int:
    """Units remaining before ``deadline``: 0 during the last one, negative when overdue.

    WORKING_DAYS counts working days after today up to the last day; once overdue it is
    minus the working days since the last day, but at least -1 (a weekend right after
    the last day is already overdue). DAYS and MONTHS count calendar days. HOURS counts
    whole hours left (0 when less than one is left); from ``ends_at`` on it is -1 in the
    first hour overdue, -2 in the second, and so on.
    """
    require_aware("now", now)
    if unit is Unit.HOURS:
        remaining = deadline.ends_at - now
        if remaining > timedelta(0):
            return remaining // _HOUR
        return -(-remaining // _HOUR + 1)
    today = local_date(now)
    if unit is not Unit.WORKING_DAYS:
        return (deadline.last_day - today).days
    if today <= deadline.last_day:
        return _working_days_between(today, deadline.last_day, calendar)
    return -max(1, _working_days_between(deadline.last_day, today, calendar))


def working_days_before(deadline: Deadline, n: int, calendar: HolidayCalendar) -> date:
    """The working day ``n`` working days before the last day (``n=0``: the last day)."""
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    day = deadline.last_day
    idle = 0
    while n > 0:
        day -= ONE_DAY
        if calendar.day_kind(day).is_working:
            n -= 1
            idle = 0
        else:
            idle = _count_idle(idle, day)
    return day


def _advance(position: _Position, period: Period, clock: RunningClock, days: _Days) -> _Position:
    if period.unit is Unit.HOURS:
        instant = clock.add_running_time(position.instant, period.amount * _HOUR)
        return _Position(day_ending_at(instant), instant)
    if period.unit is Unit.WORKING_DAYS:
        last = _count_working_days(position.day, period.amount, clock, days)
    else:
        span = period.amount
        if period.unit is Unit.MONTHS:
            span = (_add_months(position.day, period.amount) - position.day).days
        last = _roll_to_working_day(_count_days(position.day, span, clock), clock, days)
    return _Position(last, start_of_day(last + ONE_DAY))


def _count_working_days(event_day: date, amount: int, clock: RunningClock, days: _Days) -> date:
    day = event_day
    idle = 0
    while amount > 0:
        day = clock.next_running_day(day)
        if days.is_working(day):
            amount -= 1
            idle = 0
        else:
            idle = _count_idle(idle, day)
    return day


def _count_days(event_day: date, amount: int, clock: RunningClock) -> date:
    day = event_day
    for _ in range(amount):
        day = clock.next_running_day(day)
    return day


def _roll_to_working_day(day: date, clock: RunningClock, days: _Days) -> date:
    day = clock.first_running_day(day)
    idle = 0
    while not days.is_working(day):
        idle = _count_idle(idle, day)
        day = clock.next_running_day(day)
    return day


def _working_days_between(after: date, through: date, calendar: HolidayCalendar) -> int:
    """Working days in (after, through]."""
    count = 0
    day = after + ONE_DAY
    while day <= through:
        if calendar.day_kind(day).is_working:
            count += 1
        day += ONE_DAY
    return count


def _add_months(day: date, months: int) -> date:
    """The corresponding day ``months`` later, or that month's last day (民法典 art. 202)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _count_idle(idle: int, day: date) -> int:
    if idle + 1 > MAX_DAYS_WITHOUT_WORK:
        raise NoWorkingDayError(day)
    return idle + 1
