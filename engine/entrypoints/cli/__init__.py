"""The `caseflow` command line (typer + rich). Messages are Simplified Chinese; every read
command has `--json`."""

from __future__ import annotations

import typer

from engine.entrypoints.cli import admin, cases, clock, demo, integrity, notices, routing, web
from engine.entrypoints.cli._common import Settings

app = typer.Typer(
    name="caseflow",
    help="caseflow：县人社局劳动保障监察、欠薪、基金监督案件办理引擎",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main_options(
    ctx: typer.Context,
    as_user: str = typer.Option(None, "--as", help="以该用户身份操作（或设置 CASEFLOW_USER）"),
    db: str = typer.Option(None, "--db", help="数据库 URL（或设置 CASEFLOW_DATABASE_URL）"),
    county: str = typer.Option(None, "--county", help="县配置：dingan 或 shuangpai"),
) -> None:
    settings = Settings(user=as_user, db=db, county=county)
    ctx.obj = settings
    ctx.call_on_close(settings.close)


admin.register(app)
cases.register(app)
integrity.register(app)
clock.register(app)
demo.register(app)
notices.register(app)
routing.register(app)
web.register(app)


def main() -> None:
    app()
