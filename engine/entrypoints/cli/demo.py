"""`caseflow demo`: creates the database if needed and runs the demo story."""

from __future__ import annotations

from datetime import datetime, timedelta

import typer

from engine.adapters.clock import FixedClock, SystemClock
from engine.bootstrap import bootstrap
from engine.deadlines import LOCAL_TZ
from engine.entrypoints.cli._common import console, fail_message, reporting, settings
from engine.entrypoints.demo import run_demo

DEMO_DAYS = 90


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    ctx: typer.Context,
    start: str = typer.Option(
        None, "--start", help="模拟时钟的起点（北京时间，如 2026-03-02T09:30；默认约三个月前）"
    ),
) -> None:
    """演示：在当前数据库（默认本地 SQLite 文件）中创建演示用户，按真实规模办理欠薪、劳动保障监察和
    基金监督案件，期限到期由系统自动处理；最后留下正在办理的案件供期限看板查看。"""
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
    with reporting():
        app = bootstrap(s.db, county=s.county, clock=FixedClock(begin), migrate=True)
        try:
            console.print(f"数据库：{app.url}")
            run_demo(app, console, begin, now)
        finally:
            app.close()
