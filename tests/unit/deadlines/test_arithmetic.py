from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from engine.deadlines import (
    LOCAL_TZ,
    DayKind,
    Deadline,
    LayeredCalendar,
    NaiveDatetimeError,
    NoWorkingDayError,
    Pause,
    PauseEndBeforeStartError,
    Period,
    Unit,
    compute_deadline,
)
from tests.unit.deadlines._support import CALENDAR, at, d, sample_2027

WD = Unit.WORKING_DAYS
DAYS = Unit.DAYS
MONTHS = Unit.MONTHS


@pytest.mark.parametrize(
    ("event_at", "period", "last_day"),
    [
        # National Day 2025: Oct 1–8 off; Sun 09-28 and Sat 10-11 worked.
        # Sun 28 (1), Mon 29 (2), Tue 30 (3), Thu Oct 9 (4), Fri Oct 10 (5).
        pytest.param(at(2025, 9, 26), Period(5, WD), "2025-10-10", id="5wd-over-national-day-2025"),
        pytest.param(at(2025, 3, 7), Period(1, WD), "2025-03-10", id="1wd-from-friday"),
        pytest.param(
            at(2026, 1, 20), Period(60, WD), "2026-04-21", id="60wd-over-spring-festival-2026"
        ),
        pytest.param(at(2025, 3, 6), Period(10, DAYS), "2025-03-17", id="10d-sunday-to-monday"),
        pytest.param(
            at(2025, 9, 24), Period(10, DAYS), "2025-10-09", id="10d-last-day-in-national-day"
        ),
        pytest.param(
            at(2025, 9, 18), Period(10, DAYS), "2025-09-28", id="10d-last-day-makeup-sunday"
        ),
        pytest.param(at(2025, 3, 3), Period(10, DAYS), "2025-03-13", id="10d-on-a-workday"),
        pytest.param(at(2025, 1, 31), Period(1, MONTHS), "2025-02-28", id="1m-jan-31-to-feb-28"),
        pytest.param(at(2024, 1, 31), Period(1, MONTHS), "2024-02-29", id="1m-jan-31-leap-year"),
        pytest.param(at(2025, 3, 10), Period(6, MONTHS), "2025-09-10", id="6m-corresponding-day"),
        # 2025-05-31 is a Saturday and the Dragon Boat Festival (May 31–Jun 2 off).
        pytest.param(at(2025, 3, 31), Period(2, MONTHS), "2025-06-03", id="2m-month-end-rolls"),
        # No 2026-02-30: the month's last day, Saturday 02-28, which is a make-up workday.
        pytest.param(at(2025, 11, 30), Period(3, MONTHS), "2026-02-28", id="3m-to-makeup-day"),
        pytest.param(
            datetime(2025, 9, 25, 17, 0, tzinfo=UTC),  # 2025-09-26 01:00 in Beijing
            Period(5, WD),
            "2025-10-10",
            id="event-in-utc-counts-from-the-local-day",
        ),
        pytest.param(at(2025, 9, 26, 23, 59), Period(5, WD), "2025-10-10", id="event-late-evening"),
    ],
)
def test_day_based_deadlines(event_at: datetime, period: Period, last_day: str) -> None:
    deadline = compute_deadline(event_at, period, CALENDAR)
    expected_last = d(last_day)
    assert deadline == Deadline(
        last_day=expected_last,
        ends_at=datetime.combine(expected_last + timedelta(days=1), datetime.min.time(), LOCAL_TZ),
        provisional=False,
        paused=False,
    )
    assert deadline.ends_at.tzinfo is LOCAL_TZ


@pytest.mark.parametrize(
    ("event_at", "hours", "ends_at", "last_day"),
    [
        pytest.param(at(2025, 9, 30, 15, 30), 24, at(2025, 10, 1, 15, 30), "2025-10-01", id="24h"),
        pytest.param(at(2025, 3, 3, 0, 0), 24, at(2025, 3, 4, 0, 0), "2025-03-03", id="midnight"),
        pytest.param(
            datetime(2025, 3, 3, 2, 0, tzinfo=UTC),
            48,
            at(2025, 3, 5, 10, 0),
            "2025-03-05",
            id="utc",
        ),
        pytest.param(
            at(2027, 2, 5, 9, 0), 72, at(2027, 2, 8, 9, 0), "2027-02-08", id="no-calendar"
        ),
    ],
)
def test_hours_are_exact_instants(
    event_at: datetime, hours: int, ends_at: datetime, last_day: str
) -> None:
    deadline = compute_deadline(event_at, Period(hours, Unit.HOURS), CALENDAR)
    assert deadline.ends_at == ends_at
    assert deadline.ends_at.tzinfo is LOCAL_TZ
    assert deadline.last_day == d(last_day)
    assert deadline.provisional is False  # no day's kind was consulted


