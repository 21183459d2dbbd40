"""Pure rules for running timers: recomputing a deadline after pauses and extensions,
and when the next reminder is due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from engine.deadlines import (
    LOCAL_TZ,
    Deadline,
    HolidayCalendar,
    NoWorkingDayError,
    Pause,
    Period,
    Unit,
    compute_deadline,
    working_days_before,
)
from engine.deadlines.arithmetic import MAX_DAYS_WITHOUT_WORK

REMINDER_HOUR = time(8, 0)

Mark = tuple[datetime, int]
"""Where a sweep's claims got to: the (due or reminder time, id) it claimed last."""


class TimerStatus(StrEnum):
    """Where a stored timer stands. A pending timer fires (its expiry trigger ran), expires
    (it passed and was escalated to the supervisor as overdue: on the board until the case
    moves on) or is cancelled (the case left its state in time). An expired timer ends late
    when the case leaves its state."""

    PENDING = "pending"
    FIRED = "fired"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    ENDED_LATE = "ended_late"


class ClockChangeKind(StrEnum):
    EXTEND = "extend"
    PAUSE = "pause"
    RESUME = "resume"


@dataclass(frozen=True)
class ClockChange:
    """A change to a case's running timers a transition makes (延期, 中止, 恢复)."""

    kind: ClockChangeKind
    timer: str | None = None
    period: Period | None = None


@dataclass(frozen=True)
class RunningTimer:
    """What deadline arithmetic needs of a stored timer."""

    period: Period
    started_at: datetime
    pauses: tuple[Pause, ...] = ()
    extensions: tuple[Period, ...] = ()

    def deadline(self, calendar: HolidayCalendar) -> Deadline:
        return compute_deadline(
            self.started_at,
            self.period,
            calendar,
            pauses=self.pauses,
            extensions=self.extensions,
        )


def pauses_from_json(items: Sequence[dict[str, Any]]) -> tuple[Pause, ...]:
    return tuple(
        Pause(
            date.fromisoformat(p["start"]), date.fromisoformat(p["end"]) if p.get("end") else None
        )
        for p in items
    )


def pauses_to_json(pauses: Sequence[Pause]) -> list[dict[str, Any]]:
    return [
        {"start": p.start.isoformat(), "end": p.end.isoformat() if p.end else None} for p in pauses
    ]


def periods_from_json(items: Sequence[dict[str, Any]]) -> tuple[Period, ...]:
    return tuple(Period(int(p["amount"]), Unit(p["unit"])) for p in items)


def periods_to_json(periods: Sequence[Period]) -> list[dict[str, Any]]:
    return [{"amount": p.amount, "unit": str(p.unit)} for p in periods]


def next_reminder(
    deadline: Deadline,
    reminders: Sequence[int],
    sent: Sequence[int],
    started_at: datetime,
    calendar: HolidayCalendar,
    not_before: date | None = None,
) -> tuple[int, datetime] | None:
    """The next reminder still to send — (working days before, when) — or None.

    A reminder is due at 08:00 local time on the working day that many working days before
    the last day; reminders whose day is not after the day the timer started are skipped
    (a short window needs no reminder before it has begun), and so are those before
    ``not_before`` (a window recorded after its legal event: the days already gone)."""
    start_day = started_at.astimezone(LOCAL_TZ).date()
    for n in sorted(set(reminders) - set(sent), reverse=True):
        day = working_days_before(deadline, n, calendar)
        if not_before is not None and day < not_before:
            continue
        if day > start_day and day <= deadline.last_day:
            return n, datetime.combine(day, REMINDER_HOUR, LOCAL_TZ)
    return None


CALENDAR_MARGIN = timedelta(days=10)
"""How much further the reminders' bound reads than the calendar of this process needs."""


def reminded_due_by(now: datetime, most: int, calendar: HolidayCalendar) -> datetime:
    """No running timer due after this instant has a reminder due by ``now`` (from
    next_reminder, each at most ``most`` working days before its last day): where the
    sweep stops reading timers in due order for the reminders (db/timers.py).

    Proof. A reminder n working days before the last day L is at 08:00 on the day R with
    n working days in [R, L) (R = L for n = 0); due by ``now``, R is at most today T. If
    L > T, the working days of [T, L) are among those of [R, L): at most n <= ``most``.
    So L is at most W, the working day ``most`` + 1 counted from T on (W itself in [T, L)
    would make them ``most`` + 1). A timer is due at 24:00 of its last day, or (hours)
    at an instant of it: by 00:00 after W. A running timer's due time and reminder come
    from one deadline (started, extended, resumed, recomputed on a calendar import) under
    the calendar of the day; paused timers are not running.

    The bound then goes ``CALENDAR_MARGIN`` further: a worker process keeps the holiday
    calendar it read until it restarts, and a calendar imported since (in another process)
    may have added days off between today and L, which only the new calendar's reminder
    times know. The margin holds the longest run of days off a calendar has (the Spring
    Festival's, with its weekends), so such a worker still sends those reminders on time."""
    return reminder_horizon(now, most, calendar) + CALENDAR_MARGIN


def reminder_horizon(now: datetime, most: int, calendar: HolidayCalendar) -> datetime:
    """00:00 after W (`reminded_due_by`, without the margin)."""
    day = now.astimezone(LOCAL_TZ).date()
    left, idle = most + 1, 0
    while True:
        if calendar.day_kind(day).is_working:
            left, idle = left - 1, 0
            if left == 0:
                return datetime.combine(day + timedelta(days=1), time.min, LOCAL_TZ)
        elif (idle := idle + 1) > MAX_DAYS_WITHOUT_WORK:
            raise NoWorkingDayError(day)
        day += timedelta(days=1)
