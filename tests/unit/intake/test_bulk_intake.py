"""Bulk intake on the in-memory services: valid rows opened in one go, every kind of row
error in Chinese, all-or-nothing or only the valid rows, a GBK-encoded CSV, an .xlsx, and
files that are not spreadsheets."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from engine.adapters.spreadsheets import NotASpreadsheet
from engine.bootstrap import App
from engine.domain.errors import InvalidInput, NotPermitted
from engine.service.bulk_intake import ImportHasErrors, template
from tests.unit.service._flows import complaint
from tests.unit.workflows._harness import fake_app

HEADER = ",".join(
    [
        "当事人名称",
        "当事人地址",
        "统一社会信用代码",
        "案件来源",
        "投诉人（或代表）姓名",
        "投诉人数",
        "投诉主张的欠薪金额（元）",
        "收到投诉的日期",
    ]
)
GOOD = [
    "定安县甲建筑公司,定城镇见龙大道1号,91469021MA5RC0QX1W,全国根治欠薪线索反映平台,张三,12,86000,2026/3/1",
    "定安县乙劳务公司,定城镇人民路2号,91110000600037341L,12345热线,李四,3,9000.50,2026年2月27日",
]


def _csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return "\n".join([HEADER, *rows]).encode(encoding)


@pytest.fixture
def app() -> App:
    return fake_app()


def test_valid_rows_are_opened_in_one_go(app: App) -> None:
    preview = app.intake.preview("投诉.csv", _csv(*GOOD), actor="wang")
    assert [r.line for r in preview.valid] == [2, 3] and not preview.invalid
    commits = app.context.uow.commits  # type: ignore[attr-defined]
    result = app.intake.import_file("投诉.csv", _csv(*GOOD), actor="wang")
    assert result.opened == ["WA2026-0001", "WA2026-0002"] and not result.skipped
    assert app.context.uow.commits == commits + 1  # type: ignore[attr-defined]  # one transaction
    case = app.queries.get_case("WA2026-0002").case
    assert case.source == "12345热线" and case.subject.name == "定安县乙劳务公司"
    assert case.data == {
        "complainant": "李四",
        "complainants": 3,
        "claimed": "9000.50",
        "received_on": "2026-02-27",
    }


BAD = {
    "": "「当事人名称」不能为空",
    "丙公司,定城镇,91469021MA5RC0QX1X,热线,王五,2,100,2026-03-01": "校验位不正确",
    "丁公司,定城镇,91469021MA5RC0QX1W,,王五,2,100,2026-03-01": "「案件来源」不能为空",
    "戊公司,定城镇,91110000600037341L,热线,王五,0,100,2026-03-01": "「投诉人数」",
    "己公司,定城镇,91110000600037341L,热线,王五,2,十万元,2026-03-01": "应为数字金额",
    "庚公司,定城镇,91110000600037341L,热线,王五,2,-100,2026-03-01": "「投诉主张的欠薪金额（元）」",
    "辛公司,定城镇,91110000600037341L,热线,王五,2,100.123,2026-03-01": "位小数",
    "壬公司,定城镇,91110000600037341L,热线,王五,2,100,2026-02-30": "「收到投诉的日期」应为日期",
}


@pytest.mark.parametrize(("row", "message"), list(BAD.items())[1:])
def test_each_kind_of_row_error(app: App, row: str, message: str) -> None:
    preview = app.intake.preview("投诉.csv", _csv(row), actor="wang")
    [bad] = preview.invalid
    assert bad.line == 2 and any(message in e for e in bad.errors), bad.errors


def test_an_empty_party_name(app: App) -> None:
    row = ",定城镇,91469021MA5RC0QX1W,热线,王五,2,100,2026-03-01"
    [bad] = app.intake.preview("投诉.csv", _csv(row), actor="wang").invalid
    assert "「当事人名称」不能为空" in bad.errors


def test_duplicates_in_the_file_and_against_open_cases(app: App) -> None:
    complaint(app)  # the contractor of the worked example has an open wage case
    open_one = "某建筑劳务有限公司,见龙大道,91469021MA5T3XY14R,热线,赵六,5,5000,2026-03-01"
    preview = app.intake.preview("投诉.csv", _csv(GOOD[0], GOOD[0], open_one), actor="wang")
    errors = {r.line: r.errors for r in preview.invalid}
    assert errors[3] == ["与第2行重复（同一程序、同一当事人）"]
    assert "与未结案件 WA2026-0001 重复" in errors[4][0]


def test_all_or_nothing_or_only_the_valid_rows(app: App) -> None:
    content = _csv(GOOD[0], list(BAD)[1], GOOD[1])
    with pytest.raises(ImportHasErrors) as refused:
        app.intake.import_file("投诉.csv", content, actor="wang")
    assert "第3行" in refused.value.message and "未导入任何案件" in refused.value.message
    assert app.queries.search().total == 0
    result = app.intake.import_file("投诉.csv", content, actor="wang", only_valid=True)
    assert len(result.opened) == 2 and [r.line for r in result.skipped] == [3]


def test_a_gbk_csv_and_an_xlsx(app: App) -> None:
    gbk = app.intake.preview("投诉.csv", _csv(*GOOD, encoding="gbk"), actor="wang")
    assert len(gbk.valid) == 2 and gbk.valid[0].values["当事人名称"] == "定安县甲建筑公司"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["定安县甲建筑公司", "定城镇", "91469021MA5RC0QX1W", "来访", "张三", 12, 86000.5])
    out = io.BytesIO()
    book.save(out)
    xlsx = app.intake.preview("投诉.xlsx", out.getvalue(), actor="wang")
    [row] = xlsx.valid
    assert row.request is not None and row.request.data == {
        "complainant": "张三",
        "complainants": 12,
        "claimed": "86000.50",
    }


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("照片.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"),
        ("坏的.xlsx", b"PK\x03\x04 not really a zip"),
        ("表格.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        ("空.csv", b""),
        ("乱码.csv", bytes(range(0x80, 0x100)) * 3),
    ],
)
def test_a_file_that_is_not_a_spreadsheet(app: App, name: str, content: bytes) -> None:
    with pytest.raises(NotASpreadsheet) as refused:
        app.intake.preview(name, content, actor="wang")
    assert refused.value.code == "NOT_A_SPREADSHEET" and "无法读取为表格" in refused.value.message


def test_a_table_without_the_columns(app: App) -> None:
    with pytest.raises(InvalidInput, match="缺少必填的列：统一社会信用代码"):
        app.intake.preview(
            "x.csv", "当事人名称,当事人地址,案件来源\n甲,乙,丙\n".encode(), actor="wang"
        )
    with pytest.raises(InvalidInput, match="未知的列：备注"):
        app.intake.preview("x.csv", (HEADER + ",备注\n").encode(), actor="wang")


def test_only_those_who_register_cases_import(app: App) -> None:
    with pytest.raises(NotPermitted):
        app.intake.preview("投诉.csv", _csv(*GOOD), actor="zhou")


def test_the_template_reads_back_as_a_valid_file(app: App) -> None:
    content = template(app.intake.columns("wage_arrears"))
    assert load_workbook(io.BytesIO(content)).sheetnames == ["投诉登记", "填写说明"]
    preview = app.intake.preview("模板.xlsx", content, actor="wang")
    assert len(preview.valid) == 1
