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
2018-12-30 to 2019-01-01, with 2018-12-29 worked). A date may also be written as a string
(``"2027-01-01"``). The schema is the strict, closed pydantic models below; their errors
become ArrangementFileError messages in Chinese naming the year, the holiday and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Annotated, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from engine.deadlines._local_time import ONE_DAY
from engine.deadlines.calendars import YearArrangement, is_weekend
from engine.deadlines.statutory import FIRST_YEAR, LAST_YEAR

SPILLOVER_DAYS = 7
"""How many days before 1 January a year's notice may name."""

_DATE_LITERAL = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d)")
_RULE = "arrangement_rule"
_BLANK = "arrangement_blank"
_BAD_DATE = "arrangement_bad_date"


class ArrangementFileError(ValueError):
    """The arrangement file cannot be loaded; ``message`` names the offending entry (and,
    when the caller gave it, the file: ``source``)."""

    code: ClassVar[str] = "CALENDAR_FILE_INVALID"

    def __init__(self, message: str, *, source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.source = source


def parse_arrangement_toml(text: str, *, source: str = "") -> list[YearArrangement]:
    """Parse and validate an arrangement file; raise ArrangementFileError on any problem.

    ``source`` (e.g. the uploaded file's name) starts each error message when given.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _file_error(_explain_syntax_error(text, exc), source) from exc
    try:
        parsed = ArrangementFile.model_validate(document)
    except ValidationError as exc:
        raise _file_error(_message(exc, document), source) from exc
    return [entry.arrangement() for entry in parsed.years]


def _file_error(message: str, source: str) -> ArrangementFileError:
    return ArrangementFileError(f"{source}：{message}" if source else message, source=source)


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


# --- The file schema -------------------------------------------------------------------------


def _rule(message: str) -> PydanticCustomError:
    """A broken rule between entries; ``message`` is the whole Chinese message."""
    return PydanticCustomError(_RULE, "{message}", {"message": message})


def _stripped(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError(_BLANK, "不能为空")
    return value.strip()


def _date_from_text(value: object) -> object:
    """A TOML date may also be written as a string (``"2027-01-01"``)."""
    if isinstance(value, str) and _DATE_LITERAL.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                _BAD_DATE, "日期 {day} 无效", {"day": value.strip()}
            ) from None
    return value


_Name = Annotated[str, AfterValidator(_stripped)]
_Day = Annotated[date, BeforeValidator(_date_from_text)]
"""A date (a datetime is not one); strict, so a TOML datetime is rejected."""


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class HolidayEntry(_FileModel):
    """``{ name = …, from = …, to = … }``: one run of days off."""

    name: _Name
    first: _Day = Field(alias="from")
    last: _Day = Field(alias="to")


class YearEntry(_FileModel):
    """``[[year]]``: one year's notice."""

    year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
    source: _Name
    provisional: bool = False
    holidays: Annotated[tuple[HolidayEntry, ...], Field(strict=False, min_length=1)]
    makeup_workdays: Annotated[tuple[_Day, ...], Field(strict=False)] = ()

    @model_validator(mode="after")
    def _days_are_consistent(self) -> Self:
        holidays = self.holiday_days()
        for day in sorted(self._makeup_days()):
            if day in holidays:
                raise _rule(f"{self.year}年安排：日期 {day} 既是放假日又是调休上班日")
        return self

    def holiday_days(self) -> dict[date, str]:
        """Each day off and its holiday; checks the runs lie in the year and do not overlap."""
        holidays: dict[date, str] = {}
        entry_of: dict[date, int] = {}
        for number, entry in enumerate(self.holidays, start=1):
            label = f"{self.year}年安排第{number}条假期"
            if entry.last < entry.first:
                raise _rule(f"{label}：结束日期早于开始日期")
            day = entry.first
            while day <= entry.last:
                self._check_in_year(day, label)
                if day in holidays:
                    raise _rule(f"{label}：日期 {day} 与第{entry_of[day]}条假期重叠")
                holidays[day] = entry.name
                entry_of[day] = number
                day += ONE_DAY
        return holidays

    def _makeup_days(self) -> set[date]:
        label = f"{self.year}年安排的调休上班日"
        makeups: set[date] = set()
        for day in self.makeup_workdays:
            self._check_in_year(day, label)
            if not is_weekend(day):
                raise _rule(f"{label} {day} 不是星期六或星期日")
            if day in makeups:
                raise _rule(f"{label} {day} 重复列出")
            makeups.add(day)
        return makeups

    def _check_in_year(self, day: date, label: str) -> None:
        earliest = date(self.year, 1, 1) - timedelta(days=SPILLOVER_DAYS)
        if not earliest <= day <= date(self.year, 12, 31):
            raise _rule(f"{label}：日期 {day} 不在{self.year}年内")

    def arrangement(self) -> YearArrangement:
        return YearArrangement(
            year=self.year,
            holidays=self.holiday_days(),
            makeup_workdays=frozenset(self.makeup_workdays),
            source=self.source,
            provisional=self.provisional,
        )


class ArrangementFile(_FileModel):
    """The whole file: one or more ``[[year]]`` tables, each year at most once."""

    years: Annotated[tuple[YearEntry, ...], Field(strict=False, min_length=1, alias="year")]

    @field_validator("years")
    @classmethod
    def _each_year_once(cls, years: tuple[YearEntry, ...]) -> tuple[YearEntry, ...]:
        seen: set[int] = set()
        for entry in years:
            if entry.year in seen:
                raise _rule(f"{entry.year}年的安排在文件中出现了两次")
            seen.add(entry.year)
        return years


# --- Chinese messages for schema errors ------------------------------------------------------

_KEY_LABELS = {
    "year": "year（年份）",
    "source": "source（依据的通知名称）",
    "provisional": "provisional",
    "holidays": "holidays（放假安排）",
    "makeup_workdays": "makeup_workdays（调休上班日）",
    "name": "name（节日名称）",
    "from": "from（开始日期）",
    "to": "to（结束日期）",
}
_EXPECTED = {"string_type": "文本", "int_type": "整数", "model_type": "表"}
_LISTS = {"holidays": "假期列表", "makeup_workdays": "日期列表"}
_ACTUAL: dict[type, str] = {
    str: "文本",
    int: "整数",
    float: "小数",
    bool: "布尔值",
    list: "列表",
    dict: "表",
    date: "日期",
    datetime: "日期时间",
    time: "时间",
}


def _message(exc: ValidationError, document: Mapping[str, object]) -> str:
    """The first error of ``exc`` in Chinese, naming the year, the holiday and the key."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    if first["type"] == _RULE:
        return str(first.get("ctx", {})["message"])
    loc = tuple(first["loc"])
    table = loc[:-1]
    unknown = [
        str(e["loc"][-1])
        for e in errors
        if e["type"] == "extra_forbidden" and e["loc"][:-1] == table
    ]
    if unknown and first["type"] in ("missing", "extra_forbidden"):
        # A typo: name the unknown keys first, then what the table lacks.
        missing = [
            _KEY_LABELS.get(str(e["loc"][-1]), str(e["loc"][-1]))
            for e in errors
            if e["type"] == "missing" and e["loc"][:-1] == table
        ]
        entry, _ = _entry(table, document)
        if not entry:
            return f"未知的顶层字段：{'、'.join(sorted(unknown))}"
        lacking = f"；缺少 {'、'.join(missing)}" if missing else ""
        return f"{entry}：未知字段 {'、'.join(sorted(unknown))}{lacking}"
    entry, used = _entry(loc, document)
    if used and used == len(loc):
        return _not_a_table(loc, entry)
    return _problem(first, entry, loc[used:])


def _entry(loc: tuple[int | str, ...], document: Mapping[str, object]) -> tuple[str, int]:
    """``(entry, parts of loc used)``: the year table or holiday a location falls in."""
    match loc:
        case ("year", int(index), "holidays", int(number), *_):
            return f"{_year_entry(document, index)}第{number + 1}条假期", 4
        case ("year", int(index), *_):
            return _year_entry(document, index), 2
    return "", 0


def _year_entry(document: Mapping[str, object], index: int) -> str:
    tables = document.get("year")
    table = tables[index] if isinstance(tables, list) else None
    year = table.get("year") if isinstance(table, dict) else None
    if type(year) is int and FIRST_YEAR <= year <= LAST_YEAR:
        return f"{year}年安排"
    return f"第{index + 1}个年度安排"


def _not_a_table(loc: tuple[int | str, ...], entry: str) -> str:
    """The error is about the entry itself: it is not a table."""
    if len(loc) == 2:
        return f"{entry}不是 [[year]] 表"
    return f"{entry}：应写成 {{ name = …, from = …, to = … }}"


def _problem(error: ErrorDetails, entry: str, rest: tuple[int | str, ...]) -> str:
    """The problem with the key ``rest[0]`` (item ``rest[1]``) of ``entry``."""
    kind, value = error["type"], error.get("input")
    if not entry:
        return "文件中没有 [[year]] 年度安排"
    label = _KEY_LABELS.get(str(rest[0]), str(rest[0]))
    if kind == "missing":
        return f"{entry}：缺少整数字段 {label}" if rest == ("year",) else f"{entry}：缺少 {label}"
    if kind == "too_short":
        return f"{entry}：缺少 {label}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{entry}：年份 {value} 超出支持范围（{FIRST_YEAR}–{LAST_YEAR}）"
    if kind == "bool_type":
        return f"{entry}：{label} 必须是 true 或 false，实际为{_type_name(value)}"
    item = rest[1] if len(rest) > 1 else None
    what = f"{entry}的 {label}" + (f"第{item + 1}项" if isinstance(item, int) else "")
    if kind == _BLANK:
        return f"{what}不能为空"
    if kind == _BAD_DATE:
        return f"{what}：日期 {error.get('ctx', {})['day']} 无效"
    if kind == "date_type":
        return f"{what}应为日期，如 2027-01-01，实际为 {value!r}"
    expected = _LISTS.get(str(rest[0]), "列表") if kind == "tuple_type" else _EXPECTED.get(kind)
    return f"{what}应为{expected or '其他类型'}，实际为{_type_name(value)}"


def _type_name(value: object) -> str:
    return _ACTUAL.get(type(value), type(value).__name__)


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
