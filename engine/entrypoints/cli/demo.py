"""`caseflow demo`: creates the database if needed and runs the demo story."""

from __future__ import annotations

from datetime import datetime

import typer

from engine.adapters.clock import FixedClock
from engine.bootstrap import bootstrap
from engine.deadlines import LOCAL_TZ
from engine.entrypoints.cli._common import console, fail_message, reporting, settings
from engine.entrypoints.demo import run_demo

DEFAULT_START = "2026-03-02T09:30"


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    ctx: typer.Context,
    start: str = typer.Option(DEFAULT_START, "--start", help="模拟时钟的起点（北京时间）"),
) -> None:
    """演示：在当前数据库（默认本地 SQLite 文件）中创建演示用户并办理一件真实规模的欠薪案件。"""
    s = settings(ctx)
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
            run_demo(app, console, begin)
        finally:
            app.engine.dispose()
