"""`caseflow demo`: creates the database if needed and runs the demo story."""

from __future__ import annotations

from datetime import datetime, timedelta

import typer
from rich.table import Table

from engine.adapters.clock import FixedClock, SystemClock
from engine.bootstrap import bootstrap
from engine.deadlines import LOCAL_TZ
from engine.entrypoints.cli._common import console, fail_message, reporting, settings
from engine.entrypoints.cli.web import run_server
from engine.entrypoints.demo import demo_passwords, run_demo

DEMO_DAYS = 90


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    ctx: typer.Context,
    start: str = typer.Option(
        None, "--start", help="模拟时钟的起点（北京时间，如 2026-03-02T09:30；默认约三个月前）"
    ),
    serve: bool = typer.Option(
        True, "--serve/--no-serve", help="演示后启动网页服务（--no-serve 只写入演示数据）"
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="网页服务监听地址"),
    port: int = typer.Option(8000, "--port", help="网页服务端口"),
) -> None:
    """演示：在当前数据库（默认本地 SQLite 文件）中创建演示用户，按真实规模办理欠薪、劳动保障监察和
    基金监督案件，期限到期由系统自动处理；最后留下正在办理的案件，并启动网页服务供登录查看。"""
    s = settings(ctx)
    now = SystemClock().now().astimezone(LOCAL_TZ)
    if start is None:
        begin = (now - timedelta(days=DEMO_DAYS)).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
    else:
        try:
            begin = datetime.fromisoformat(start).replace(tzinfo=LOCAL_TZ)
        except ValueError:
            fail_message(
                "INVALID_INPUT", f"--start「{start}」不是有效的时间，应如 2026-03-02T09:30", False
            )
    if not 1 <= port <= 65535:
        fail_message("INVALID_INPUT", f"--port 应在 1 到 65535 之间，实际为 {port}", False)
    with reporting():
        app = bootstrap(s.db, county=s.county, clock=FixedClock(begin), migrate=True)
        try:
            console.print(f"数据库：{app.url}")
            run_demo(app, console, begin, now)
            accounts = demo_passwords(app)
        finally:
            app.close()
    _print_accounts(accounts)
    if serve:
        run_server(s, host, port, 1)


def _print_accounts(accounts: list[tuple[str, str, str]]) -> None:
    table = Table(title="演示用户（网页登录）")
    for col in ("用户名", "密码", "身份"):
        table.add_column(col)
    for name, password, who in accounts:
        table.add_row(name, password, who)
    console.print(table)
