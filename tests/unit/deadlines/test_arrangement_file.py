from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.deadlines import (
    ArrangementFileError,
    InvalidArrangementError,
    YearArrangement,
    dump_arrangement_toml,
    parse_arrangement_toml,
    statutory_arrangement,
)
from tests.unit.deadlines._support import CALENDAR, SAMPLE_2027_TOML, d

EXAMPLE_FILE = Path(__file__).parents[3] / "workflows" / "calendars" / "2027.example.toml"

HEADER = '[[year]]\nyear = 2027\nsource = "测试通知"\n'


def test_parse_sample() -> None:
    (arrangement,) = parse_arrangement_toml(SAMPLE_2027_TOML)
    assert arrangement.year == 2027
    assert arrangement.source == "测试用2027年安排"
    assert arrangement.provisional is False
    assert len(arrangement.holidays) == 3 + 7 + 3 + 5 + 1 + 1 + 7
    assert arrangement.holidays[d("2027-02-08")] == "春节"
    assert arrangement.makeup_workdays == {
        d("2027-02-20"),
        d("2027-05-08"),
        d("2027-09-26"),
        d("2027-10-09"),
    }


def test_parse_several_years_and_optional_fields() -> None:
    text = """
[[year]]
year = 2027
source = "甲"
holidays = [ { name = "元旦", from = "2027-01-01", to = "2027-01-01" } ]

[[year]]
year = 2028
source = "乙"
provisional = true
holidays = [ { name = "元旦", from = 2028-01-01, to = 2028-01-03 } ]
makeup_workdays = []
"""
    first, second = parse_arrangement_toml(text)
    assert (first.year, first.provisional, first.makeup_workdays) == (2027, False, frozenset())
    assert (second.year, second.provisional, len(second.holidays)) == (2028, True, 3)


def test_previous_december_is_accepted_for_new_years_day() -> None:
    text = (
        '[[year]]\nyear = 2019\nsource = "国办发明电〔2018〕15号"\n'
        'holidays = [ { name = "元旦", from = 2018-12-30, to = 2019-01-01 } ]\n'
        "makeup_workdays = [2018-12-29]\n"
    )
    (arrangement,) = parse_arrangement_toml(text)
    assert d("2018-12-30") in arrangement.holidays
    assert d("2018-12-29") in arrangement.makeup_workdays


def test_example_file_is_a_clearly_marked_valid_sample() -> None:
    text = EXAMPLE_FILE.read_text(encoding="utf-8")
    assert "示例" in text
    assert "NOT the State Council" in text
    (arrangement,) = parse_arrangement_toml(text)
    assert arrangement.year == 2027
    assert arrangement.provisional is True
    assert "示例" in arrangement.source


def _holiday_line(*entries: str) -> str:
    return "holidays = [\n" + "".join(f"  {e},\n" for e in entries) + "]\n"


