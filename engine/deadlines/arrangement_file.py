"""Reading and writing a year's holiday arrangement as TOML (the county's import file).

Format (one ``[[year]]`` table per year)::

    [[year]]
    year = 2027
    source = "国务院办公厅关于2027年部分节假日安排的通知"
    provisional = false            # optional, default false
    holidays = [ { name = "元旦", from = 2027-01-01, to = 2027-01-03 } ]
    makeup_workdays = [ 2027-02-20 ]   # optional

Dates belong to the declared year; the last days of the previous December are also accepted
because a notice may start the New Year's Day holiday there (e.g. the 2019 notice:
2018-12-30 to 2019-01-01, with 2018-12-29 worked).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import ClassVar

from engine.deadlines._local_time import ONE_DAY
from engine.deadlines.calendars import YearArrangement, is_weekend
from engine.deadlines.statutory import FIRST_YEAR, LAST_YEAR

SPILLOVER_DAYS = 7
"""How many days before 1 January a year's notice may name."""

_YEAR_KEYS = frozenset({"year", "source", "provisional", "holidays", "makeup_workdays"})
_HOLIDAY_KEYS = frozenset({"name", "from", "to"})
_DATE_LITERAL = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d)")


class ArrangementFileError(ValueError):
    """The arrangement file cannot be loaded; ``message`` names the offending entry."""

    code: ClassVar[str] = "CALENDAR_FILE_INVALID"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_arrangement_toml(text: str) -> list[YearArrangement]:
    """Parse and validate an arrangement file; raise ArrangementFileError on any problem."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ArrangementFileError(_explain_syntax_error(text, exc)) from exc
    unknown = sorted(document.keys() - {"year"})
    if unknown:
        raise ArrangementFileError(f"未知的顶层字段：{'、'.join(unknown)}")
    tables = document.get("year")
    if not isinstance(tables, list) or not tables:
        raise ArrangementFileError("文件中没有 [[year]] 年度安排")
    arrangements: list[YearArrangement] = []
    for index, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise ArrangementFileError(f"第{index}个年度安排不是 [[year]] 表")
        arrangement = _parse_year(index, table)
        if any(a.year == arrangement.year for a in arrangements):
            raise ArrangementFileError(f"{arrangement.year}年的安排在文件中出现了两次")
        arrangements.append(arrangement)
    return arrangements


def dump_arrangement_toml(arr: YearArrangement) -> str:
    """Write ``arr`` in the file format; ``parse_arrangement_toml`` reads it back equal."""
    lines = [
        "[[year]]",
        f"year = {arr.year}",
        f"source = {_toml_string(arr.source)}",
        f"provisional = {'true' if arr.provisional else 'false'}",
        "holidays = [",
    ]
    for name, first, last in _holiday_runs(arr.holidays):
        lines.append(
            f"  {{ name = {_toml_string(name)}, from = {first.isoformat()}, "
            f"to = {last.isoformat()} }},"
        )
    lines.append("]")
    makeups = ", ".join(d.isoformat() for d in sorted(arr.makeup_workdays))
    lines.append(f"makeup_workdays = [{makeups}]")
    return "\n".join(lines) + "\n"


def _parse_year(index: int, table: Mapping[str, object]) -> YearArrangement:
    year = table.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise ArrangementFileError(f"第{index}个年度安排：缺少整数字段 year（年份）")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ArrangementFileError(
            f"第{index}个年度安排：年份 {year} 超出支持范围（{FIRST_YEAR}–{LAST_YEAR}）"
        )
    where = f"{year}年安排"
    unknown = sorted(table.keys() - _YEAR_KEYS)
    if unknown:
        raise ArrangementFileError(f"{where}：未知字段 {'、'.join(unknown)}")
    source = table.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ArrangementFileError(f"{where}：缺少 source（依据的通知名称）")
    provisional = table.get("provisional", False)
    if not isinstance(provisional, bool):
        raise ArrangementFileError(f"{where}：provisional 必须是 true 或 false")
    holidays = _parse_holidays(year, where, table.get("holidays"))
    makeups = _parse_makeups(year, where, table.get("makeup_workdays", []))
    for day in sorted(makeups):
        if day in holidays:
            raise ArrangementFileError(f"{where}：日期 {day} 既是放假日又是调休上班日")
    return YearArrangement(
        year=year,
        holidays=holidays,
        makeup_workdays=frozenset(makeups),
        source=source.strip(),
        provisional=provisional,
    )


def _parse_holidays(year: int, where: str, entries: object) -> dict[date, str]:
    if not isinstance(entries, list) or not entries:
        raise ArrangementFileError(f"{where}：缺少 holidays（放假安排）")
    holidays: dict[date, str] = {}
    entry_of: dict[date, int] = {}
    for number, entry in enumerate(entries, start=1):
        label = f"{where}第{number}条假期"
        if not isinstance(entry, dict):
            raise ArrangementFileError(f"{label}：应写成 {{ name = …, from = …, to = … }}")
        unknown = sorted(entry.keys() - _HOLIDAY_KEYS)
        if unknown:
            raise ArrangementFileError(f"{label}：未知字段 {'、'.join(unknown)}")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ArrangementFileError(f"{label}：缺少 name（节日名称）")
        first = _as_date(entry.get("from"), f"{label}的 from（开始日期）")
        last = _as_date(entry.get("to"), f"{label}的 to（结束日期）")
        if last < first:
            raise ArrangementFileError(f"{label}：结束日期早于开始日期")
        day = first
        while day <= last:
            _check_in_year(year, day, label)
            if day in holidays:
                raise ArrangementFileError(f"{label}：日期 {day} 与第{entry_of[day]}条假期重叠")
            holidays[day] = name.strip()
            entry_of[day] = number
            day += ONE_DAY
    return holidays


def _parse_makeups(year: int, where: str, entries: object) -> set[date]:
    label = f"{where}的调休上班日"
    if not isinstance(entries, list):
        raise ArrangementFileError(f"{label}（makeup_workdays）应为日期列表")
    makeups: set[date] = set()
    for value in entries:
        day = _as_date(value, label)
        _check_in_year(year, day, label)
        if not is_weekend(day):
            raise ArrangementFileError(f"{label} {day} 不是星期六或星期日")
        if day in makeups:
            raise ArrangementFileError(f"{label} {day} 重复列出")
        makeups.add(day)
    return makeups


def _as_date(value: object, what: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_LITERAL.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ArrangementFileError(f"日期 {value.strip()} 无效") from None
    raise ArrangementFileError(f"{what}应为日期，如 2027-01-01，实际为 {value!r}")


def _check_in_year(year: int, day: date, label: str) -> None:
    earliest = date(year, 1, 1) - timedelta(days=SPILLOVER_DAYS)
    if not earliest <= day <= date(year, 12, 31):
        raise ArrangementFileError(f"{label}：日期 {day} 不在{year}年内")


def _explain_syntax_error(text: str, exc: tomllib.TOMLDecodeError) -> str:
    for line_number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0]
        for match in _DATE_LITERAL.finditer(content):
            try:
                date.fromisoformat(match.group(0))
            except ValueError:
                return f"日期 {match.group(0)} 无效（第{line_number}行）"
    return f"TOML 格式错误：{exc}"


def _holiday_runs(holidays: Mapping[date, str]) -> list[tuple[str, date, date]]:
    """Group consecutive days with the same name into (name, first, last) runs."""
    runs: list[tuple[str, date, date]] = []
    for day in sorted(holidays):
        name = holidays[day]
        if runs and runs[-1][0] == name and runs[-1][2] + ONE_DAY == day:
            runs[-1] = (name, runs[-1][1], day)
        else:
            runs.append((name, day, day))
    return runs


def _toml_string(value: str) -> str:
    out = ['"']
    for char in value:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
