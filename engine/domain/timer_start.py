"""Starting a state's timers: each from its legal event (`Anchor`), the event's date
checked (not after today, not before the event it follows)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel

from engine.deadlines import LOCAL_TZ, HolidayCalendar, compute_deadline
from engine.domain.county import ProcedureSettings
from engine.domain.decision import TimerRequest
from engine.domain.errors import PayloadInvalid
from engine.domain.history import canonical_time
from engine.domain.procedure import Anchor, CompiledProcedure, TimerDecl


def start_timers(
    compiled: CompiledProcedure,
    state: str | None,
    now: datetime,
    calendar: HolidayCalendar,
    settings: ProcedureSettings,
    *,
    what: str = "",
    data: Mapping[str, Any] | None = None,
    before: Mapping[str, Any] | None = None,
    payload: BaseModel | None = None,
) -> tuple[TimerRequest, ...]:
    """The timers ``state`` starts, each from its legal event (see `Anchor`): ``data`` is
    the case data once the transition's effect is merged, ``before`` the data it had. None
    for a transition that stays in its state (its timers run on)."""
    if state is None:
        return ()
    after = dict(data or {})
    earlier = dict(before if before is not None else after)
    return tuple(
        start_timer(
            timer,
            state,
            now,
            calendar,
            settings,
            at=anchored_at(timer.anchor, now, what, payload, after, earlier),
        )
        for timer in compiled.states[state].timers
    )


def start_timer(
    timer: TimerDecl,
    state: str,
    now: datetime,
    calendar: HolidayCalendar,
    settings: ProcedureSettings,
    *,
    at: datetime | None = None,
) -> TimerRequest:
    """The timer started by a transition at ``now``, running from ``at`` (its legal
    event; ``now`` when it has none)."""
    period = timer.resolve_period(settings)
    start = at or now
    return TimerRequest(
        name=timer.name,
        label=timer.label,
        state=state,
        on_expiry=timer.on_expiry,
        period=period,
        basis=timer.basis,
        started_at=start,
        deadline=compute_deadline(start, period, calendar),
        reminders=timer.reminders,
        recorded_at=now,
    )


def as_instant(value: date | datetime | str) -> datetime:
    """A date (12:00 local time that day), an aware instant, or either in ISO form."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=LOCAL_TZ)
    return datetime.combine(value, time(12), LOCAL_TZ)


def anchored_at(
    anchor: Anchor | None,
    now: datetime,
    what: str,
    payload: BaseModel | None,
    data: Mapping[str, Any],
    before: Mapping[str, Any],
) -> datetime | None:
    """When a timer's legal event happened, checked: not after today, not before the
    event it follows. None: the transition itself (no anchor, or an optional one that
    finds no date)."""
    if anchor is None:
        return None
    value: date | datetime | str | None = None
    key = anchor.field or "date"
    if anchor.field and payload is not None and anchor.field in type(payload).model_fields:
        value = getattr(payload, anchor.field)
    if value is None and anchor.data is not None:
        value = anchor.data(data)
    if value is None:
        if anchor.required:
            raise PayloadInvalid(what, {key: f"缺少{anchor.event}，无法计算期限"})
        return None
    at = as_instant(value)
    day, today = at.astimezone(LOCAL_TZ).date(), now.astimezone(LOCAL_TZ).date()
    if day > today:
        problem = f"{anchor.event}{day.isoformat()}晚于今天（{today.isoformat()}）"
        raise PayloadInvalid(what, {key: problem})
    earlier = anchor.after(before) if anchor.after is not None else None
    if earlier is not None:
        first = as_instant(earlier).astimezone(LOCAL_TZ).date()
        if day < first:
            problem = f"{anchor.event}{day.isoformat()}早于{anchor.after_event}{first.isoformat()}"
            raise PayloadInvalid(what, {key: problem})
    return at


def timers_json(timers: Sequence[TimerRequest]) -> list[dict[str, Any]]:
    """What a history event records of the timers it starts: when each runs from and its
    period (`caseflow verify` recomputes their deadlines from these)."""
    return [
        {
            "name": t.name,
            "started_at": canonical_time(t.started_at),
            "period": {"amount": t.period.amount, "unit": str(t.period.unit)},
            "last_day": t.deadline.last_day.isoformat(),
        }
        for t in timers
    ]