NEW_YEAR = '{ name = "元旦", from = 2027-01-01, to = 2027-01-03 }'
SPRING = '{ name = "春节", from = 2027-02-05, to = 2027-02-11 }'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            HEADER
            + _holiday_line(NEW_YEAR, '{ name = "春节", from = 2027-02-11, to = 2027-02-05 }'),
            "2027年安排第2条假期：结束日期早于开始日期",
            id="end-before-start",
        ),
        pytest.param(
            HEADER + _holiday_line('{ name = "春节", from = 2027-02-05, to = 2027-02-30 }'),
            "日期 2027-02-30 无效（第5行）",
            id="invalid-date-literal",
        ),
        pytest.param(
            HEADER + _holiday_line('{ name = "春节", from = "2027-02-05", to = "2027-13-01" }'),
            "日期 2027-13-01 无效",
            id="invalid-date-string",
        ),
        pytest.param(
            HEADER + _holiday_line('{ name = "元旦", from = 2027-12-31, to = 2028-01-01 }'),
            "2027年安排第1条假期：日期 2028-01-01 不在2027年内",
            id="date-after-the-year",
        ),
        pytest.param(
            HEADER + _holiday_line('{ name = "元旦", from = 2026-12-20, to = 2027-01-01 }'),
            "2027年安排第1条假期：日期 2026-12-20 不在2027年内",
            id="date-long-before-the-year",
        ),
        pytest.param(
            HEADER + _holiday_line(SPRING) + "makeup_workdays = [2027-02-06]\n",
            "2027年安排：日期 2027-02-06 既是放假日又是调休上班日",
            id="holiday-and-makeup",
        ),
        pytest.param(
            HEADER + _holiday_line(SPRING) + "makeup_workdays = [2027-02-15]\n",
            "2027年安排的调休上班日 2027-02-15 不是星期六或星期日",
            id="makeup-on-a-weekday",
        ),
        pytest.param(
            HEADER + _holiday_line(SPRING) + "makeup_workdays = [2028-01-08]\n",
            "2027年安排的调休上班日：日期 2028-01-08 不在2027年内",
            id="makeup-outside-the-year",
        ),
        pytest.param(
            HEADER + _holiday_line(SPRING) + "makeup_workdays = [2027-02-20, 2027-02-20]\n",
            "2027年安排的调休上班日 2027-02-20 重复列出",
            id="makeup-twice",
        ),
        pytest.param(
            HEADER
            + _holiday_line(NEW_YEAR, '{ name = "元旦", from = 2027-01-03, to = 2027-01-04 }'),
            "2027年安排第2条假期：日期 2027-01-03 与第1条假期重叠",
            id="overlapping-holidays",
        ),
        pytest.param(
            HEADER + _holiday_line('{ name = "元旦", form = 2027-01-01, to = 2027-01-01 }'),
            "2027年安排第1条假期：未知字段 form",
            id="misspelt-key",
        ),
        pytest.param(
            HEADER + _holiday_line("{ from = 2027-01-01, to = 2027-01-01 }"),
            "2027年安排第1条假期：缺少 name（节日名称）",
            id="missing-name",
        ),
        pytest.param(
            HEADER
            + _holiday_line('{ name = "元旦", from = 2027-01-01T00:00:00, to = 2027-01-01 }'),
            "2027年安排第1条假期的 from（开始日期）应为日期",
            id="datetime-instead-of-date",
        ),
        pytest.param(
            HEADER + "holidays = []\n",
            "2027年安排：缺少 holidays（放假安排）",
            id="no-holidays",
        ),
        pytest.param(
            '[[year]]\nsource = "x"\n' + _holiday_line(NEW_YEAR),
            "第1个年度安排：缺少整数字段 year（年份）",
            id="missing-year",
        ),
        pytest.param(
            '[[year]]\nyear = 99999\nsource = "x"\n' + _holiday_line(NEW_YEAR),
            "第1个年度安排：年份 99999 超出支持范围（1901–2099）",
            id="year-out-of-range",
        ),
        pytest.param(
            "[[year]]\nyear = 2027\n" + _holiday_line(NEW_YEAR),
            "2027年安排：缺少 source（依据的通知名称）",
            id="missing-source",
        ),
        pytest.param(
            HEADER + 'provisional = "no"\n' + _holiday_line(NEW_YEAR),
            "2027年安排：provisional 必须是 true 或 false",
            id="provisional-not-bool",
        ),
        pytest.param(
            HEADER + "comment = 1\n" + _holiday_line(NEW_YEAR),
            "2027年安排：未知字段 comment",
            id="unknown-year-key",
        ),
        pytest.param(
            (HEADER + _holiday_line(NEW_YEAR)) * 2,
            "2027年的安排在文件中出现了两次",
            id="year-twice",
        ),
        pytest.param("", "文件中没有 [[year]] 年度安排", id="empty-file"),
        pytest.param(
            "version = 1\n" + HEADER + _holiday_line(NEW_YEAR),
            "未知的顶层字段：version",
            id="unknown-top-level-key",
        ),
        pytest.param("year = 2027\n", "文件中没有 [[year]] 年度安排", id="year-not-a-table"),
        pytest.param("[[year]\n", "TOML 格式错误", id="toml-syntax"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ArrangementFileError) as excinfo:
        parse_arrangement_toml(text)
    error = excinfo.value
    assert message in error.message
    assert str(error) == error.message
    assert error.code == "CALENDAR_FILE_INVALID"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    "arrangement",
    [
        pytest.param(statutory_arrangement(2027), id="statutory-2027"),
        pytest.param(CALENDAR.arrangement(2025), id="chinesecalendar-2025"),
        pytest.param(CALENDAR.arrangement(2020), id="chinesecalendar-2020-merged-festivals"),
    ],
)
def test_dump_then_parse_round_trips(arrangement: YearArrangement) -> None:
    text = dump_arrangement_toml(arrangement)
    assert parse_arrangement_toml(text) == [arrangement]


def test_dump_groups_runs_of_days() -> None:
    text = dump_arrangement_toml(CALENDAR.arrangement(2025))
    assert '{ name = "春节", from = 2025-01-28, to = 2025-02-04 },' in text
    assert "makeup_workdays = [2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11]" in text


def test_arrangement_rejects_a_day_both_off_and_worked() -> None:
    with pytest.raises(InvalidArrangementError, match="2027-02-06"):
        YearArrangement(
            year=2027,
            holidays={date(2027, 2, 6): "春节"},
            makeup_workdays=frozenset({date(2027, 2, 6)}),
            source="测试",
            provisional=False,
        )


_NAMES = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s != ""
)


@st.composite
def arrangements(draw: st.DrawFn) -> YearArrangement:
    year = draw(st.integers(2000, 2090))
    first = date(year, 1, 1)
    offsets = draw(st.sets(st.integers(0, 364), min_size=1, max_size=40))
    names = draw(st.lists(_NAMES, min_size=1, max_size=3))
    holidays = {
        first + timedelta(days=o): names[o % len(names)]
        for o in offsets
        if (first + timedelta(days=o)).year == year
    }
    weekend = [
        first + timedelta(days=o)
        for o in range(365)
        if (first + timedelta(days=o)).weekday() >= 5 and first + timedelta(days=o) not in holidays
    ]
    makeups = draw(st.sets(st.sampled_from(weekend), max_size=6))
    return YearArrangement(
        year=year,
        holidays=holidays,
        makeup_workdays=frozenset(makeups),
        source=draw(_NAMES),
        provisional=draw(st.booleans()),
    )


