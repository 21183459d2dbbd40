"""Shared helpers for the deadline tests."""

from __future__ import annotations

from datetime import date, datetime

from engine.deadlines import LOCAL_TZ, LayeredCalendar, YearArrangement, parse_arrangement_toml

CALENDAR = LayeredCalendar()
"""The calendar without imported arrangements (chinesecalendar, then the statute)."""

# A made-up 2027 notice used by the tests (the same dates as the example file).
SAMPLE_2027_TOML = """
[[year]]
year = 2027
source = "测试用2027年安排"
holidays = [
  { name = "元旦", from = 2027-01-01, to = 2027-01-03 },
  { name = "春节", from = 2027-02-05, to = 2027-02-11 },
  { name = "清明节", from = 2027-04-03, to = 2027-04-05 },
  { name = "劳动节", from = 2027-05-01, to = 2027-05-05 },
  { name = "端午节", from = 2027-06-09, to = 2027-06-09 },
  { name = "中秋节", from = 2027-09-15, to = 2027-09-15 },
  { name = "国庆节", from = 2027-10-01, to = 2027-10-07 },
]
makeup_workdays = [2027-02-20, 2027-05-08, 2027-09-26, 2027-10-09]
"""


def sample_2027() -> YearArrangement:
    (arrangement,) = parse_arrangement_toml(SAMPLE_2027_TOML)
    return arrangement


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware instant in Asia/Shanghai."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


def d(text: str) -> date:
    return date.fromisoformat(text)
