"""Local time of the bureau (Asia/Shanghai) and conversions between instants and days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

LOCAL_TZ: Final = ZoneInfo("Asia/Shanghai")
"""The time zone in which statutory days are counted."""

ONE_DAY: Final = timedelta(days=1)


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was passed where an instant is required."""

    def __init__(self, argument: str, value: datetime) -> None:
        super().__init__(f"{argument} must be timezone-aware, got {value!r}")
        self.argument = argument
        self.value = value


def require_aware(argument: str, value: datetime) -> datetime:
    """Return ``value`` unchanged, or raise if it has no UTC offset."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(argument, value)
    return value


def local_date(instant: datetime) -> date:
    """The calendar day in Asia/Shanghai on which ``instant`` falls."""
    return instant.astimezone(LOCAL_TZ).date()


def start_of_day(day: date) -> datetime:
    """00:00 local time of ``day`` (equivalently, 24:00 of the previous day)."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def day_ending_at(instant: datetime) -> date:
    """The day whose 24:00 ``instant`` is, if it is a midnight; otherwise its own day.

    An instant of exactly 00:00 closes the previous day, so a deadline ending at
    2025-03-04 00:00 has 2025-03-03 as its last day.
    """
    return local_date(instant.astimezone(UTC) - timedelta(microseconds=1))


def add_exact(instant: datetime, amount: timedelta) -> datetime:
    """Add elapsed time (not wall-clock time) and express the result in local time."""
    return (instant.astimezone(UTC) + amount).astimezone(LOCAL_TZ)