def test_window_into_a_year_without_notice_is_provisional_until_the_notice_is_loaded() -> None:
    event = at(2026, 12, 1)
    period = Period(50, WD)
    # Statute only: 2027-02-05..10 off, 02-11 and 02-12 worked -> 50th working day 02-16.
    provisional = compute_deadline(event, period, CALENDAR)
    assert (provisional.last_day, provisional.provisional) == (d("2027-02-16"), True)
    # The (sample) notice adds 02-11 off and makes Saturday 02-20 a workday -> 02-17.
    official = compute_deadline(event, period, LayeredCalendar({2027: sample_2027()}))
    assert (official.last_day, official.provisional) == (d("2027-02-17"), False)


@pytest.mark.parametrize(
    ("event_at", "period", "provisional"),
    [
        pytest.param(at(2026, 12, 1), Period(20, WD), False, id="wd-within-2026"),
        pytest.param(at(2026, 12, 25), Period(10, DAYS), True, id="days-ending-in-2027"),
        pytest.param(at(2026, 11, 30), Period(1, MONTHS), False, id="month-ending-in-2026"),
    ],
)
def test_provisional_flag(event_at: datetime, period: Period, provisional: bool) -> None:
    assert compute_deadline(event_at, period, CALENDAR).provisional is provisional


PAUSE_CASES = [
    # 5 working days from Mon 2025-03-03 end on Mon 03-10 without pauses.
    pytest.param(
        Period(5, WD),
        [Pause(d("2025-03-05"), d("2025-03-07"))],
        "2025-03-12",
        False,
        id="wd-closed-pause-skips-wed-thu",
    ),
    pytest.param(
        Period(5, WD),
        [Pause(d("2025-03-08"), d("2025-03-10"))],
        "2025-03-10",
        False,
        id="wd-pause-over-a-weekend-changes-nothing",
    ),
    pytest.param(
        Period(5, WD),
        [Pause(d("2025-03-01"), d("2025-03-06"))],
        "2025-03-12",
        False,
        id="wd-pause-covering-the-event-day",
    ),
    pytest.param(
        Period(5, WD),
        [Pause(d("2025-03-05"), d("2025-03-07")), Pause(d("2025-03-06"), d("2025-03-10"))],
        "2025-03-13",
        False,
        id="wd-overlapping-pauses-merge",
    ),
    pytest.param(
        Period(5, WD),
        [Pause(d("2025-03-05"), d("2025-03-05"))],
        "2025-03-10",
        False,
        id="empty-pause",
    ),
    pytest.param(
        Period(5, WD),
        [Pause(d("2025-03-20"), d("2025-03-25"))],
        "2025-03-10",
        False,
        id="pause-after-the-deadline",
    ),
    pytest.param(
        Period(5, WD),
        [Pause(d("2025-03-05"))],
        "2025-03-11",
        True,
        id="open-pause-assumed-to-end-next-day",
    ),
    pytest.param(
        Period(5, WD),
        [Pause(d("2025-03-10"))],
        "2025-03-11",
        True,
        id="open-pause-on-the-last-day",
    ),
    pytest.param(
        Period(5, WD),
        [Pause(d("2025-04-01"))],
        "2025-03-10",
        False,
        id="open-pause-after-the-deadline-does-not-hold-it",
    ),
    # 10 days from 03-03 end on Thu 03-13 without pauses.
    pytest.param(
        Period(10, DAYS),
        [Pause(d("2025-03-10"), d("2025-03-12"))],
        "2025-03-17",
        False,
        id="days-pause-of-two-days-then-weekend-roll",
    ),
    pytest.param(
        Period(13, DAYS),
        [Pause(d("2025-03-17"), d("2025-03-19"))],
        "2025-03-19",
        False,
        id="days-roll-over-skips-paused-days",
    ),
    # 1 month from 03-03 ends on 04-03 (Thursday).
    pytest.param(
        Period(1, MONTHS),
        [Pause(d("2025-03-10"), d("2025-03-13"))],
        "2025-04-07",
        False,
        id="months-paused-three-days-then-qingming-and-weekend",
    ),
]


@pytest.mark.parametrize(("period", "pauses", "last_day", "paused"), PAUSE_CASES)
def test_pauses(period: Period, pauses: list[Pause], last_day: str, paused: bool) -> None:
    deadline = compute_deadline(at(2025, 3, 3), period, CALENDAR, pauses=pauses)
    assert (deadline.last_day, deadline.paused) == (d(last_day), paused)


