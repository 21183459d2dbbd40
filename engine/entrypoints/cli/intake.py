"""`caseflow import FILE`: bulk intake of complaints from an .xlsx or .csv table."""

from __future__ import annotations

from pathlib import Path

import typer

from engine.domain.errors import InvalidInput
from engine.entrypoints.cli._common import (
    JsonOption,
    console,
    err_console,
    ok,
    print_json,
    reporting,
    settings,
    styled,
)
from engine.service.bulk_intake import IntakeRow, template

MAX_BYTES = 8 * 1024 * 1024


def register(app: typer.Typer) -> None:
    app.command("import")(import_file)


def _row(r: IntakeRow) -> dict[str, object]:
    return {"line": r.line, "errors": r.errors}


def import_file(
    ctx: typer.Context,
    file: Path = typer.Argument(None, help="投诉表格（.xlsx 或 .csv，UTF-8 或 GBK 编码）"),
    procedure: str = typer.Option("wage_arrears", "--procedure", help="默认程序"),
    only_valid: bool = typer.Option(
        False, "--only-valid", help="只导入无误的行（默认：有一行有误就不导入）"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不登记"),
    write_template: Path = typer.Option(None, "--template", help="写出导入模板（.xlsx）后退出"),
    as_json: bool = JsonOption,
) -> None:
    """批量登记：检查表格的每一行，再将其登记为案件（同一事务：全部或只导入无误的行）。"""
    s = settings(ctx)
    with reporting(as_json):
        app = s.app()
        if write_template is not None:
            write_template.write_bytes(template(app.intake.columns(procedure)))
            ok(f"已写出导入模板：{write_template}")
            return
        if file is None:
            raise InvalidInput("导入文件", "请指定要导入的 .xlsx 或 .csv 文件")
        if not file.is_file():
            raise InvalidInput("导入文件", f"{file} 不存在")
        if file.stat().st_size > MAX_BYTES:
            raise InvalidInput("导入文件", f"{file} 超过 {MAX_BYTES // 1024 // 1024} MB")
        content, actor = file.read_bytes(), s.actor()
        preview = app.intake.preview(file.name, content, actor=actor, procedure=procedure)
        opened: list[str] = []
        if not dry_run:
            result = app.intake.import_file(
                file.name, content, actor=actor, procedure=procedure, only_valid=only_valid
            )
            opened = result.opened
    if as_json:
        print_json(
            {
                "rows": len(preview.rows),
                "valid": len(preview.valid),
                "invalid": [_row(r) for r in preview.invalid],
                "opened": opened,
            }
        )
        return
    for r in preview.invalid:
        err_console.print(styled((f"第{r.line}行", "red"), f"：{'；'.join(r.errors)}"))
    verb = "检查" if dry_run else "导入"
    console.print(
        f"{verb}完成：共 {len(preview.rows)} 行，无误 {len(preview.valid)} 行，"
        f"有误 {len(preview.invalid)} 行；已登记 {len(opened)} 件案件"
    )
