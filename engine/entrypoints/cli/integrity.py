"""CLI commands on the record's integrity: `verify` (every case file against its history,
the users against their log, with `--anchors` the history against the anchors written
outside the database) and `anchor` (append the chain heads' Merkle root to the anchor
file)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import typer

from engine.adapters.anchors import default_anchor_path
from engine.domain.integrity import Finding
from engine.entrypoints import views
from engine.entrypoints.cli._common import (
    JsonOption,
    console,
    fail_message,
    ok,
    print_json,
    reporting,
    settings,
    styled,
)
from engine.service.integrity import IntegrityReport

EXIT_BROKEN = 1
"""`verify` found something broken (as before: 2 and 3 stay usage and system errors)."""


def register(app: typer.Typer) -> None:
    app.command("verify")(verify)
    app.command("anchor")(anchor)


def verify(
    ctx: typer.Context,
    anchors: Path = typer.Option(
        None, "--anchors", help="锚点文件：同时证明锚定后的办理记录未被改动、截短或删除"
    ),
    as_json: bool = JsonOption,
) -> None:
    """校验每件案件的办理记录、案件数据、文书、附件和期限，以及用户与用户管理日志；
    加 --anchors 时再与数据库外的锚点核对。发现问题时退出码为 1。"""
    s = settings(ctx)
    if anchors is not None and not anchors.is_file():
        fail_message("ANCHOR_FILE_NOT_FOUND", f"锚点文件不存在：{anchors}", as_json)
    with reporting(as_json):
        report = s.app().integrity.verify(anchors)
    if as_json:
        print_json(views.verify_dict(report))
    else:
        _print_report(report)
    if report.broken:
        raise typer.Exit(EXIT_BROKEN)


def _print_report(report: IntegrityReport) -> None:
    scope = f"{report.checked} 件案件、{report.users} 名用户"
    if report.anchors:
        scope += f"，并与 {report.anchors} 个锚点核对"
    if report.unreplayable:
        console.print(
            f"提示：{report.unreplayable} 件案件含有早于本版本的办理记录，其案件数据无法回放核对。",
            markup=False,
        )
    if not report.broken:
        console.print(styled(("校验通过", "green"), f"：{scope}，未发现篡改。"))
        return
    console.print(
        styled((f"发现 {len(report.broken)} 处问题", "bold red"), f"（共校验 {scope}）：")
    )
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in report.broken:
        groups[_where(f)].append(f)
    for where, found in groups.items():
        console.print(f"  {where}", markup=False)
        for f in found:
            at = f"第 {f.seq} 条：" if f.seq else ""
            console.print(f"    [{f.check}] {f.label}：{at}{f.problem}", markup=False)


def _where(f: Finding) -> str:
    if f.case_ref:
        return f"案件 {f.case_ref}"
    if f.user:
        return f"用户 {f.user}"
    return "用户管理日志" if f.check.name.startswith("USER") else "锚点文件"


def anchor(
    ctx: typer.Context,
    file: Path = typer.Option(
        None,
        "--file",
        help="锚点文件（默认 CASEFLOW_ANCHORS，或数据库文件旁的 caseflow-anchors.jsonl）",
    ),
    as_json: bool = JsonOption,
) -> None:
    """把所有办理记录链头的默克尔根（带时间）追加写入数据库外的锚点文件，并打印可抄录的短根哈希。"""
    s = settings(ctx)
    with reporting(as_json):
        app = s.app()
        path = file or default_anchor_path(app.url)
        if not path.parent.is_dir():
            fail_message("ANCHOR_FILE_NOT_FOUND", f"锚点文件所在目录不存在：{path.parent}", as_json)
        written = app.integrity.anchor(path)
    if as_json:
        print_json({**views.anchor_dict(written), "file": str(path)})
        return
    ok(f"已写入锚点（第 {written.line} 行）：{path}")
    console.print(f"  时间：{views.local_short(written.at)}（北京时间）")
    console.print(f"  案件：{written.cases} 件")
    console.print(styled("  根哈希（抄录或邮寄用）：", (written.short, "bold")))
    console.print(f"  完整根哈希：{written.root}")
