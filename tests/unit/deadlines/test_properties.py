"""Properties of deadline arithmetic over real (2004–2026) and statutory (2027–2032) years."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.deadlines import (
    LOCAL_TZ,
    Pause,
    Period,
    Unit,
    compute_deadline,
    days_left,
)
from tests.unit.deadlines._support import CALENDAR

events = st.builds(
    lambda day, minutes: datetime.combine(day, time(), LOCAL_TZ) + timedelta(minutes=minutes),
    st.dates(date(2004, 1, 1), date(2032, 6, 30)),
    st.integers(0, 24 * 60 - 1),
)
amounts = st.integers(1, 90)
FAST = settings(max_examples=150, deadline=None)


def _local_day(instant: datetime) -> date:
    return instant.astimezone(LOCAL_TZ).date()


@FAST
@given(events, amounts)
def test_working_days_end_on_a_later_working_day(event_at: datetime, amount: int) -> None:
    deadline = compute_deadline(event_at, Period(amount, Unit.WORKING_DAYS), CALENDAR)
    assert deadline.last_day > _local_day(event_at)
    assert CALENDAR.day_kind(deadline.last_day).is_working
    # Exactly `amount` working days lie after the event day up to the last day.
    assert days_left(event_at, deadline, Unit.WORKING_DAYS, CALENDAR) == amount
    # Later years are provisional, so the flag follows the last day's year.
    assert deadline.provisional is CALENDAR.is_provisional(deadline.last_day)


@FAST
@given(events, amounts)
def test_working_days_are_strictly_monotone(event_at: datetime, amount: int) -> None:
    shorter = compute_deadline(event_at, Period(amount, Unit.WORKING_DAYS), CALENDAR)
    longer = compute_deadline(event_at, Period(amount + 1, Unit.WORKING_DAYS), CALENDAR)
    assert shorter.last_day < longer.last_day


@FAST
@given(events, amounts)
def test_days_roll_to_the_first_working_day_on_or_after_the_nominal_day(
    event_at: datetime, amount: int
) -> None:
    deadline = compute_deadline(event_at, Period(amount, Unit.DAYS), CALENDAR)
    nominal = _local_day(event_at) + timedelta(days=amount)
    assert deadline.last_day >= nominal
    assert CALENDAR.day_kind(deadline.last_day).is_working
    day = nominal
    while day < deadline.last_day:
        assert not CALENDAR.day_kind(day).is_working
        day += timedelta(days=1)
    longer = compute_deadline(event_at, Period(amount + 1, Unit.DAYS), CALENDAR)
    assert longer.last_day >= deadline.last_day


@FAST
@given(events, amounts, amounts)
def test_an_extension_adds_up(event_at: datetime, first: int, second: int) -> None:
    extended = compute_deadline(
        event_at,
        Period(first, Unit.WORKING_DAYS),
        CALENDAR,
        extensions=[Period(second, Unit.WORKING_DAYS)],
    )
    whole = compute_deadline(event_at, Period(first + second, Unit.WORKING_DAYS), CALENDAR)
    assert extended == whole


@FAST
@given(events, amounts, st.integers(-5, 120), st.integers(0, 30))
def test_a_pause_never_brings_a_deadline_forward(
    event_at: datetime, amount: int, start_offset: int, length: int
) -> None:
    start = _local_day(event_at) + timedelta(days=start_offset)
    pause = Pause(start, start + timedelta(days=length))
    for unit in (Unit.WORKING_DAYS, Unit.DAYS):
        plain = compute_deadline(event_at, Period(amount, unit), CALENDAR)
        paused = compute_deadline(event_at, Period(amount, unit), CALENDAR, pauses=[pause])
        assert paused.last_day >= plain.last_day
        assert not pause.start <= paused.last_day < start + timedelta(days=length)
        if start > plain.last_day:
            assert paused == plain
