"""The 台账 of the demo database, opened back with openpyxl: a sheet per procedure with a
row per case whose figures are the cases' own, formatted as an office expects, and a
statistics sheet whose totals add up to the cases' — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from rich.console import Console
from typer.testing import CliRunner

from engine.bootstrap import App
from engine.deadlines import LOCAL_TZ
from engine.entrypoints.cli import app as cli_app
from engine.entrypoints.demo import run_demo
from engine.service.read_models import CaseQuery

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def demo(app: App) -> App:
    start = datetime(2026, 3, 2, 9, 30, tzinfo=LOCAL_TZ)
    run_demo(app, Console(file=io.StringIO()), start)
    return app


def _rows(ws: Worksheet) -> dict[str, dict[str, Any]]:
    header = [c.value for c in ws[1]]
    out = {}
    for row in ws.iter_rows(min_row=2):
        values = {str(h): c for h, c in zip(header, row, strict=True)}
        out[str(values["案件编号"].value)] = values
    return out


def _table(ws: Worksheet, title: str) -> list[list[Any]]:
    """The rows of a statistics table (below its title and header, up to a blank row)."""
    found = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == title)
    rows = []
    for r in range(found + 2, ws.max_row + 2):
        if ws.cell(r, 1).value is None:
            break
        rows.append([ws.cell(r, c).value for c in range(1, ws.max_column + 1)])
    return rows


def test_the_demo_ledger_holds_the_cases_figures(demo: App) -> None:
    ledger = demo.ledger.ledger(*YEAR)
    book = load_workbook(io.BytesIO(demo.ledger.workbook(ledger)))
    cases = [
        demo.queries.get_case(s.summary.ref).case
        for s in demo.queries.search(CaseQuery(per_page=500)).items
    ]
    titles = {demo.registry.get(c.procedure, c.procedure_version).decl.title for c in cases}
    assert set(book.sheetnames) == {"统计", *titles}
    for case in cases:
        ws = book[demo.registry.get(case.procedure, case.procedure_version).decl.title]
        assert ws.freeze_panes == "B2"
        row = _rows(ws)[case.ref]
        assert row["当事人"].value == case.subject.name
        assert row["统一社会信用代码"].value == case.subject.uscc
        opened = row["登记日期"]
        assert opened.is_date and opened.number_format == "yyyy-mm-dd"
        assert opened.value.date() == case.opened_at.astimezone(LOCAL_TZ).date()
        numbers = [d.document.number for d in demo.documents.notices(case.ref)]
        assert all(n in str(row["制发文书（文号）"].value or "") for n in numbers)
        paid = case.data.get("paid_total")
        if paid is not None:
            cell = row["已支付金额（元）"]
            assert cell.value == float(paid) and cell.number_format == "#,##0.00"
            admitted = Decimal(case.data["findings"]["admitted"])
            assert row["尚欠金额（元）"].value == float(admitted - Decimal(paid))
            assert row["涉及劳动者（人）"].value == case.data["findings"]["workers"]
    stats = book["统计"]
    assert stats.cell(2, 2).value == len(cases)
    recovered = sum(Decimal(str(c.data.get("paid_total", 0))) for c in cases)
    assert recovered > 0
    assert sum(Decimal(str(r[1])) for r in _table(stats, "追发工资（按支付月份）")) == recovered
    police = [
        c
        for c in cases
        if any(r.get("department") == "police" for r in c.data.get("referrals", []))
    ]
    assert police and sum(r[1] for r in _table(stats, "移送公安机关")) == len(police)
    opened_rows = _table(stats, "各月登记案件（按程序）")
    assert sum(r[-1] for r in opened_rows) == len(cases)


def test_caseflow_ledger_writes_the_workbook(demo: App, db_url: str, tmp_path: Any) -> None:
    target = tmp_path / "台账.xlsx"
    args = [
        "--db",
        db_url,
        "ledger",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "-o",
        str(target),
    ]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    assert "统计" in load_workbook(target).sheetnames
    wrong = CliRunner().invoke(cli_app, [*args[:-1], str(tmp_path / "x.csv")])
    assert wrong.exit_code == 2 and "INVALID_INPUT" in wrong.output
