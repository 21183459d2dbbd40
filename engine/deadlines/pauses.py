"""Suspensions (中止) of the statutory clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.deadlines._local_time import ONE_DAY


class PauseEndBeforeStartError(ValueError):
    """A pause that resumes before it began."""

    def __init__(self, start: date, end: date) -> None:
        super().__init__(f"中止期间的恢复日期 {end} 早于中止开始日期 {start}")
        self.start = start
        self.end = end


@dataclass(frozen=True)
class Pause:
    """A suspension (中止) of the clock.

    ``start`` is the first day not counted; ``end`` is the day the clock resumes, which
    counts again (so ``end`` is exclusive). ``end=None`` means the clock is still stopped.
    ``end == start`` is an empty pause.
    """

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise PauseEndBeforeStartError(self.start, self.end)

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def assumed_end(self) -> date:
        """``end``, or for an open pause the day after ``start`` (resumption assumed then)."""
        return self.end if self.end is not None else self.start + ONE_DAY
