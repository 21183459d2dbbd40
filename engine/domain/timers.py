"""Pure rules for running timers: recomputing a deadline after pauses and extensions,
and when the next reminder is due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from engine.deadlines import (
    LOCAL_TZ,
    Deadline,
    HolidayCalendar,
    Pause,
    Period,
    Unit,
    compute_deadline,
    working_days_before,
)

REMINDER_HOUR = time(8, 0)


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
