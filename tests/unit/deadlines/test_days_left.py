from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.deadlines import (
    Deadline,
    NaiveDatetimeError,
    Period,
    Unit,
    compute_deadline,
    days_left,
    working_days_before,
)
from tests.unit.deadlines._support import CALENDAR, at, d

# Last day Friday 2025-10-10; Saturday 10-11 is a make-up workday.
OVER_NATIONAL_DAY = compute_deadline(at(2025, 9, 26), Period(5, Unit.WORKING_DAYS), CALENDAR)
# Last day Friday 2025-03-14, followed by an ordinary weekend.
ORDINARY_WEEK = compute_deadline(at(2025, 3, 7), Period(5, Unit.WORKING_DAYS), CALENDAR)
# Last day Monday 2025-03-17 (rolled over from Sunday 03-16).
TEN_DAYS = compute_deadline(at(2025, 3, 6), Period(10, Unit.DAYS), CALENDAR)
# Ends 2025-10-01 15:30.
DAY_AND_NIGHT = compute_deadline(at(2025, 9, 30, 15, 30), Period(24, Unit.HOURS), CALENDAR)


@pytest.mark.parametrize(
    ("deadline", "unit", "now", "left"),
    [
        pytest.param(OVER_NATIONAL_DAY, Unit.WORKING_DAYS, at(2025, 9, 26), 5, id="wd-event-day"),
        pytest.param(OVER_NATIONAL_DAY, Unit.WORKING_DAYS, at(2025, 10, 1), 2, id="wd-in-holiday"),
        pytest.param(OVER_NATIONAL_DAY, Unit.WORKING_DAYS, at(2025, 10, 9), 1, id="wd-day-before"),
        pytest.param(
            OVER_NATIONAL_DAY, Unit.WORKING_DAYS, at(2025, 10, 10, 23, 59), 0, id="wd-last-day"
        ),
        pytest.param(
            OVER_NATIONAL_DAY, Unit.WORKING_DAYS, at(2025, 10, 11, 0, 0), -1, id="wd-makeup-after"
        ),
        pytest.param(OVER_NATIONAL_DAY, Unit.WORKING_DAYS, at(2025, 10, 12), -1, id="wd-sunday"),
        pytest.param(OVER_NATIONAL_DAY, Unit.WORKING_DAYS, at(2025, 10, 13), -2, id="wd-monday"),
        pytest.param(ORDINARY_WEEK, Unit.WORKING_DAYS, at(2025, 3, 15), -1, id="wd-weekend-after"),
        pytest.param(ORDINARY_WEEK, Unit.WORKING_DAYS, at(2025, 3, 17), -1, id="wd-next-monday"),
        pytest.param(ORDINARY_WEEK, Unit.WORKING_DAYS, at(2025, 3, 18), -2, id="wd-next-tuesday"),
        pytest.param(TEN_DAYS, Unit.DAYS, at(2025, 3, 6), 11, id="days-event-day"),
        pytest.param(TEN_DAYS, Unit.DAYS, at(2025, 3, 16), 1, id="days-day-before"),
        pytest.param(TEN_DAYS, Unit.DAYS, at(2025, 3, 17, 23, 59), 0, id="days-last-day"),
        pytest.param(TEN_DAYS, Unit.DAYS, at(2025, 3, 18, 0, 0), -1, id="days-day-after"),
        pytest.param(TEN_DAYS, Unit.DAYS, at(2025, 3, 20), -3, id="days-three-after"),
        pytest.param(TEN_DAYS, Unit.MONTHS, at(2025, 3, 10), 7, id="months-count-days"),
        pytest.param(
            TEN_DAYS, Unit.DAYS, datetime(2025, 3, 17, 16, 30, tzinfo=UTC), -1, id="days-utc-now"
        ),
        pytest.param(DAY_AND_NIGHT, Unit.HOURS, at(2025, 9, 30, 15, 30), 24, id="hours-at-event"),
        pytest.param(DAY_AND_NIGHT, Unit.HOURS, at(2025, 10, 1, 12, 0), 3, id="hours-3.5-left"),
        pytest.param(DAY_AND_NIGHT, Unit.HOURS, at(2025, 10, 1, 14, 30), 1, id="hours-1-left"),
        pytest.param(DAY_AND_NIGHT, Unit.HOURS, at(2025, 10, 1, 15, 0), 0, id="hours-last"),
        pytest.param(DAY_AND_NIGHT, Unit.HOURS, at(2025, 10, 1, 15, 30), -1, id="hours-expired"),
        pytest.param(DAY_AND_NIGHT, Unit.HOURS, at(2025, 10, 1, 16, 29), -1, id="hours-59m-late"),
        pytest.param(DAY_AND_NIGHT, Unit.HOURS, at(2025, 10, 1, 16, 30), -2, id="hours-1h-late"),
    ],
)
def test_days_left(deadline: Deadline, unit: Unit, now: datetime, left: int) -> None:
    assert days_left(now, deadline, unit, CALENDAR) == left


def test_days_left_rejects_naive_now() -> None:
    with pytest.raises(NaiveDatetimeError):
        days_left(datetime(2025, 3, 6), TEN_DAYS, Unit.DAYS, CALENDAR)


@pytest.mark.parametrize(
    ("n", "day"),
    [
        pytest.param(0, "2025-10-10", id="0-the-last-day"),
        pytest.param(1, "2025-10-09", id="1-day-before"),
        pytest.param(2, "2025-09-30", id="2-skips-the-holiday"),
        pytest.param(3, "2025-09-29", id="3"),
        pytest.param(4, "2025-09-28", id="4-makeup-sunday"),
        pytest.param(5, "2025-09-26", id="5-skips-saturday"),
    ],
)
def test_working_days_before(n: int, day: str) -> None:
    assert working_days_before(OVER_NATIONAL_DAY, n, CALENDAR) == d(day)


def test_working_days_before_in_a_provisional_year() -> None:
    # Statute 2027: 02-05..02-10 off. Reminder 1 working day before Thursday 02-11.
    deadline = Deadline(
        last_day=d("2027-02-11"),
        ends_at=at(2027, 2, 12, 0),
        provisional=True,
        paused=False,
    )
    assert working_days_before(deadline, 1, CALENDAR) == d("2027-02-04")
    assert working_days_before(deadline, 3, CALENDAR) == d("2027-02-02")


def test_working_days_before_rejects_negative_n() -> None:
    with pytest.raises(ValueError, match="negative"):
        working_days_before(OVER_NATIONAL_DAY, -1, CALENDAR)


def test_deadline_ends_at_24_00_of_the_last_day() -> None:
    assert OVER_NATIONAL_DAY.ends_at - at(2025, 10, 10, 0, 0) == timedelta(days=1)
