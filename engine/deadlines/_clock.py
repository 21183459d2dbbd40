"""When the statutory clock runs: all the time except during pauses (中止)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from engine.deadlines._local_time import LOCAL_TZ, ONE_DAY, start_of_day
from engine.deadlines.pauses import Pause


class RunningClock:
    """The days (and instants) on which the clock runs, given a set of pauses."""

    def __init__(self, pauses: Sequence[Pause]) -> None:
        spans = sorted((p.start, p.assumed_end) for p in pauses if p.assumed_end > p.start)
        merged: list[tuple[date, date]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self._spans = merged

    def first_running_day(self, day: date) -> date:
        """``day`` if the clock runs on it, else the day it resumes."""
        for start, end in self._spans:
            if start <= day < end:
                return end
        return day

    def next_running_day(self, day: date) -> date:
        """The first day after ``day`` on which the clock runs."""
        return self.first_running_day(day + ONE_DAY)

    def add_running_time(self, instant: datetime, amount: timedelta) -> datetime:
        """``instant`` plus ``amount`` of time during which the clock runs.

        A paused day is stopped from its 00:00 to the 00:00 of the resumption day.
        """
        now = instant.astimezone(UTC)
        remaining = amount
        for start_day, end_day in self._spans:
            start = start_of_day(start_day).astimezone(UTC)
            end = start_of_day(end_day).astimezone(UTC)
            if end <= now:
                continue
            if start > now:
                if now + remaining <= start:
                    break
                remaining -= start - now
            now = end
        return (now + remaining).astimezone(LOCAL_TZ)