@pytest.mark.parametrize(
    ("event_at", "pauses", "ends_at"),
    [
        pytest.param(
            at(2025, 3, 3, 12),
            [Pause(d("2025-03-04"), d("2025-03-05"))],
            at(2025, 3, 6, 12),
            id="pause-inside-the-window",
        ),
        pytest.param(
            at(2025, 3, 3, 12),
            [Pause(d("2025-03-03"), d("2025-03-04"))],
            at(2025, 3, 6, 0),
            id="pause-on-the-event-day",
        ),
        pytest.param(
            at(2025, 3, 3, 12),
            [Pause(d("2025-03-06"), d("2025-03-07"))],
            at(2025, 3, 5, 12),
            id="pause-after-the-deadline",
        ),
    ],
)
def test_pauses_stop_hours(event_at: datetime, pauses: list[Pause], ends_at: datetime) -> None:
    deadline = compute_deadline(event_at, Period(48, Unit.HOURS), CALENDAR, pauses=pauses)
    assert deadline.ends_at == ends_at


def test_pause_cannot_end_before_it_starts() -> None:
    with pytest.raises(PauseEndBeforeStartError, match="早于"):
        Pause(d("2025-03-05"), d("2025-03-04"))


@pytest.mark.parametrize(
    ("period", "extensions", "last_day"),
    [
        # 60 working days from 2025-11-03 end 2026-01-27; 90 end 2026-03-16.
        pytest.param(Period(60, WD), [], "2026-01-27", id="60wd"),
        pytest.param(Period(60, WD), [Period(30, WD)], "2026-03-16", id="60wd-plus-30wd"),
        pytest.param(Period(90, WD), [], "2026-03-16", id="90wd"),
        pytest.param(
            Period(60, WD), [Period(10, WD), Period(20, WD)], "2026-03-16", id="two-extensions"
        ),
        pytest.param(
            Period(60, WD), [Period(1, MONTHS)], "2026-02-27", id="working-days-then-a-month"
        ),
    ],
)
def test_extensions(period: Period, extensions: list[Period], last_day: str) -> None:
    deadline = compute_deadline(at(2025, 11, 3), period, CALENDAR, extensions=extensions)
    assert deadline.last_day == d(last_day)


def test_extension_counts_from_the_rolled_over_last_day() -> None:
    # 10 days from 03-06 end Sunday 03-16 -> Monday 03-17; 5 more days -> Sat 03-22 -> 03-24.
    deadline = compute_deadline(
        at(2025, 3, 6), Period(10, DAYS), CALENDAR, extensions=[Period(5, DAYS)]
    )
    assert deadline.last_day == d("2025-03-24")


def test_extension_in_hours_continues_from_the_exact_end() -> None:
    deadline = compute_deadline(
        at(2025, 3, 3, 15), Period(24, Unit.HOURS), CALENDAR, extensions=[Period(24, Unit.HOURS)]
    )
    assert deadline.ends_at == at(2025, 3, 5, 15)


def test_working_day_extension_after_hours_counts_from_the_hours_last_day() -> None:
    # 24 hours from Fri 03-07 10:00 end Sat 03-08 10:00; one working day more -> Mon 03-10.
    deadline = compute_deadline(
        at(2025, 3, 7), Period(24, Unit.HOURS), CALENDAR, extensions=[Period(1, WD)]
    )
    assert deadline.last_day == d("2025-03-10")
    assert deadline.ends_at == at(2025, 3, 11, 0)


def test_extension_and_pause_together() -> None:
    pauses = [Pause(d("2025-12-01"), d("2025-12-08"))]
    extended = compute_deadline(
        at(2025, 11, 3), Period(60, WD), CALENDAR, pauses=pauses, extensions=[Period(30, WD)]
    )
    whole = compute_deadline(at(2025, 11, 3), Period(90, WD), CALENDAR, pauses=pauses)
    assert extended == whole
    assert extended.last_day == d("2026-03-23")


def test_naive_event_time_is_rejected() -> None:
    with pytest.raises(NaiveDatetimeError):
        compute_deadline(datetime(2025, 3, 3, 10), Period(5, WD), CALENDAR)


class _AlwaysHoliday:
    def day_kind(self, d: date, /) -> DayKind:
        return DayKind.HOLIDAY

    def is_provisional(self, d: date, /) -> bool:
        return False


def test_calendar_without_working_days_fails_instead_of_looping() -> None:
    with pytest.raises(NoWorkingDayError):
        compute_deadline(at(2025, 3, 3), Period(1, WD), _AlwaysHoliday())