@settings(max_examples=60, deadline=None)
@given(arrangements())
def test_dump_then_parse_round_trips_any_arrangement(arrangement: YearArrangement) -> None:
    assert parse_arrangement_toml(dump_arrangement_toml(arrangement)) == [arrangement]


SOURCE = "2027年节假日安排.toml"


def _file_error(text: str) -> ArrangementFileError:
    with pytest.raises(ArrangementFileError) as excinfo:
        parse_arrangement_toml(text, source=SOURCE)
    error = excinfo.value
    assert error.source == SOURCE
    assert error.message.startswith(f"{SOURCE}：")
    return error


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            HEADER + "provisonal = true\n" + _holiday_line(NEW_YEAR),
            "2027年安排：未知字段 provisonal",
            id="year-table",
        ),
        pytest.param(
            HEADER
            + _holiday_line(NEW_YEAR, '{ name = "春节", form = 2027-02-05, to = 2027-02-11 }'),
            "2027年安排第2条假期：未知字段 form；缺少 from（开始日期）",
            id="holiday",
        ),
        pytest.param(
            "[[year]]\nyaer = 2027\n" + 'source = "x"\n' + _holiday_line(NEW_YEAR),
            "第1个年度安排：未知字段 yaer；缺少 year（年份）",
            id="required-key",
        ),
        pytest.param(
            "[[years]]\nyear = 2027\n",
            "未知的顶层字段：years",
            id="top-level",
        ),
    ],
)
def test_misspelt_key_names_the_file_and_the_key(text: str, message: str) -> None:
    assert _file_error(text).message == f"{SOURCE}：{message}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            '[[year]]\nyear = "2027"\nsource = "x"\n' + _holiday_line(NEW_YEAR),
            "第1个年度安排的 year（年份）应为整数，实际为文本",
            id="year",
        ),
        pytest.param(
            "[[year]]\nyear = 2027\nsource = 2027\n" + _holiday_line(NEW_YEAR),
            "2027年安排的 source（依据的通知名称）应为文本，实际为整数",
            id="source",
        ),
        pytest.param(
            HEADER + "provisional = 1\n" + _holiday_line(NEW_YEAR),
            "2027年安排：provisional 必须是 true 或 false，实际为整数",
            id="provisional",
        ),
        pytest.param(
            HEADER + 'holidays = "元旦"\n',
            "2027年安排的 holidays（放假安排）应为假期列表，实际为文本",
            id="holidays",
        ),
        pytest.param(
            HEADER + _holiday_line('{ name = "元旦", from = 20270101, to = 2027-01-01 }'),
            "2027年安排第1条假期的 from（开始日期）应为日期，如 2027-01-01，实际为 20270101",
            id="holiday-date",
        ),
        pytest.param(
            HEADER + _holiday_line(NEW_YEAR) + "makeup_workdays = 2027-02-20\n",
            "2027年安排的 makeup_workdays（调休上班日）应为日期列表，实际为日期",
            id="makeup-list",
        ),
        pytest.param(
            HEADER + _holiday_line(NEW_YEAR) + 'makeup_workdays = [2027-02-20, "周六"]\n',
            "2027年安排的 makeup_workdays（调休上班日）第2项应为日期，如 2027-01-01，实际为 '周六'",
            id="makeup-item",
        ),
    ],
)
def test_wrong_type_names_the_key_and_the_expected_type(text: str, message: str) -> None:
    assert _file_error(text).message == f"{SOURCE}：{message}"


def test_syntax_and_rule_errors_name_the_file_too() -> None:
    assert "TOML 格式错误" in _file_error("[[year]\n").message
    twice = _file_error((HEADER + _holiday_line(NEW_YEAR)) * 2)
    assert twice.message == f"{SOURCE}：2027年的安排在文件中出现了两次"


def test_without_a_source_the_message_starts_with_the_entry() -> None:
    with pytest.raises(ArrangementFileError) as excinfo:
        parse_arrangement_toml(HEADER + "comment = 1\n" + _holiday_line(NEW_YEAR))
    assert excinfo.value.message == "2027年安排：未知字段 comment"
    assert excinfo.value.source == ""


@pytest.mark.parametrize("declared", [True, False])
def test_the_declared_provisional_flag_is_kept(declared: bool) -> None:
    flag = "true" if declared else "false"
    text = HEADER + f"provisional = {flag}\n" + _holiday_line(NEW_YEAR)
    (arrangement,) = parse_arrangement_toml(text)
    assert arrangement.provisional is declared


def test_names_and_source_are_stripped() -> None:
    text = '[[year]]\nyear = 2027\nsource = "  通知 "\n' + _holiday_line(
        '{ name = " 元旦 ", from = " 2027-01-01 ", to = 2027-01-01 }'
    )
    (arrangement,) = parse_arrangement_toml(text)
    assert (arrangement.source, arrangement.holidays[d("2027-01-01")]) == ("通知", "元旦")
