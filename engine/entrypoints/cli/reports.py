"""`caseflow ledger`: the 台账 of a period as an Excel workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from engine.domain.errors import InvalidInput
from engine.entrypoints.cli._common import JsonOption, ok, print_json, reporting, settings


def register(app: typer.Typer) -> None:
    app.command("ledger")(ledger)


def _date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(label, f"「{value}」不是有效的日期（YYYY-MM-DD）") from None


def ledger(
    ctx: typer.Context,
    date_from: str = typer.Option(..., "--from", help="统计期间（起），如 2026-01-01"),
    date_to: str = typer.Option(..., "--to", help="统计期间（止），含当日"),
    output: Path = typer.Option(..., "-o", "--output", help="输出的 Excel 文件（.xlsx）"),
    as_json: bool = JsonOption,
) -> None:
    """导出台账：期间内新收和在办的全部案件，每个程序一张工作表，另附统计表。"""
    s = settings(ctx)
    with reporting(as_json):
        start, end = _date(date_from, "开始日期"), _date(date_to, "结束日期")
        if output.suffix.lower() != ".xlsx":
            raise InvalidInput("输出文件", "扩展名应为 .xlsx")
        app = s.app()
        found = app.ledger.ledger(start, end)
        output.write_bytes(app.ledger.workbook(found))
    if as_json:
        print_json({"file": str(output), "cases": len(found.rows), "from": start, "to": end})
    else:
        ok(f"已导出台账：{output}（{len(found.rows)} 件案件）")
