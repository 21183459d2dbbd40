"""Statutory periods: an amount and the unit in which it is counted."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    """How a period is counted (see DESIGN.md, "Counting days")."""

    WORKING_DAYS = "working_days"
    """Only working days count (weekdays and 调休 make-up days, not holidays)."""
    DAYS = "days"
    """Calendar days; a last day that is not a working day moves to the next working day."""
    MONTHS = "months"
    """Calendar months (民法典 art. 202), rolled over like ``DAYS``."""
    HOURS = "hours"
    """Elapsed hours from the exact instant of the event."""

    @property
    def label_zh(self) -> str:
        return _UNIT_LABELS[self]


_UNIT_LABELS: dict[Unit, str] = {
    Unit.WORKING_DAYS: "工作日",
    Unit.DAYS: "日",
    Unit.MONTHS: "月",
    Unit.HOURS: "小时",
}

_PERIOD_FORMATS: dict[Unit, str] = {
    Unit.WORKING_DAYS: "{}个工作日",
    Unit.DAYS: "{}日",
    Unit.MONTHS: "{}个月",
    Unit.HOURS: "{}小时",
}


class InvalidPeriodError(ValueError):
    """A period amount that is not a positive whole number."""

    def __init__(self, amount: object) -> None:
        super().__init__(f"期间必须为正整数，当前为 {amount!r}")
        self.amount = amount


@dataclass(frozen=True)
class Period:
    """A statutory period such as 5 working days or 6 months."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        amount: object = self.amount
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InvalidPeriodError(amount)
        # Accept the plain string values too ("working_days"); store the enum member.
        object.__setattr__(self, "unit", Unit(self.unit))

    @property
    def label_zh(self) -> str:
        """E.g. "5个工作日", "10日", "6个月", "24小时"."""
        return _PERIOD_FORMATS[self.unit].format(self.amount)
