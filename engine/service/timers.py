"""Writing a command's timer effects: timers started and cancelled with the transition that
starts or leaves their state, and pauses (中止) and extensions (延期) applied to the timers
still running — all in the command's own transaction."""

from __future__ import annotations

from datetime import datetime

from engine.deadlines import LOCAL_TZ, HolidayCalendar, Pause, Period, Unit
from engine.domain.case import Case
from engine.domain.timers import (
    ClockChangeKind,
    RunningTimer,
    next_reminder,
    pauses_from_json,
    pauses_to_json,
    periods_from_json,
    periods_to_json,
)
from engine.service.ports import AbstractUnitOfWork, StoredTimer


def running(timer: StoredTimer) -> RunningTimer:
    return RunningTimer(
        period=Period(timer.period_amount, Unit(timer.period_unit)),
        started_at=timer.started_at,
        pauses=pauses_from_json(timer.pauses),
        extensions=periods_from_json(timer.extensions),
    )


def persist_case_effects(
    uow: AbstractUnitOfWork, case: Case, calendar: HolidayCalendar, now: datetime
) -> None:
    for state in case.timers_cancelled_for:
        uow.timers.cancel_for_state(case, state, now)
    for timer in case.timers_started:
        nxt = next_reminder(timer.deadline, timer.reminders, (), timer.started_at, calendar)
        uow.timers.start(case, timer, nxt[1] if nxt else None)
    if case.clock_changes:
        apply_clock_changes(uow, case, calendar, now)


def apply_clock_changes(
    uow: AbstractUnitOfWork, case: Case, calendar: HolidayCalendar, now: datetime
) -> None:
    today = now.astimezone(LOCAL_TZ).date()
    for timer in uow.timers.for_case(case.ref):
        pauses = list(pauses_from_json(timer.pauses))
        extensions = list(periods_from_json(timer.extensions))
        paused = timer.paused
        touched = False
        for change in case.clock_changes:
            if change.kind is ClockChangeKind.EXTEND and change.timer == timer.name:
                assert change.period is not None
                extensions.append(change.period)
                touched = True
            elif change.kind is ClockChangeKind.PAUSE and not paused:
                pauses.append(Pause(today, None))
                paused = touched = True
            elif change.kind is ClockChangeKind.RESUME and paused:
                last = pauses.pop()
                pauses.append(Pause(last.start, max(today, last.start)))
                paused = False
                touched = True
        if touched:
            save_running(uow, timer, pauses, extensions, paused, calendar)


def save_running(
    uow: AbstractUnitOfWork,
    timer: StoredTimer,
    pauses: list[Pause],
    extensions: list[Period],
    paused: bool,
    calendar: HolidayCalendar,
) -> None:
    rt = RunningTimer(
        Period(timer.period_amount, Unit(timer.period_unit)),
        timer.started_at,
        tuple(pauses),
        tuple(extensions),
    )
    deadline = rt.deadline(calendar)
    nxt = next_reminder(deadline, timer.reminders, timer.reminders_sent, timer.started_at, calendar)
    uow.timers.update_running(
        timer.id,
        pauses=pauses_to_json(pauses),
        extensions=periods_to_json(extensions),
        paused=paused,
        deadline=deadline,
        remind_at=None if paused or nxt is None else nxt[1],
    )
