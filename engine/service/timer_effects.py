"""Carrying out a command's timer effects in its own transaction: the timers a state starts
and those stopped when the case leaves it, and pauses (中止) and extensions (延期) applied
to the timers still running."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from engine.deadlines import LOCAL_TZ, HolidayCalendar, Pause, Period
from engine.domain.case import Case
from engine.domain.decision import Decision, TimerRequest
from engine.domain.procedure import Window
from engine.domain.timers import (
    ClockChange,
    ClockChangeKind,
    RunningTimer,
    TimerStatus,
    next_reminder,
    pauses_from_json,
    pauses_to_json,
    periods_from_json,
    periods_to_json,
)
from engine.service.ports import AbstractUnitOfWork
from engine.service.read_models import StoredTimer


def running(timer: StoredTimer) -> RunningTimer:
    return RunningTimer(
        period=timer.rule,
        started_at=timer.started_at,
        pauses=pauses_from_json(timer.pauses),
        extensions=periods_from_json(timer.extensions),
    )


def start(
    uow: AbstractUnitOfWork, case: Case, timers: Iterable[TimerRequest], calendar: HolidayCalendar
) -> None:
    for timer in timers:
        recorded = (timer.recorded_at or timer.started_at).astimezone(LOCAL_TZ).date()
        nxt = next_reminder(
            timer.deadline, timer.reminders, (), timer.started_at, calendar, recorded
        )
        uow.timers.start(case, timer, nxt[1] if nxt else None)


def carry_out(
    uow: AbstractUnitOfWork, case: Case, decision: Decision, calendar: HolidayCalendar
) -> None:
    """Stop the timers of the state the case leaves, start those of the one it enters and
    apply the transition's pauses and extensions to the timers still running."""
    for state in decision.timers_cancelled:
        uow.timers.cancel_for_state(case, state, decision.at)
    start(uow, case, decision.timers_started, calendar)
    if decision.clock_changes:
        apply_clock_changes(uow, case, decision.clock_changes, calendar, decision.at)


def deadlines_after(
    uow: AbstractUnitOfWork, case: Case, decision: Decision
) -> tuple[dict[str, str], list[str]]:
    """The last days of the timers running once the decision is carried out (what the
    documents it issues state), and the names of those resting on a provisional holiday
    arrangement (暂定)."""
    found: dict[str, str] = {}
    provisional: set[str] = set()
    if decision.clock_changes or not decision.state_changed:
        # The timers of the current state keep running (an internal transition) or were
        # just paused or extended: read them back as they now stand.
        pending = [t for t in uow.timers.for_case(case.ref) if t.state == decision.dest]
        found = {t.name: t.last_day for t in pending}
        provisional = {t.name for t in pending if t.provisional}
    for t in decision.timers_started:
        found[t.name] = t.deadline.last_day.isoformat()
        provisional.discard(t.name)
        if t.deadline.provisional:
            provisional.add(t.name)
    return found, sorted(provisional)


def apply_clock_changes(
    uow: AbstractUnitOfWork,
    case: Case,
    changes: Sequence[ClockChange],
    calendar: HolidayCalendar,
    now: datetime,
) -> None:
    today = now.astimezone(LOCAL_TZ).date()
    for timer in uow.timers.for_case(case.ref):
        pauses = list(pauses_from_json(timer.pauses))
        extensions = list(periods_from_json(timer.extensions))
        paused = timer.paused
        touched = False
        for change in changes:
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
            save_running(uow, timer, pauses, extensions, paused, calendar, today)


def windows_of(uow: AbstractUnitOfWork, case: Case) -> dict[str, Window]:
    """The windows of the case's current state as they stand (its latest timer of each
    name, still running or already run out), what an expiry is checked against."""
    latest: dict[str, StoredTimer] = {}
    for timer in uow.timers.of_state(case.ref, case.state):
        if timer.status is TimerStatus.CANCELLED:
            continue
        if timer.name not in latest or timer.id > latest[timer.name].id:
            latest[timer.name] = timer
    return {name: Window(date.fromisoformat(t.last_day), t.due_at) for name, t in latest.items()}


def save_running(
    uow: AbstractUnitOfWork,
    timer: StoredTimer,
    pauses: list[Pause],
    extensions: list[Period],
    paused: bool,
    calendar: HolidayCalendar,
    today: date | None = None,
) -> None:
    rt = RunningTimer(timer.rule, timer.started_at, tuple(pauses), tuple(extensions))
    deadline = rt.deadline(calendar)
    nxt = next_reminder(
        deadline, timer.reminders, timer.reminders_sent, timer.started_at, calendar, today
    )
    uow.timers.update_running(
        timer.id,
        pauses=pauses_to_json(pauses),
        extensions=periods_to_json(extensions),
        paused=paused,
        deadline=deadline,
        remind_at=None if paused or nxt is None else nxt[1],
    )
